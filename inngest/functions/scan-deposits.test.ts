import { InngestTestEngine } from "@inngest/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyEnv } from "@/lib/env";
import { getBalance } from "@/lib/ledger";
import { getOrCreateDepositAddress, scannerStatus, setScanCursor } from "@/lib/deposits";
import { type DevnetKit, sendTrx, startDevnetKit } from "@/lib/deposits/testing";
import { pointTronAt } from "@/lib/tron/testing";
import { createUser } from "@/lib/users";
import { COLLECT_MARKER, collectDeposits } from "./collect-deposits";
import { depositFunctions } from "./deposits";
import { rescanDeposits } from "./rescan-deposits";
import { scanDeposits } from "./scan-deposits";

const LAG = 2;
let k: DevnetKit;
let restoreTron = () => {};

beforeAll(async () => {
  k = await startDevnetKit(LAG);
  // the functions read the chain through tron(), pointed at this devnet by the environment
  restoreTron = pointTronAt(k.dn.url).restore;
  await setScanCursor(null);
});
afterAll(async () => {
  restoreTron();
  await setScanCursor(null);
  await k?.close();
});

describe("scan-deposits function", () => {
  it("is registered with the collector", () => {
    expect(depositFunctions).toEqual([scanDeposits, collectDeposits, rescanDeposits]);
  });

  it("on demand: scans in steps until caught up and credits a solidified deposit", async () => {
    await k.mine(3);
    let t = new InngestTestEngine({ function: scanDeposits });
    await t.execute({ events: [{ name: "deposits/scan.requested", data: { reason: "test" } }] });

    const u = await createUser();
    const { address } = await getOrCreateDepositAddress(u.id);
    await sendTrx(k.client, address, 3_000_000n);
    await k.mine(LAG + 1);
    // 250 more blocks: the run needs several 100-block steps to catch up
    await k.mine(250);
    t = new InngestTestEngine({ function: scanDeposits });
    const { result, ctx } = await t.execute({ events: [{ name: "deposits/scan.requested", data: {} }] });
    const r = result as { steps: number; credited: number; cursor: number };
    expect(r.steps).toBeGreaterThanOrEqual(3);
    expect(r.credited).toBe(1);
    expect(ctx.step.run).toHaveBeenCalledTimes(r.steps);
    expect(await getBalance(u.id)).toBe(3_000_000n);
    const st = await scannerStatus();
    expect(st.cursor).toBe(k.dn.chain.solidifiedNumber);
    expect(st.lagBlocks).toBe(LAG);
  });
});

describe("collect-deposits function", () => {
  it("runs on request, and skips a cron tick before the interval has passed", async () => {
    const treasury = (await import("@/lib/deposits/testing")).treasury.base58;
    // the function collects to TREASURY_ADDRESS, as configured for the app
    const restoreEnv = applyEnv({ TREASURY_ADDRESS: treasury });
    let t = new InngestTestEngine({ function: collectDeposits });
    const first = await t
      .execute({ events: [{ name: "deposits/collect.requested", data: {} }] })
      .finally(restoreEnv);
    expect(first.result).toMatchObject({ skipped: false, failed: [] });
    t = new InngestTestEngine({ function: collectDeposits });
    const tick = await t.execute({
      events: [{ name: "inngest/scheduled.timer", data: { cron: "* * * * *" } }],
    });
    expect(tick.result).toEqual({ skipped: true });
    expect(COLLECT_MARKER).toBe("deposits:collect");
  });
});
