import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as health } from "@/app/api/health/route";
import { getDb } from "@/db";
import { scanOnce, setScanCursor } from "@/lib/deposits";
import { type DevnetKit, startDevnetKit } from "@/lib/deposits/testing";
import { reloadEnv } from "@/lib/env";
import { setEventSender } from "@/lib/events";
import { getSettings } from "@/lib/settings";
import { pointTronAt } from "@/lib/tron/testing";

let k: DevnetKit;
let restoreTron = () => {};
// The reasons of failing checks are for the metrics token's holder (they may name internal hosts).
const TOKEN = "health-details-token-0123456789";
const saved = { ...process.env };
beforeAll(async () => {
  process.env.METRICS_TOKEN = TOKEN;
  reloadEnv();
  k = await startDevnetKit(2);
  restoreTron = pointTronAt(k.dn.url).restore;
  await setScanCursor(null);
});
afterAll(async () => {
  process.env = { ...saved };
  reloadEnv();
  restoreTron();
  await setScanCursor(null);
  await k?.close();
});

async function report() {
  const res = await health(
    new Request("http://localhost/api/health", { headers: { authorization: `Bearer ${TOKEN}` } }),
  );
  return { http: res.status, ...(await res.json()) };
}

describe("GET /api/health says what is true", () => {
  it("names every check: db, schema (migrations), inngest (job queue), scanner (deposits), chain (the node)", async () => {
    expect(Object.keys((await report()).checks).sort()).toEqual([
      "chain",
      "db",
      "inngest",
      "scanner",
      "schema",
    ]);
  });

  it("scanner: 'never ran' fails until its first run; then ok; 'behind by N blocks'; 'has not run for N min'", async () => {
    let r = await report();
    expect(r.checks.scanner).toBe("fail: never ran");
    expect(r.http).toBe(503);

    await k.mine(3);
    await scanOnce({ client: k.client });
    r = await report();
    expect(r.checks.scanner).toBe("ok");
    expect(r).toMatchObject({
      http: 200,
      status: "ok",
      checks: { db: "ok", schema: "ok", inngest: "ok", chain: "ok" },
    });

    // A run that sees the head far ahead and reads only one block: behind by the difference.
    const { alerts } = await getSettings();
    await k.mine(alerts.scannerLagBlocks + 20);
    await scanOnce({ client: k.client, maxBlocks: 1 });
    r = await report();
    expect(r.checks.scanner).toMatch(/^fail: behind by \d+ blocks$/);
    const behind = Number(/behind by (\d+)/.exec(r.checks.scanner)?.[1]);
    expect(behind).toBeGreaterThan(alerts.scannerLagBlocks);

    const db = await getDb();
    await db.execute(sql`update chain_cursors set last_run_at = now() - interval '7 minutes'`);
    r = await report();
    expect(r.checks.scanner).toMatch(/^fail: has not run for 7 min \(last run /);
    await scanOnce({ client: k.client, maxBlocks: 10_000 });
    expect((await report()).checks.scanner).toBe("ok");
  });

  it("chain: fails when the node is unreachable, and when its head block is old", async () => {
    expect((await report()).checks.chain).toBe("ok");
    const head = k.dn.chain.blocks[k.dn.chain.blocks.length - 1];
    head.timestamp = Date.now() - 120_000; // a node that stopped following the chain two minutes ago
    expect((await report()).checks.chain).toMatch(
      new RegExp(`^fail: head block ${head.number} is 12[01] s old: the node is not following the chain$`),
    );
    await k.mine(1);
    expect((await report()).checks.chain).toBe("ok");

    const { restore } = pointTronAt("http://127.0.0.1:1");
    try {
      const r = await report();
      expect(r.http).toBe(503);
      expect(r.checks.chain).toMatch(/^fail: /);
    } finally {
      restore();
    }
  });

  it("inngest: fails after an event could not be sent", async () => {
    const { sendEvent } = await import("@/lib/events");
    setEventSender(async () => {
      throw new Error("connect ECONNREFUSED 127.0.0.1:8288");
    });
    try {
      expect(await sendEvent({ name: "pool/refresh.requested", data: {} })).toBe(false);
      expect((await report()).checks.inngest).toBe(
        "fail: last event send failed: connect ECONNREFUSED 127.0.0.1:8288",
      );
    } finally {
      setEventSender(null);
      await sendEvent({ name: "pool/refresh.requested", data: {} });
    }
    expect((await report()).checks.inngest).toBe("ok");
  });
});
