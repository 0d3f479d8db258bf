import { describe, expect, it } from "vitest";
import { freshOrderKitPerTest } from "@/test/order-kit";
import { devnetAccount } from "@/devnet/genesis";
import { getBalance } from "@/lib/ledger";
import { createOrder, getOrder } from "@/lib/orders";
import { broadcast, buildDelegateEnergy } from "@/lib/tron/tx";
import {
  expectLockedForRental,
  freshReceiver,
  fundedUser,
  importPool,
  runFulfil,
  runReclaim,
} from "@/lib/orders/testing";

/**
 * The order engine against a devnet strict like mainnet: several disagreeing nodes behind one URL,
 * one delegated-resource record per (owner, receiver) whose lock a later delegation moves.
 */

const TRX = 1_000_000n;

const kit = freshOrderKitPerTest();

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

/** The locked record pool→receiver on chain (amount, expiry). */
async function lockOf(poolIndex: number, receiver: string) {
  const recs = await kit.client.getDelegatedResourceV2(devnetAccount(poolIndex).base58, receiver);
  const r = recs.find((x) => x.locked);
  return r ? { sun: r.energySun, expireAt: r.energyExpireAt! } : null;
}

/** A locked delegation made outside the app (the database does not know it). */
async function delegateOutside(poolIndex: number, receiver: string, sun: bigint, lockPeriodBlocks: number) {
  const a = devnetAccount(poolIndex);
  const signer = { sign: (tx: any) => kit.client.tronWeb.trx.sign(tx, a.privateKey) as Promise<any> };
  const s = await buildDelegateEnergy(
    kit.client,
    { owner: a.base58, receiver, sun, lockPeriodBlocks },
    signer,
  );
  await broadcast(kit.client, s.signedTx);
}

const HOUR = 3600_000;
const DAYS_3 = 3 * 86_400_000;

describe("one lock per (wallet, receiver): orders for the same receiver never share a wallet", () => {
  it("1 h then 3 d: the 3 d order goes to another wallet, the 1 h one is reclaimed after an hour", async () => {
    const [w1, w3] = await importPool([1, 3]);
    const { receiver, order: a } = await order(65_000, { duration: "1h" });
    expect((await runFulfil(kit, a.id)).error).toBeUndefined();
    const b = (await order(65_000, { duration: "3d", receiver })).order;
    expect((await runFulfil(kit, b.id)).error).toBeUndefined();
    const da = await getOrder({ orderId: a.id });
    const db = await getOrder({ orderId: b.id });
    expect([da.status, db.status]).toEqual(["active", "active"]);
    expect(da.delegations.map((d) => d.supplierWalletId)).toEqual([w3.id]);
    expect(db.delegations.map((d) => d.supplierWalletId)).toEqual([w1.id]);
    // on chain: two records, each with its own order's lock
    const l3 = (await lockOf(3, receiver))!;
    const l1 = (await lockOf(1, receiver))!;
    expect(l3.sun).toBe(da.delegations[0].sun);
    expect(l1.sun).toBe(db.delegations[0].sun);
    expect(l3.expireAt).toBe(da.delegations[0].expiresAt!.getTime());
    expect(l1.expireAt - l3.expireAt).toBeGreaterThan(DAYS_3 - 2 * HOUR);
    await expectLockedForRental(kit.client, da.delegations[0], 3600);
    await expectLockedForRental(kit.client, db.delegations[0], 3 * 86_400);

    await kit.ctl("advance-time", { ms: HOUR + 10_000 });
    const rec = await runReclaim(kit, da.delegations[0].id);
    expect(rec.error).toBeUndefined();
    expect(rec.ctx.step.sleep).not.toHaveBeenCalled(); // no waiting on a lock moved to 3 days
    expect((await getOrder({ orderId: a.id })).status).toBe("completed");
    expect(await onChain(3, receiver)).toBe(0n);
    expect(await lockOf(1, receiver)).toEqual(l1); // the 3 d order's energy untouched
  });

  it("3 d then 1 h: the 1 h order goes to another wallet; nothing refused on chain, the 3 d lock unchanged", async () => {
    const [w1, w3] = await importPool([1, 3]);
    const { receiver, order: a } = await order(65_000, { duration: "3d" });
    expect((await runFulfil(kit, a.id)).error).toBeUndefined();
    const before = await lockOf(3, receiver);
    const b = (await order(65_000, { duration: "1h", receiver })).order;
    expect((await runFulfil(kit, b.id)).error).toBeUndefined();
    const db = await getOrder({ orderId: b.id });
    expect(db.status).toBe("active");
    expect(db.delegations.map((d) => [d.supplierWalletId, d.status])).toEqual([[w1.id, "confirmed"]]);
    expect(db.events.map((e) => e.type)).not.toContain("delegation_failed");
    expect((await getOrder({ orderId: a.id })).delegations.map((d) => d.supplierWalletId)).toEqual([w3.id]);
    expect(await lockOf(3, receiver)).toEqual(before);
    expect((await lockOf(1, receiver))!.expireAt).toBe(db.delegations[0].expiresAt!.getTime());
    await expectLockedForRental(kit.client, db.delegations[0], 3600);
  });

  it("one wallet only: the second order for the same receiver is refused and refunded; the first lock is unchanged", async () => {
    await importPool([3]);
    const { receiver, order: a } = await order(65_000, { duration: "1h" });
    // Both taken while nothing is delegated to the receiver yet (the capacity check at order time
    // leaves out wallets already locked to it, so b placed after a's delivery would be refused there).
    const { userId, order: b } = await order(65_000, { duration: "30d", receiver });
    expect((await runFulfil(kit, a.id)).error).toBeUndefined();
    const lock = await lockOf(3, receiver);
    const refused = await order(65_000, { duration: "1h", receiver }).catch((e) => e);
    expect(refused.code).toBe("no_capacity");
    expect((await runFulfil(kit, b.id)).error).toBeUndefined();
    const db = await getOrder({ orderId: b.id });
    expect(db.status).toBe("refunded");
    expect(db.delegations).toHaveLength(0);
    const noCap = db.events.find((e) => e.type === "no_capacity");
    expect(noCap?.details).toMatchObject({ lockedToReceiver: [expect.any(Number)] });
    expect(await getBalance(userId)).toBe(100_000n * TRX);
    expect(await lockOf(3, receiver)).toEqual(lock);
  });

  it("a locked delegation made outside the app: the part is refused before signing and planned on another wallet", async () => {
    const [w1, w3] = await importPool([1, 3]);
    const receiver = await freshReceiver(kit);
    await delegateOutside(3, receiver, 10n * TRX, 86_400);
    const outside = await lockOf(3, receiver);
    const { order: o } = await order(65_000, { duration: "1h", receiver });
    expect((await runFulfil(kit, o.id)).error).toBeUndefined();
    const d = await getOrder({ orderId: o.id });
    expect(d.status).toBe("active");
    expect(d.delegations.map((x) => [x.supplierWalletId, x.status, x.txid === null])).toEqual([
      [w3.id, "failed", true], // never signed: nothing burned
      [w1.id, "confirmed", false],
    ]);
    expect(d.delegations[0].error).toMatch(/^receiver_locked: /);
    expect(await lockOf(3, receiver)).toEqual(outside);
  });
});

describe("a supplier wallet out of bandwidth and TRX", () => {
  it("is warned about before it stalls; a reclaim it cannot pay for alerts, waits, and completes once it has TRX", async () => {
    const [w3] = await importPool([3]);
    const { order: o } = await order(65_000, { duration: "1h" });
    expect((await runFulfil(kit, o.id)).error).toBeUndefined();
    const part = (await getOrder({ orderId: o.id })).delegations[0];
    // all its TRX sent away (the transfer still fits in the free bandwidth left today)
    const pool3 = devnetAccount(3);
    const balance = (await kit.client.getAccount(pool3.base58)).trxSun;
    const { buildTrxTransfer } = await import("@/lib/tron/tx");
    const signer = { sign: (tx: any) => kit.client.tronWeb.trx.sign(tx, pool3.privateKey) as Promise<any> };
    const t = await buildTrxTransfer(
      kit.client,
      { from: pool3.base58, to: devnetAccount(0).base58, sun: balance },
      signer,
    );
    await broadcast(kit.client, t.signedTx);
    const { refreshWallet } = await import("@/lib/pool");
    const w = await refreshWallet(w3.id);
    expect(w.trxSun).toBe(0n);
    expect(w.bandwidthAvailable).toBeLessThan(300n);
    const { getOpenAlert } = await import("@/lib/alerts");
    expect(await getOpenAlert(`pool:low_bandwidth:${w3.id}`)).toMatchObject({
      rule: "pool_low_bandwidth",
      severity: "critical",
    });

    await kit.ctl("advance-time", { ms: HOUR + 10_000 });
    const rec = await runReclaim(kit, part.id);
    expect(rec.error).toBeUndefined();
    expect(rec.result).toMatchObject({ status: "waiting", reason: "bandwidth" });
    const stalled = await getOrder({ orderId: o.id });
    expect(stalled.status).toBe("reclaiming");
    expect(stalled.delegations[0]).toMatchObject({ status: "reclaiming", reclaimTxid: null });
    expect(stalled.delegations[0].error).toMatch(/^bandwidth: /);
    expect(stalled.events.map((e) => e.type)).toContain("reclaim_stalled");
    const alert = await getOpenAlert(`pool:no_bandwidth:${w3.id}`);
    expect(alert).toMatchObject({ rule: "reclaim_no_bandwidth", severity: "critical" });
    expect(alert?.message).toContain(pool3.base58);
    const { findDueDelegations } = await import("@/lib/orders/reclaim");
    expect((await findDueDelegations()).ids).not.toContain(part.id); // retried later, not at once

    await kit.ctl("fund", { address: pool3.base58, trx: 1 });
    await kit.ctl("advance-time", { ms: 11 * 60_000 });
    expect((await findDueDelegations()).ids).toContain(part.id);
    expect((await runReclaim(kit, part.id)).error).toBeUndefined();
    expect((await getOrder({ orderId: o.id })).status).toBe("completed");
    expect(await getOpenAlert(`pool:no_bandwidth:${w3.id}`)).toBeUndefined();
  });
});

describe("sizing", () => {
  it("a 30 d rental is delegated with headroom for the total weight drifting (5 bp a day)", async () => {
    await importPool([1]);
    const { receiver, order: o } = await order(65_000, { duration: "30d" });
    const before = (await kit.client.getAccountResources(receiver)).energyLimit;
    expect((await runFulfil(kit, o.id)).error).toBeUndefined();
    const d = await getOrder({ orderId: o.id });
    expect(d.status).toBe("active");
    const gained = (await kit.client.getAccountResources(receiver)).energyLimit - before;
    expect(gained).toBeGreaterThanOrEqual(65_975n); // 65,000 × 1.015
    expect(gained).toBeLessThan(65_975n + 10n);
    await expectLockedForRental(kit.client, d.delegations[0], 30 * 86_400);
  });
});

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
