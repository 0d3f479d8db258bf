import { runScript } from "@/test/run-script";
import { createServer } from "node:net";
import { describe, expect, it } from "vitest";

/** A loopback port nothing listens on (so the demo starts its own devnet). */
async function unusedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe("npm run demo:order", () => {
  it("runs an order's whole life through the local engine, every call signed and verified", async () => {
    // A separate process as `npm run demo:order` runs it: not in test mode (the SDK verifies
    // signatures), an in-memory PGlite, its own in-process devnet.
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DEVNET_PORT: String(await unusedPort()),
      LOG_LEVEL: "warn",
    };
    for (const k of Object.keys(env))
      if (/^(NODE_ENV|DATABASE_URL|PGLITE_DIR|INNGEST_|TRON_|TRONSCAN_|VITEST)/.test(k)) delete env[k];
    const { code, out, err } = await runScript("scripts/demo-order.ts", env);
    if (code !== 0) console.error(out, err);
    expect(code).toBe(0);
    expect(out).toMatch(/devnet: started in-process/);
    expect(out).toMatch(/engine: local Inngest engine at http:\/\/127\.0\.0\.1:\d+ .*every call signed/);
    expect(out).toMatch(/app: \d+ functions served by inngest\/node .*signatures verified, synced/);
    const order = out.match(/created order (\d+):/)?.[1];
    expect(order).toBeTruthy();
    expect(out).toMatch(new RegExp(`engine received order/paid id=order-paid-${order}, started run`));
    for (const fn of ["fulfil-order", "sweep-expired", "reclaim-delegation"])
      expect(out).toMatch(
        new RegExp(`engine run \\w+ [\\w-]*${fn}: completed in \\d+ ms, \\d+ steps in \\d+ signed call`),
      );
    expect(out).toMatch(new RegExp(`order ${order}: paid → delegating`));
    expect(out).toMatch(new RegExp(`order ${order}: delegating → active`));
    expect(out).toMatch(/receiver energy limit 0 → \d+ \(\+\d+\)/);
    expect(out).toMatch(/sent \{"sent":1,"ids":\[\d+\]\}/);
    expect(out).toMatch(new RegExp(`order ${order}: reclaiming → completed`));
    expect(out).toMatch(/receiver energy limit back to 0/);
    expect(out).toMatch(
      /timeline: paid → fulfilment_started → .* → delivered → reclaim_started → .* → completed/,
    );
    expect(out).toMatch(/engine: \d+ runs completed, 0 failed/);
    expect(err).not.toMatch(/demo failed/);
  }, 120_000);
});
