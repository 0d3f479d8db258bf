import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { freshOrderKitPerTest } from "@/test/order-kit";
import { getDb } from "@/db";
import { ledgerEntries, orders } from "@/db/schema";
import { capturedEvents } from "@/lib/events";
import { getBalance } from "@/lib/ledger";
import { createOrder, getOrder, refundInTx } from "@/lib/orders";
import { finishOrder, fulfilmentGaveUp } from "@/lib/orders/fulfil";
import { setWalletStatus } from "@/lib/pool";
import { getOpenAlert } from "@/lib/alerts";
import {
  energyLimitOf,
  expectLockedForRental,
  freshReceiver,
  fundedUser,
  importPool,
  runFulfil,
  runReclaim,
} from "@/lib/orders/testing";
import { findDueDelegations, reclaimRetriesSpent } from "@/lib/orders/reclaim";
import { InngestTestEngine } from "@inngest/test";
import { sweepExpired } from "./sweep-expired";

const TRX = 1_000_000n;

const kit = freshOrderKitPerTest();

async function order(energy: number, balance = 100_000n * TRX, duration = "1h") {
  const userId = await fundedUser(balance);
  const receiver = await freshReceiver(kit);
  const { order } = await createOrder({
    userId,
    receiver,
    energy,
    duration,
    source: "portal",
    idempotencyKey: `k-${Math.random()}`,
  });
  return { userId, receiver, order };
}

async function ledgerOf(userId: number) {
  const db = await getDb();
  return db.select().from(ledgerEntries).where(eq(ledgerEntries.userId, userId));
}

describe("fulfil-order → reclaim", () => {
  it("gave up after its retries: one critical fulfil_failed alert per order, nothing refunded; none once it finished", async () => {
    await importPool([1, 2, 3]);
    const { userId, order: o } = await order(65_000);
    const balance = await getBalance(userId);
    await fulfilmentGaveUp(o.id, "connect ECONNREFUSED 10.0.0.9:5432");
    await fulfilmentGaveUp(o.id, "connect ECONNREFUSED 10.0.0.9:5432");
    const a = await getOpenAlert(`fulfil:${o.id}`);
    expect(a).toMatchObject({ rule: "fulfil_failed", severity: "critical", occurrences: 2 });
    expect(a?.message).toContain(`order ${o.id}`);
    expect(a?.message).toContain("still paid");
    expect(await getBalance(userId)).toBe(balance);
    // the operator retries once the cause is fixed: it completes, and a late give-up adds nothing
    const run = await runFulfil(kit, o.id);
    expect(run.error).toBeUndefined();
    expect((await getOrder({ orderId: o.id })).status).toBe("active");
    await fulfilmentGaveUp(o.id, "late");
    expect((await getOpenAlert(`fulfil:${o.id}`))?.occurrences).toBe(2);
  });

  it("happy path: paid → active (energy on chain) → expiry → reclaimed → completed; one debit, no refund", async () => {
    await importPool([1, 2, 3]);
    const { userId, receiver, order: o } = await order(65_000);
    expect(capturedEvents.some((e) => e.name === "order/paid" && e.id === `order-paid-${o.id}`)).toBe(true);
    const before = await energyLimitOf(kit.client, receiver);
    const run = await runFulfil(kit, o.id);
    expect(run.error).toBeUndefined();
    const d1 = await getOrder({ orderId: o.id });
    expect(d1.status).toBe("active");
    expect(d1.expiresAt).toBeInstanceOf(Date);
    expect(d1.delegations).toHaveLength(1);
    const part = d1.delegations[0];
    expect(part.status).toBe("confirmed");
    expect(part.txid).toMatch(/^[0-9a-f]{64}$/);
    expect(part.lockPeriodBlocks).toBe(1200);
    await expectLockedForRental(kit.client, part, 3600);
    expect(d1.expiresAt?.getTime()).toBe(part.expiresAt?.getTime());
    const after = await energyLimitOf(kit.client, receiver);
    expect(after - before).toBeGreaterThanOrEqual(65_000n);

    // not due yet; then the chain clock moves past the expiry
    expect((await findDueDelegations()).ids).not.toContain(part.id);
    await kit.ctl("advance-time", { ms: 3600_000 + 10_000 });
    capturedEvents.length = 0;
    const sweep = await new InngestTestEngine({ function: sweepExpired }).execute({});
    expect(sweep.error).toBeUndefined();
    const sent = capturedEvents.filter((e) => e.name === "delegation/expired");
    expect(sent.map((e) => e.data.delegationId)).toContain(part.id);

    const rec = await runReclaim(kit, part.id);
    expect(rec.error).toBeUndefined();
    const d2 = await getOrder({ orderId: o.id });
    expect(d2.status).toBe("completed");
    expect(d2.delegations[0].status).toBe("reclaimed");
    expect(d2.delegations[0].reclaimTxid).toMatch(/^[0-9a-f]{64}$/);
    expect(d2.delegations[0].reclaimSun).toBe(part.sun);
    expect(await energyLimitOf(kit.client, receiver)).toBe(before);
    const recs = await kit.client.getDelegatedResourceV2(
      (await import("@/devnet/genesis")).devnetAccount(3).base58,
      receiver,
    );
    expect(recs.reduce((a, r) => a + r.energySun, 0n)).toBe(0n);

    const l = await ledgerOf(userId);
    expect(l.filter((x) => x.type === "order_payment")).toHaveLength(1);
    expect(l.filter((x) => x.type === "refund")).toHaveLength(0);
    expect(await getBalance(userId)).toBe(100_000n * TRX - o.priceSun);
    const types = d2.events.map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining([
        "paid",
        "fulfilment_started",
        "planned",
        "tx_signed",
        "tx_broadcast",
        "delegation_confirmed",
        "delivered",
        "reclaim_started",
        "reclaim_signed",
        "delegation_reclaimed",
        "completed",
      ]),
    );
  });

  it("best fit picks the smallest sufficient wallet (ties: priority)", async () => {
    const [w1, w2, w3] = await importPool([1, 2, 3]);
    const { order: small } = await order(65_000);
    await runFulfil(kit, small.id);
    expect((await getOrder({ orderId: small.id })).delegations.map((d) => d.supplierWalletId)).toEqual([
      w3.id,
    ]);
    const { setWalletPriority } = await import("@/lib/pool");
    await setWalletPriority(w2.id, 5);
    const { order: big } = await order(600_000); // more than pool-3 holds: pool-1 and pool-2 tie on size
    await runFulfil(kit, big.id);
    const d = await getOrder({ orderId: big.id });
    expect(d.status).toBe("active");
    expect(d.delegations.map((x) => x.supplierWalletId)).toEqual([w2.id]);
    expect(w1.id).not.toBe(w2.id);
  });

  it("splits an order no single wallet can cover across two wallets", async () => {
    const [w1, w3] = await importPool([1, 3]);
    const { receiver, order: o } = await order(2_000_000);
    const before = await energyLimitOf(kit.client, receiver);
    const run = await runFulfil(kit, o.id);
    expect(run.error).toBeUndefined();
    const d = await getOrder({ orderId: o.id });
    expect(d.status).toBe("active");
    expect(d.delegations).toHaveLength(2);
    expect(d.delegations.map((x) => x.supplierWalletId).sort()).toEqual([w1.id, w3.id].sort());
    expect(d.delegations.every((x) => x.status === "confirmed")).toBe(true);
    expect(d.delegations.reduce((a, x) => a + x.energy, 0n)).toBe(2_000_000n);
    for (const part of d.delegations) await expectLockedForRental(kit.client, part, 3600);
    expect((await energyLimitOf(kit.client, receiver)) - before).toBeGreaterThanOrEqual(2_000_000n);
  });

  it("a wallet the chain refuses is refreshed and the order re-planned on another wallet", async () => {
    const [w1, w3] = await importPool([1, 3]);
    // pool-3's stake is delegated away behind our back: the database still thinks it is free
    await drain(3, 49_000n);
    const { receiver, order: o } = await order(65_000);
    const run = await runFulfil(kit, o.id);
    expect(run.error).toBeUndefined();
    const d = await getOrder({ orderId: o.id });
    expect(d.status).toBe("active");
    const ok = d.delegations.filter((x) => x.status === "confirmed");
    expect(ok.map((x) => x.supplierWalletId)).toEqual([w1.id]);
    expect(d.delegations.find((x) => x.supplierWalletId === w3.id)?.status).toBe("failed");
    expect(d.events.some((e) => e.type === "delegation_failed")).toBe(true);
    expect(await onChain(3, receiver)).toBe(0n);
    expect(await onChain(1, receiver)).toBe(ok[0].sun);
    const { getWallet } = await import("@/lib/pool");
    expect((await getWallet(w3.id)).delegatableSun).toBeLessThan(2_000n * TRX);
  });

  it("no capacity anywhere → failed and refunded exactly once, balance restored", async () => {
    const [w] = await importPool([3]);
    const { userId, order: o } = await order(400_000, 1_000n * TRX);
    // The pool covered the order when it was taken (lib/pool/capacity); by delivery it has nothing.
    await setWalletStatus(w.id, "disabled");
    expect(await getBalance(userId)).toBe(1_000n * TRX - o.priceSun);
    const run = await runFulfil(kit, o.id);
    expect(run.error).toBeUndefined();
    await runFulfil(kit, o.id); // a duplicate run changes nothing
    const d = await getOrder({ orderId: o.id });
    expect(d.status).toBe("refunded");
    expect(d.refundedSun).toBe(o.priceSun);
    expect(d.events.map((e) => e.type)).toEqual(
      expect.arrayContaining(["no_capacity", "failed", "refunded"]),
    );
    const l = await ledgerOf(userId);
    expect(l.filter((x) => x.type === "refund")).toHaveLength(1);
    expect(l.find((x) => x.type === "refund")?.idempotencyKey).toBe(`refund:order:${o.id}`);
    expect(await getBalance(userId)).toBe(1_000n * TRX);
  });

  it("a refund attempted past the status guard still posts once (the ledger key is per order)", async () => {
    const [w] = await importPool([3]);
    const { userId, order: o } = await order(400_000, 1_000n * TRX);
    await setWalletStatus(w.id, "disabled"); // taken while the pool covered it; refunded at delivery
    expect((await runFulfil(kit, o.id)).error).toBeUndefined();
    expect((await getOrder({ orderId: o.id })).status).toBe("refunded");
    const balance = await getBalance(userId);
    expect(balance).toBe(1_000n * TRX);
    // a bug lets the order through its status guard again (back to delegating, a new attempt)
    const db = await getDb();
    await db.update(orders).set({ status: "delegating", attempts: 7 }).where(eq(orders.id, o.id));
    const again = await finishOrder(o.id, "second try");
    expect(again.status).toBe("refunded");
    // and the refund itself called directly, twice
    for (const reason of ["direct 1", "direct 2"]) {
      const r = await db.transaction((tx) => refundInTx(tx, { id: o.id, userId }, o.priceSun, reason));
      expect(r.replayed).toBe(true);
    }
    const refunds = (await ledgerOf(userId)).filter((x) => x.type === "refund");
    expect(refunds).toHaveLength(1);
    expect(refunds[0].idempotencyKey).toBe(`refund:order:${o.id}`);
    expect(await getBalance(userId)).toBe(balance);
  });

  it("a split order delivered only in part refunds the undelivered share", async () => {
    await importPool([1, 3]);
    const { userId, order: o } = await order(2_000_000);
    await drain(3, 45_000n); // the second part's wallet is refused on chain; nothing else is free
    const run = await runFulfil(kit, o.id);
    expect(run.error).toBeUndefined();
    const d = await getOrder({ orderId: o.id });
    expect(d.status).toBe("active");
    const delivered = d.delegations
      .filter((x) => x.status === "confirmed")
      .reduce((a, x) => a + x.energy, 0n);
    expect(delivered).toBeGreaterThan(0n);
    expect(delivered).toBeLessThan(2_000_000n);
    const expected = (o.priceSun * (o.energy - delivered) + o.energy - 1n) / o.energy;
    expect(d.refundedSun).toBe(expected);
    const refunds = (await ledgerOf(userId)).filter((x) => x.type === "refund");
    expect(refunds).toHaveLength(1);
    expect(refunds[0].amountSun).toBe(expected);
    expect(d.events.some((e) => e.type === "partially_delivered")).toBe(true);
  });

  it("a broadcast accepted but never included is re-signed on a fresh block: exactly one delegation", async () => {
    await importPool([3]);
    const { receiver, order: o } = await order(65_000);
    await kit.ctl("faults", { dropBroadcasts: 1 });
    const run = await runFulfil(kit, o.id);
    expect(run.error).toBeUndefined();
    const d = await getOrder({ orderId: o.id });
    expect(d.status).toBe("active");
    const expiredEv = d.events.find((e) => e.type === "tx_expired");
    expect(expiredEv).toBeDefined();
    const oldTxid = (expiredEv!.details as { expiredTxid: string }).expiredTxid;
    expect(d.delegations).toHaveLength(1);
    expect(d.delegations[0].txid).not.toBe(oldTxid);
    expect(d.delegations[0].attempt).toBe(1);
    expect(await kit.client.getTransactionInfo(oldTxid)).toBeNull();
    expect(await onChain(3, receiver)).toBe(d.delegations[0].sun);
  });

  it("a crash after broadcast, before the database write, is recovered from the stored txid", async () => {
    await importPool([3]);
    const { receiver, order: o } = await order(65_000);
    // The chain client the engine uses: its first broadcast reaches the node, then the process
    // "crashes" before the step can write anything.
    const broadcastRaw = kit.client.broadcastRaw.bind(kit.client);
    const crash = vi.spyOn(kit.client, "broadcastRaw").mockImplementationOnce(async (tx) => {
      await broadcastRaw(tx);
      throw new Error("simulated crash after broadcast");
    });
    try {
      const first = await runFulfil(kit, o.id);
      expect(String((first.error as { message?: string } | undefined)?.message)).toContain(
        "simulated crash after broadcast",
      );
      const mid = await getOrder({ orderId: o.id });
      expect(mid.delegations[0].status).toBe("signed");
      const txid = mid.delegations[0].txid;
      const second = await runFulfil(kit, o.id); // the retry
      expect(second.error).toBeUndefined();
      const d = await getOrder({ orderId: o.id });
      expect(d.status).toBe("active");
      expect(d.delegations).toHaveLength(1);
      expect(d.delegations[0].txid).toBe(txid);
      expect(await onChain(3, receiver)).toBe(d.delegations[0].sun);
    } finally {
      crash.mockRestore();
    }
  });

  it("duplicate order/paid events and the safety sweep during a run → one fulfilment", async () => {
    await importPool([3]);
    const { receiver, order: o } = await order(65_000);
    const { safetySweepConfig } = await import("@/lib/orders/safety-sweep");
    const { safetySweep } = await import("./safety-sweep");
    safetySweepConfig.paidGraceSeconds = 0;
    try {
      capturedEvents.length = 0;
      const sweep = await new InngestTestEngine({ function: safetySweep }).execute({});
      expect(sweep.error).toBeUndefined();
      const resent = capturedEvents.filter((e) => e.name === "order/paid" && e.data.orderId === o.id);
      expect(resent).toHaveLength(1);
      expect(resent[0].id).toBe(`order-paid-${o.id}`); // same id as the original: Inngest drops it
      // even if all three ran, only one fulfilment happens
      const runs = await Promise.all([runFulfil(kit, o.id), runFulfil(kit, o.id), runFulfil(kit, o.id)]);
      for (const r of runs) expect(r.error).toBeUndefined();
    } finally {
      safetySweepConfig.paidGraceSeconds = 60;
    }
    const d = await getOrder({ orderId: o.id });
    expect(d.status).toBe("active");
    expect(d.delegations.filter((x) => x.status !== "failed")).toHaveLength(1);
    expect(await onChain(3, receiver)).toBe(d.delegations[0].sun);
    expect(d.events.filter((e) => e.type === "delivered")).toHaveLength(1);
  });
});

describe("reclaim-delegation", () => {
  it("still locked for a while → the run ends without sleeping; the sweep sends it again once the lock is over", async () => {
    const [w3] = await importPool([3]);
    const { order: o } = await order(65_000);
    await runFulfil(kit, o.id);
    const part = (await getOrder({ orderId: o.id })).delegations[0];
    const { removeWallet } = await import("@/lib/pool");
    await expect(removeWallet(w3.id)).rejects.toMatchObject({ code: "invalid_state" });
    const rec = await runReclaim(kit, part.id);
    expect(rec.error).toBeUndefined();
    expect(rec.result).toMatchObject({ status: "waiting" });
    expect(rec.ctx.step.sleep).not.toHaveBeenCalled();
    const waiting = (await getOrder({ orderId: o.id })).delegations[0];
    expect(waiting.reclaimAfter!.getTime()).toBe(part.expiresAt!.getTime() + 3000);
    // the sweep does not send it again while it waits (runs would pile up asleep) …
    await kit.ctl("advance-time", { ms: 1_800_000 });
    expect((await findDueDelegations()).ids).not.toContain(part.id);
    // … and does once the lock is over
    await kit.ctl("advance-time", { ms: 1_900_000 });
    expect((await findDueDelegations()).ids).toContain(part.id);
    expect((await runReclaim(kit, part.id)).error).toBeUndefined();
    expect((await getOrder({ orderId: o.id })).status).toBe("completed");
  });

  it("a lock that ends soon is waited for in the run", async () => {
    await importPool([3]);
    const { order: o } = await order(65_000);
    await runFulfil(kit, o.id);
    const part = (await getOrder({ orderId: o.id })).delegations[0];
    await kit.ctl("advance-time", { ms: 3_000_000 }); // 10 minutes left
    const rec = await runReclaim(kit, part.id, { sleepMs: 700_000 });
    expect(rec.error).toBeUndefined();
    expect(rec.ctx.step.sleep).toHaveBeenCalledWith("wait-0", expect.stringMatching(/^\d+s$/));
    const secs = Number(String((rec.ctx.step.sleep as any).mock.calls[0][1]).slice(0, -1));
    expect(secs).toBeGreaterThan(500);
    expect(secs).toBeLessThan(700);
    expect((await getOrder({ orderId: o.id })).status).toBe("completed");
  });

  it("a lock is over only when its expiry is before the head block time (java-tron's <)", async () => {
    await importPool([3]);
    const { order: o } = await order(65_000);
    await runFulfil(kit, o.id);
    const part = (await getOrder({ orderId: o.id })).delegations[0];
    const { prepareReclaim } = await import("@/lib/orders/reclaim");
    // a block exactly at the expiry: still locked
    const chain = kit.dn.chain;
    chain.clockOffset = part.expiresAt!.getTime() - Date.now() + 1500;
    chain.mine(1);
    expect(chain.head.timestamp).toBe(part.expiresAt!.getTime());
    expect(await prepareReclaim(part.id)).toMatchObject({ state: "locked" });
    chain.mine(1);
    expect(await prepareReclaim(part.id)).toMatchObject({ state: "ready", sun: part.sun.toString() });
  });

  it("undelegates exactly the delegation's amount, leaving other stake to the receiver alone", async () => {
    await importPool([3]);
    const { receiver, order: o } = await order(65_000);
    await runFulfil(kit, o.id);
    const part = (await getOrder({ orderId: o.id })).delegations[0];
    await delegateRaw(3, receiver, 5n * TRX); // unlocked, not ours
    await kit.ctl("advance-time", { ms: 3_700_000 });
    const rec = await runReclaim(kit, part.id);
    expect(rec.error).toBeUndefined();
    const after = (await getOrder({ orderId: o.id })).delegations[0];
    expect(after.reclaimSun).toBe(part.sun);
    expect(await onChain(3, receiver)).toBe(5n * TRX);
  });

  it("a failing reclaim raises an alert and is retried until it succeeds", async () => {
    await importPool([3]);
    const { order: o } = await order(65_000);
    await runFulfil(kit, o.id);
    const part = (await getOrder({ orderId: o.id })).delegations[0];
    await kit.ctl("advance-time", { ms: 3_700_000 });
    await kit.ctl("faults", { status5xx: 1000, paths: "/wallet/broadcasttransaction" });
    const failed = await runReclaim(kit, part.id);
    expect(failed.error).toBeDefined();
    const { getOpenAlert } = await import("@/lib/alerts");
    const alert = await getOpenAlert(`reclaim:${part.id}`);
    expect(alert?.rule).toBe("reclaim_failed");
    // the function's onFailure, when Inngest's retries are spent, counts on the same alert
    await reclaimRetriesSpent(part.id, "broadcast kept failing");
    const again = await getOpenAlert(`reclaim:${part.id}`);
    expect(again).toMatchObject({ id: alert?.id, occurrences: (alert?.occurrences ?? 0) + 1 });
    expect(again?.message).toContain("after all retries: broadcast kept failing");
    expect((await getOrder({ orderId: o.id })).delegations[0].status).toBe("reclaiming");
    await kit.ctl("faults/clear");
    const ok = await runReclaim(kit, part.id);
    expect(ok.error).toBeUndefined();
    expect((await getOrder({ orderId: o.id })).status).toBe("completed");
    expect(await getOpenAlert(`reclaim:${part.id}`)).toBeUndefined();
  });
});

// ------------------------------------------------------------------------------ helpers

async function onChain(poolIndex: number, receiver: string): Promise<bigint> {
  const { devnetAccount } = await import("@/devnet/genesis");
  const recs = await kit.client.getDelegatedResourceV2(devnetAccount(poolIndex).base58, receiver);
  return recs.reduce((a, r) => a + r.energySun, 0n);
}

async function delegateRaw(poolIndex: number, receiver: string, sun: bigint) {
  const { devnetAccount } = await import("@/devnet/genesis");
  const { buildDelegateEnergy, broadcast } = await import("@/lib/tron/tx");
  const a = devnetAccount(poolIndex);
  const signer = {
    sign: (tx: any) => kit.client.tronWeb.trx.sign(tx, a.privateKey) as Promise<any>,
  };
  const s = await buildDelegateEnergy(kit.client, { owner: a.base58, receiver, sun, lock: false }, signer);
  await broadcast(kit.client, s.signedTx);
}

/** Delegates `trx` of a pool wallet's stake to an outside address, without telling the database. */
async function drain(poolIndex: number, trx: bigint) {
  const other = await freshReceiver(kit);
  await delegateRaw(poolIndex, other, trx * TRX);
}
