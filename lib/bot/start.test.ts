import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { resetSettings, updateSettings } from "@/lib/settings";
import { defaultSettings, type SettingsInput } from "@/lib/settings/schema";
import { pointTronAt } from "@/lib/tron/testing";
import { freshOrderKitPerTest } from "@/test/order-kit";
import { tr } from "./i18n";
import { type Harness, newTgUser, startHarness } from "./testing/harness";

const kit = freshOrderKitPerTest();
let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});
afterEach(async () => {
  await resetSettings(["burnPriceSun", "pricing"]);
});

/** The one message the bot sent for a real-shaped text update. */
async function say(text: string): Promise<string> {
  h.api.clear();
  await h.text(newTgUser(), text);
  const sent = h.api.of("sendMessage");
  expect(sent).toHaveLength(1);
  return String(sent[0].body.text);
}

const hint = (low: string, high: string) => tr("en", "menu-burn-hint", { low, high });
const help = (holder: string, empty: string) => tr("en", "help-text", { holder, empty });

describe("bot /start and /help: what a USDT transfer burns without energy", () => {
  it("is the chain's getEnergyFee × the transfer's energy, not the burn price setting", async () => {
    await updateSettings({ burnPriceSun: "100" });
    await kit.ctl("params", { getEnergyFee: 420 });
    kit.client.clearCache();
    // 65,000 × 420 sun and 131,000 × 420 sun
    expect(await say("/start")).toContain(hint("27.3 TRX", "55.02 TRX"));
    expect(await say("/help")).toBe(help("27.3 TRX", "55.02 TRX"));

    // The chain's parameters are read as every chain read: cached by the client, so a new price
    // shows once the cached one is dropped.
    await kit.ctl("params", { getEnergyFee: 210 });
    kit.client.clearCache();
    expect(await say("/start")).toContain(hint("13.65 TRX", "27.51 TRX"));
  });

  it("falls back to the setting when the node cannot be read, or live reading is off", async () => {
    await updateSettings({ burnPriceSun: "100" });
    await kit.ctl("params", { getEnergyFee: 420 });
    const away = pointTronAt("http://127.0.0.1:9", { timeoutMs: 1_000 });
    try {
      expect(await say("/start")).toContain(hint("6.5 TRX", "13.1 TRX"));
      expect(await say("/help")).toBe(help("6.5 TRX", "13.1 TRX"));
    } finally {
      away.restore();
    }
    kit.client.clearCache();
    await updateSettings({
      pricing: { ...(defaultSettings.pricing as SettingsInput["pricing"]), liveBurnPrice: false },
    });
    expect(await say("/start")).toContain(hint("6.5 TRX", "13.1 TRX"));
  });
});
