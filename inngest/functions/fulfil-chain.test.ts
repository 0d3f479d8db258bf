import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { devnetAccount } from "@/devnet/genesis";
import { createOrder, getOrder } from "@/lib/orders";
import {
  freshReceiver,
  fundedUser,
  importPool,
  type OrderKit,
  resetPoolForTests,
  runFulfil,
  runReclaim,
  startOrderKit,
} from "@/lib/orders/testing";

/**
 * The order engine against a devnet strict like mainnet: several disagreeing nodes behind one URL,
 * one delegated-resource record per (owner, receiver) whose lock a later delegation moves.
 */

let kit: OrderKit;
const TRX = 1_000_000n;

beforeAll(async () => {
  kit = await startOrderKit({ autoMine: true });
});
afterAll(async () => {
  await kit?.close();
});
beforeEach(async () => {
  await kit.ctl("reset");
  kit.client.clearCache();
  await resetPoolForTests();
});

async function order(energy: number, opts: { receiver?: string; duration?: string; userId?: number } = {}) {
  const userId = opts.userId ?? (await fundedUser(100_000n * TRX));
  const receiver = opts.receiver ?? (await freshReceiver(kit));
  const { order } = await createOrder({
    userId,
    receiver,
    energy,
    duration: opts.duration ?? "1h",
    source: "portal",
    idempotencyKey: `k-${Math.random()}`,
  });
  return { userId, receiver, order };
}

async function onChain(poolIndex: number, receiver: string): Promise<bigint> {
  const recs = await kit.client.getDelegatedResourceV2(devnetAccount(poolIndex).base58, receiver);
  return recs.reduce((a, r) => a + r.energySun, 0n);
}

/** Transaction look-ups (and solidified block reads) answered by a node `lag` blocks behind. */
const LOOKUPS = [
  "/wallet/gettransactioninfobyid",
  "/walletsolidity/gettransactioninfobyid",
  "/wallet/gettransactionbyid",
  "/walletsolidity/gettransactionbyid",
  "/walletsolidity/getblockbylimitnext",
];

describe("disagreeing nodes (expiry judged from solidified blocks)", () => {
  it("look-ups from a node 40 blocks behind, the head from the network: no re-sign, one delegation, one undelegation", async () => {
    await importPool([3]);
    await kit.ctl("nodes", { nodes: [{ lag: 40 }], paths: LOOKUPS });
    const { receiver, order: o } = await order(65_000);
    const run = await runFulfil(kit, o.id);
    expect(run.error).toBeUndefined();
    const d = await getOrder({ orderId: o.id });
    expect(d.status).toBe("active");
    expect(d.delegations).toHaveLength(1);
    expect(d.delegations[0].attempt).toBe(0);
    expect(d.events.map((e) => e.type)).not.toContain("tx_expired");
    expect(await onChain(3, receiver)).toBe(d.delegations[0].sun);

    await kit.ctl("advance-time", { ms: 3_700_000 });
    const rec = await runReclaim(kit, d.delegations[0].id);
    expect(rec.error).toBeUndefined();
    const done = await getOrder({ orderId: o.id });
    expect(done.status).toBe("completed");
    expect(done.delegations[0].reclaimAttempts).toBe(1);
    expect(done.events.map((e) => e.type)).not.toContain("reclaim_retry");
    expect(await onChain(3, receiver)).toBe(0n);
  });
});
