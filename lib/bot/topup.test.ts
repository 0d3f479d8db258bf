import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect } from "vitest";
import { getDb } from "@/db";
import { deposits } from "@/db/schema";
import { getOrCreateDepositAddress, scanOnce, setScanCursor } from "@/lib/deposits";
import { type DevnetKit, sendTrx, startDevnetKit } from "@/lib/deposits/testing";
import { setEventSender } from "@/lib/events";
import { getBalance } from "@/lib/ledger";
import { deliveringSender } from "@/test/domain-events";
import { test } from "@/test/fixtures";
import { kvGet } from "./session";
import { type Harness, startHarness } from "./testing/harness";

const LAG = 3;
let k: DevnetKit;
let h: Harness;

async function scanAll() {
  for (let i = 0; i < 50; i++) if ((await scanOnce({ client: k.client })).caughtUp) return;
  throw new Error("scanner did not catch up");
}

beforeAll(async () => {
  k = await startDevnetKit(LAG);
  setEventSender(deliveringSender); // deposit events reach the bot's Inngest function, as in the worker
  h = await startHarness();
  await setScanCursor(null);
  await k.mine(LAG + 1);
  await scanAll();
});
afterAll(async () => {
  setEventSender(null);
  await setScanCursor(null);
  await h?.close();
  await k?.close();
});

describe("bot top-up", () => {
  test("shows the deposit address, sends the QR as a photo, and tells the user when a deposit is seen and credited", async ({
    telegramUser,
  }) => {
    const { from, userId } = await telegramUser(h, { lang: "en" });
    h.api.clear();
    await h.tap(from, "t:open", 77);
    const screen = h.api.of("editMessageText")[0].body;
    const { address } = await getOrCreateDepositAddress(userId);
    expect(screen.text).toContain(`<code>${address}</code>`);
    expect(screen.text).toContain("Minimum: 1 TRX or 1 USDT");
    expect(screen.text).toContain("1 USDT = 3.5 TRX");
    expect(screen.text).toContain("Accepted: TRX (also TRX sent by a contract");
    expect(screen.text).toContain("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t");
    expect(screen.text).toContain(
      "Not accepted: TRC10 tokens, other TRC20 tokens, and deposits below the minimum",
    );
    const kb = screen.reply_markup.inline_keyboard.flat();
    expect(kb.find((b: any) => b.copy_text)?.copy_text.text).toBe(address);

    await h.tap(from, "t:qr", 77);
    const photos = h.api.of("sendPhoto");
    expect(photos).toHaveLength(1);
    expect(photos[0].body.photo.png).toBe(true);
    expect(photos[0].body.photo.size).toBeGreaterThan(500);
    expect(photos[0].body.caption).toContain(address);

    h.api.clear();
    await sendTrx(k.client, address, 50_000_000n);
    await k.mine(1);
    await scanAll();
    const seen = h.api.of("sendMessage");
    expect(seen).toHaveLength(1);
    expect(seen[0].body.chat_id).toBe(from.id);
    expect(seen[0].body.text).toContain("Incoming 50 TRX");
    const [dep] = await (await getDb()).select().from(deposits).where(eq(deposits.userId, userId));
    const incomingId = (await kvGet<{ messageId: number }>(`msg:deposit:${dep.id}`))!.messageId;
    await k.mine(LAG + 1);
    await scanAll();
    expect(await getBalance(userId)).toBe(50_000_000n);
    const credited = h.api.of("sendMessage").slice(1);
    expect(credited).toHaveLength(1);
    expect(credited[0].body.text).toContain("Credited 50 TRX");
    expect(credited[0].body.text).toContain("Balance 50 TRX");
    // One message per deposit: the "incoming" one is removed, never left beside an identical copy.
    expect(h.api.of("deleteMessage").map((c) => [c.body.chat_id, c.body.message_id])).toEqual([
      [from.id, incomingId],
    ]);
    expect(h.api.of("editMessageText").some((c) => String(c.body.text).includes("Credited 50 TRX"))).toBe(
      false,
    );
    // scanning again sends nothing more
    h.api.clear();
    await k.mine(2);
    await scanAll();
    expect(h.api.of("sendMessage")).toHaveLength(0);
  });
});
