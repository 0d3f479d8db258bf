import { afterAll, beforeAll, beforeEach, describe, expect } from "vitest";
import { resetSettings, updateSettings } from "@/lib/settings";
import { rentalAddress } from "@/lib/transfers";
import { test } from "@/test/fixtures";
import { buttonsOf, type Harness, startHarness } from "./testing/harness";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await resetSettings(["transfer"]);
  await h?.close();
});
beforeEach(async () => {
  await resetSettings(["transfer"]);
});

describe("bot: pay by transfer", () => {
  test("the menu entry and /transfer show the rental address, the offers and the rules; the QR is a photo", async ({
    telegramUser,
  }) => {
    const { from } = await telegramUser(h, { lang: "en" });
    h.api.clear();
    await h.text(from, "/menu");
    const menu = h.api.of("sendMessage").at(-1)!.body;
    expect(buttonsOf(menu)).toContainEqual(["⚡ Pay by transfer (no balance)", "tf:open"]);

    await h.tap(from, "tf:open", 77);
    const screen = h.api.of("editMessageText")[0].body;
    const address = rentalAddress();
    expect(screen.text).toContain(`Rental address: <code>${address}</code>`);
    expect(screen.text).toContain("Send 4 TRX → 65,000 energy for 1 hour");
    expect(screen.text).toContain("Send 8 TRX → 131,000 energy for 1 hour");
    expect(screen.text).toContain("Payments up to 20 TRX are delivered from the next block");
    expect(screen.text).toContain("minus 1 TRX");
    const kb = screen.reply_markup.inline_keyboard.flat();
    expect(kb.find((b: any) => b.copy_text)?.copy_text.text).toBe(address);

    await h.tap(from, "tf:qr", 77);
    const photos = h.api.of("sendPhoto");
    expect(photos).toHaveLength(1);

    h.api.clear();
    await h.text(from, "/transfer");
    expect(h.api.of("sendMessage").at(-1)!.body.text).toContain(address);
  });

  test("in Chinese, and says so when pay by transfer is off", async ({ telegramUser }) => {
    const { from } = await telegramUser(h, { lang: "zh" });
    h.api.clear();
    await h.text(from, "/transfer");
    expect(h.api.of("sendMessage").at(-1)!.body.text).toContain("转入 4 TRX → 65,000 能量");
    await updateSettings({ transfer: { enabled: false, offers: [], riskCapSun: "0", refundFeeSun: "0" } });
    await h.text(from, "/transfer");
    const off = h.api.of("sendMessage").at(-1)!.body.text as string;
    expect(off).toContain("转账即租暂时暂停");
    expect(off).not.toContain(rentalAddress());
  });
});
