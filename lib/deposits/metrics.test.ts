import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { sampleValue } from "@/lib/metrics-testing";
import { resetSettings } from "@/lib/settings";
import { createUser } from "@/lib/users";
import { getOrCreateDepositAddress, scanOnce, setScanCursor } from "./index";
import { type DevnetKit, sendToken, sendTrx, startDevnetKit } from "./testing";
import "@/lib/admin/metrics";

const LAG = 3;
let k: DevnetKit;

async function scanAll(): Promise<void> {
  for (let i = 0; i < 50; i++) if ((await scanOnce({ client: k.client })).caughtUp) return;
  throw new Error("scanner did not catch up");
}

beforeAll(async () => {
  k = await startDevnetKit(LAG);
});
afterAll(async () => {
  await setScanCursor(null);
  await k?.close();
});
beforeEach(async () => {
  await k.ctl("reset");
  await k.ctl("faults/clear");
  await setScanCursor(null);
  await resetSettings(["minDepositTrxSun", "minDepositUsdtBase", "usdtRateSun"]);
  await k.mine(LAG + 1);
  await scanAll();
});

describe("deposit metrics", () => {
  it("credited deposits count by currency (USDT at its credited sun) once, when solidified", async () => {
    const u = await createUser();
    const { address } = await getOrCreateDepositAddress(u.id);
    const count = (currency: string) => sampleValue("teh_deposits_credited_total", { currency });
    const sun = (currency: string) => sampleValue("teh_deposits_credited_sun_total", { currency });
    const before = {
      trx: await count("TRX"),
      usdt: await count("USDT"),
      trxSun: await sun("TRX"),
      usdtSun: await sun("USDT"),
    };
    await sendTrx(k.client, address, 2_000_000n);
    await sendToken(k.client, address, 1_000_000n);
    await k.mine();
    await scanAll(); // seen in a head block: nothing credited yet
    expect(await count("TRX")).toBe(before.trx);
    await k.mine(LAG);
    await scanAll();
    expect(await count("TRX")).toBe(before.trx + 1);
    expect(await count("USDT")).toBe(before.usdt + 1);
    expect(await sun("TRX")).toBe(before.trxSun + 2_000_000);
    expect(await sun("USDT")).toBe(before.usdtSun + 3_500_000); // default rate 3.5 TRX per USDT
    await scanAll(); // nothing new
    expect(await count("TRX")).toBe(before.trx + 1);
  });

  it("the scanner's lag and last run are exported on scrape", async () => {
    const t0 = Date.now() / 1000;
    await k.mine(2);
    await scanAll();
    // caught up: the cursor is at the solidified head, the solidification lag below the head
    expect(await sampleValue("teh_deposit_scanner_lag_blocks")).toBe(LAG);
    expect(await sampleValue("teh_deposit_scanner_last_run_timestamp_seconds")).toBeGreaterThanOrEqual(
      Math.floor(t0) - 1,
    );
  });
});
