import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { getDb } from "@/db";
import { type Delegation, delegations, orders, supplierWallets } from "@/db/schema";
import { raiseAlert } from "@/lib/alerts";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/log";
import { planDelegation, refreshWallet, walletSigner, walletsLockedToReceiver } from "@/lib/pool";
import { chainNow } from "@/lib/pool/chain";
import { tron } from "@/lib/tron/client";
import { isChainError } from "@/lib/tron/errors";
import { getSettings } from "@/lib/settings";
import {
  delegationSunForEnergy,
  driftHeadroomBps,
  LockPeriodError,
  lockPeriodBlocksLive,
} from "@/lib/tron/resources";
import {
  broadcast,
  buildDelegateEnergy,
  type SignedTransactionJson,
  txStatus,
  txTimesOf,
} from "@/lib/tron/tx";
import { addOrderEvent, type Changed, publishOrderChanges, refundInTx, transitionIn } from "./index";

/**
 * The durable steps of fulfil-order, as plain functions (each one is one `step.run`). Every one is
 * idempotent: it reads the database first and finds work already done. Return values are JSON-safe
 * (bigints as strings) because Inngest memoizes them.
 */

export const MAX_PLAN_ATTEMPTS = 3;
export const MAX_RESIGNS = 3;
export const MAX_POLLS = 60;
export const POLL_INTERVAL = "3s";

/** Test-only fault injection (never set in production code paths). */
export const fulfilTestHooks: {
  afterBroadcast?: (d: Delegation) => void | Promise<void>;
  afterReclaimBroadcast?: (d: Delegation) => void | Promise<void>;
} = {};

export type StartResult = { proceed: boolean; status: string };

/**
 * fulfil-order gave up (its retries spent on unexpected errors, not on chain refusals, which fail
 * and refund the order themselves): a critical alert for the operator. Nothing is refunded here,
 * because a delegation may already be on chain; the order stays where it is (the sweep and a retry
 * from the console resume it from what is stored).
 */
export async function fulfilmentGaveUp(orderId: number, error: string): Promise<void> {
  const db = await getDb();
  const [o] = await db.select({ status: orders.status }).from(orders).where(eq(orders.id, orderId));
  if (!o || !["paid", "delegating"].includes(o.status)) return; // it finished after all
  await raiseAlert({
    rule: "fulfil_failed",
    dedupeKey: `fulfil:${orderId}`,
    severity: "critical",
    message:
      `Fulfilling order ${orderId} failed after all retries (${error.slice(0, 300)}). It is still ${o.status}: fix the cause, then retry it from the console.`.slice(
        0,
        1000,
      ),
    details: { orderId, status: o.status },
  });
}

/** paid → delegating (or resume a `delegating` order; anything else: nothing to do). */
export async function startFulfilment(orderId: number): Promise<StartResult> {
  const db = await getDb();
  const c = await db.transaction((tx) =>
    transitionIn(tx, orderId, ["paid"], "delegating", "fulfilment_started"),
  );
  if (c) {
    await publishOrderChanges([c]);
    return { proceed: true, status: "delegating" };
  }
  const [o] = await db.select({ status: orders.status }).from(orders).where(eq(orders.id, orderId));
  if (!o) throw new AppError("not_found", `Order ${orderId} not found.`);
  return { proceed: o.status === "delegating", status: o.status };
}

export type PlanResult = { parts: number[]; noCapacity: boolean; remainingEnergy: string };

const IN_FLIGHT = ["planned", "signed", "broadcast"] as const;

/**
 * Plans the order's uncovered energy (order energy − parts planned/signed/broadcast/confirmed):
 * sizes it from the chain's live weights, and under the wallet row locks picks wallets (best fit or
 * split) and inserts one `planned` delegation per wallet. Returns the in-flight part ids.
 */
export async function planOrder(orderId: number, excludeWalletIds: number[] = []): Promise<PlanResult> {
  const db = await getDb();
  const [o0] = await db.select().from(orders).where(eq(orders.id, orderId));
  if (!o0) throw new AppError("not_found", `Order ${orderId} not found.`);
  const client = tron();
  const weights = await client.getEnergyWeights();
  let lockBlocks: number;
  try {
    lockBlocks = await lockPeriodBlocksLive(client, o0.durationSeconds);
  } catch (e) {
    // The network's maximum lock is shorter than the rental: no wallet can deliver it.
    if (!(e instanceof LockPeriodError)) throw e;
    await addOrderEvent(db, { orderId, type: "no_capacity", details: { reason: e.message } });
    return { parts: [], noCapacity: true, remainingEnergy: o0.energy.toString() };
  }
  const [nowMs, settings] = await Promise.all([chainNow(), getSettings()]);
  const out = await db.transaction(async (tx) => {
    const [o] = await tx.select().from(orders).where(eq(orders.id, orderId)).for("update");
    if (o.status !== "delegating") return { parts: [], noCapacity: false, remainingEnergy: "0" };
    const parts = await tx.select().from(delegations).where(eq(delegations.orderId, orderId));
    const covered = parts.filter((d) => d.status !== "failed").reduce((a, d) => a + d.energy, 0n);
    const remaining = o.energy - covered;
    let noCapacity = false;
    if (remaining > 0n) {
      // headroom for the network's total stake growing during the rental (the energy falls with it)
      const headroomBps = driftHeadroomBps(o.durationSeconds, settings.driftHeadroomBpsPerDay);
      const needSun = delegationSunForEnergy(remaining, weights, { headroomBps });
      const plan = await planDelegation(tx, {
        needSun,
        excludeWalletIds,
        receiver: o.receiverAddress,
        nowMs,
      });
      if (!plan) {
        noCapacity = true;
        const lockedToReceiver = await walletsLockedToReceiver(tx, o.receiverAddress, nowMs);
        await addOrderEvent(tx, {
          orderId,
          type: "no_capacity",
          details: { remainingEnergy: remaining, needSun, excluded: excludeWalletIds, lockedToReceiver },
        });
      } else {
        let energyLeft = remaining;
        const rows = plan.map((p, idx) => {
          const e = idx === plan.length - 1 ? energyLeft : (remaining * p.sun) / needSun;
          energyLeft -= e;
          return {
            orderId,
            supplierWalletId: p.walletId,
            receiverAddress: o.receiverAddress,
            sun: p.sun,
            energy: e,
            lockPeriodBlocks: lockBlocks,
            status: "planned" as const,
          };
        });
        const inserted = await tx.insert(delegations).values(rows).returning({ id: delegations.id });
        await addOrderEvent(tx, {
          orderId,
          type: "planned",
          details: {
            parts: plan.map((p, idx) => ({
              delegationId: inserted[idx].id,
              walletId: p.walletId,
              sun: p.sun,
            })),
            energy: remaining,
            lockPeriodBlocks: lockBlocks,
          },
        });
      }
    }
    const open = await tx
      .select({ id: delegations.id })
      .from(delegations)
      .where(and(eq(delegations.orderId, orderId), inArray(delegations.status, [...IN_FLIGHT])))
      .orderBy(asc(delegations.id));
    return { parts: open.map((d) => d.id), noCapacity, remainingEnergy: remaining.toString() };
  });
  return out;
}

async function loadPart(id: number): Promise<Delegation> {
  const db = await getDb();
  const [d] = await db.select().from(delegations).where(eq(delegations.id, id));
  if (!d) throw new AppError("not_found", `Delegation ${id} not found.`);
  return d;
}

export type PartState =
  | { state: "signed" | "sent" | "confirmed" | "pending" | "expired" | "resign"; txid?: string }
  | { state: "failed"; walletId: number; kind: string };

/**
 * Fails the part if it is still in one of `from` (default: any in-flight status). Returns whether
 * this call failed it: a check made on a stale read (another run signed the part meanwhile) must
 * not fail a part that has moved on.
 */
async function failPartIf(
  d: Delegation,
  kind: string,
  message: string,
  from: readonly Delegation["status"][] = IN_FLIGHT,
): Promise<boolean> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const rows = await tx
      .update(delegations)
      .set({ status: "failed", error: `${kind}: ${message}`.slice(0, 500) })
      .where(and(eq(delegations.id, d.id), inArray(delegations.status, [...from])))
      .returning({ id: delegations.id });
    if (rows.length)
      await addOrderEvent(tx, {
        orderId: d.orderId,
        type: "delegation_failed",
        details: { delegationId: d.id, walletId: d.supplierWalletId, kind, message, txid: d.txid },
      });
    return rows.length > 0;
  });
}

async function failPart(d: Delegation, kind: string, message: string): Promise<PartState> {
  await failPartIf(d, kind, message);
  return { state: "failed", walletId: d.supplierWalletId, kind };
}

/** A refusal found before signing: only a part still `planned` is failed; else its current state. */
async function refuseUnsigned(d: Delegation, kind: string, message: string): Promise<PartState> {
  if (await failPartIf(d, kind, message, ["planned"]))
    return { state: "failed", walletId: d.supplierWalletId, kind };
  return signPart(d.id);
}

const VALIDATION_KINDS = new Set([
  "insufficient_delegatable",
  "validate_other",
  "bandwidth",
  "insufficient_balance",
  "not_activated",
  "bad_signature",
  "unknown",
]);

/**
 * Signs the part's delegateResource tx and stores signed tx + txid + expiration (status `signed`)
 * BEFORE anything is broadcast. Checks getcandelegatedmaxsize first; a shortfall fails the part
 * (its wallet is refreshed and the order re-planned elsewhere). The key is decrypted only here.
 */
export async function signPart(id: number): Promise<PartState> {
  const d = await loadPart(id);
  if (d.status === "signed" || d.status === "broadcast")
    return { state: "signed", txid: d.txid ?? undefined };
  if (d.status === "confirmed" || d.status === "reclaiming" || d.status === "reclaimed")
    return { state: "confirmed", txid: d.txid ?? undefined };
  if (d.status === "failed")
    return { state: "failed", walletId: d.supplierWalletId, kind: d.error ?? "failed" };
  const client = tron();
  const w = await walletSigner(d.supplierWalletId);
  const [max, records, now] = await Promise.all([
    client.getCanDelegatedMaxSize(w.address, "ENERGY"),
    client.getDelegatedResourceV2(w.address, d.receiverAddress),
    chainNow(),
  ]);
  if (max < d.sun)
    return refuseUnsigned(d, "insufficient_delegatable", `can delegate ${max} sun, part needs ${d.sun} sun`);
  // A locked delegation to this receiver the database does not know of (made outside the app):
  // ours would merge into its lock. Never signed, so nothing is burned; re-planned elsewhere.
  const lockedUntil = records.reduce(
    (m, r) =>
      r.energySun > 0n && r.energyExpireAt !== null && r.energyExpireAt >= now
        ? Math.max(m, r.energyExpireAt)
        : m,
    0,
  );
  if (lockedUntil)
    return refuseUnsigned(
      d,
      "receiver_locked",
      `the wallet already has a delegation to ${d.receiverAddress} locked until ${new Date(lockedUntil).toISOString()}`,
    );
  let signed: Awaited<ReturnType<typeof buildDelegateEnergy>>;
  try {
    signed = await buildDelegateEnergy(
      client,
      {
        owner: w.address,
        receiver: d.receiverAddress,
        sun: d.sun,
        lock: true,
        lockPeriodBlocks: d.lockPeriodBlocks,
      },
      { encryptedKey: w.encryptedKey },
    );
  } catch (e) {
    if (isChainError(e) && VALIDATION_KINDS.has(e.kind)) return refuseUnsigned(d, e.kind, e.chainMessage);
    throw e;
  }
  const db = await getDb();
  const stored = await db.transaction(async (tx) => {
    const rows = await tx
      .update(delegations)
      .set({
        status: "signed",
        signedTx: signed.signedTx,
        txid: signed.txid,
        txExpiresAt: new Date(signed.expiration),
      })
      .where(and(eq(delegations.id, id), eq(delegations.status, "planned")))
      .returning({ id: delegations.id });
    if (rows.length)
      await addOrderEvent(tx, {
        orderId: d.orderId,
        type: "tx_signed",
        details: { delegationId: id, txid: signed.txid, walletId: d.supplierWalletId, sun: d.sun },
      });
    return rows.length > 0;
  });
  if (!stored) return signPart(id); // raced with another run: use what it stored
  return { state: "signed", txid: signed.txid };
}

/** Broadcasts the stored tx. "Duplicate" is success; a validation refusal fails the part. */
export async function broadcastPart(id: number): Promise<PartState> {
  const d = await loadPart(id);
  if (d.status === "confirmed") return { state: "confirmed", txid: d.txid ?? undefined };
  if (d.status === "failed")
    return { state: "failed", walletId: d.supplierWalletId, kind: d.error ?? "failed" };
  if (d.status === "planned") return { state: "resign" };
  if (!d.signedTx || !d.txid) throw new AppError("internal", `Delegation ${id} has no stored tx.`);
  try {
    await broadcast(tron(), d.signedTx as SignedTransactionJson);
  } catch (e) {
    if (isChainError(e, "expired") || isChainError(e, "tapos")) {
      // Not proof that it was never accepted (the node checks expiry before duplicates): record it
      // and let the confirm loop decide — in a block, or gone after its expiration → re-sign.
      await addOrderEvent(await getDb(), {
        orderId: d.orderId,
        type: "broadcast_refused",
        details: { delegationId: id, txid: d.txid, kind: e.kind, message: e.chainMessage },
      });
      return { state: "sent", txid: d.txid };
    }
    if (isChainError(e) && VALIDATION_KINDS.has(e.kind)) {
      // The node refused it: it was never accepted, so it can never be included.
      return failPart(d, e.kind, e.chainMessage);
    }
    throw e;
  }
  if (fulfilTestHooks.afterBroadcast) await fulfilTestHooks.afterBroadcast(d);
  const db = await getDb();
  await db.transaction(async (tx) => {
    const rows = await tx
      .update(delegations)
      .set({ status: "broadcast" })
      .where(and(eq(delegations.id, id), eq(delegations.status, "signed")))
      .returning({ id: delegations.id });
    if (rows.length)
      await addOrderEvent(tx, {
        orderId: d.orderId,
        type: "tx_broadcast",
        details: { delegationId: id, txid: d.txid },
      });
  });
  return { state: "sent", txid: d.txid };
}

/**
 * When the chain ends this part's lock: its locked record's expiry (java-tron sets it from the
 * parent block's time, so it is one block before inclusion + lock period). Without a record (head
 * node behind), the block time + the lock period, which is never earlier.
 */
async function chainLockEnd(
  d: Delegation,
  blockTimeStamp: number,
): Promise<{ at: number; fromChain: boolean }> {
  const fallback = blockTimeStamp + d.lockPeriodBlocks * 3000;
  try {
    const owner = await walletAddress(d.supplierWalletId);
    const recs = await tron().getDelegatedResourceV2(owner, d.receiverAddress);
    const locked = recs.find((r) => r.locked && r.energySun > 0n && r.energyExpireAt);
    if (locked?.energyExpireAt) return { at: locked.energyExpireAt, fromChain: true };
  } catch (e) {
    logger.warn({ delegationId: d.id, err: (e as Error).message }, "could not read the delegation's lock");
  }
  return { at: fallback, fromChain: false };
}

async function markConfirmed(
  d: Delegation,
  info: { blockNumber: number | null; blockTimeStamp: number; fee: bigint },
) {
  const db = await getDb();
  const lock = await chainLockEnd(d, info.blockTimeStamp);
  const expiresAt = new Date(lock.at);
  await db.transaction(async (tx) => {
    const rows = await tx
      .update(delegations)
      .set({
        status: "confirmed",
        blockNumber: info.blockNumber,
        feeSun: info.fee,
        confirmedAt: new Date(),
        expiresAt,
      })
      .where(and(eq(delegations.id, d.id), inArray(delegations.status, ["signed", "broadcast"])))
      .returning({ id: delegations.id });
    if (rows.length)
      await addOrderEvent(tx, {
        orderId: d.orderId,
        type: "delegation_confirmed",
        details: {
          delegationId: d.id,
          txid: d.txid,
          blockNumber: info.blockNumber,
          expiresAt: expiresAt.toISOString(),
          lockFromChain: lock.fromChain,
        },
      });
  });
}

/** Where the part's tx stands: in a block → confirmed; refused in a block → failed; gone after expiry → expired. */
export async function checkPart(id: number): Promise<PartState> {
  const d = await loadPart(id);
  if (d.status === "confirmed") return { state: "confirmed", txid: d.txid ?? undefined };
  if (d.status === "failed")
    return { state: "failed", walletId: d.supplierWalletId, kind: d.error ?? "failed" };
  if (d.status === "planned") return { state: "resign" };
  const st = await txStatus(tron(), d.txid!, {
    ...txTimesOf(d.signedTx),
    expiration: d.txExpiresAt?.getTime(),
  });
  if ((st.status === "included" || st.status === "solidified") && st.info) {
    await markConfirmed(d, st.info);
    return { state: "confirmed", txid: d.txid! };
  }
  if (st.status === "failed") return failPart(d, "receipt_failed", st.receiptResult || "failed in block");
  if (st.expired) return { state: "expired", txid: d.txid! };
  return { state: "pending", txid: d.txid! };
}

/**
 * The stored tx expired without being included: record its txid, clear it and put the part back to
 * `planned` so the next sign step signs a fresh tx on a new reference block (or, after
 * `giveUp`, fail the part). Re-checks the old txid first: it can no longer be included after
 * expiry, so if it is not in a block now it never will be — never both.
 */
export async function resignPart(id: number, giveUp: boolean): Promise<PartState> {
  const d = await loadPart(id);
  if (d.status !== "signed" && d.status !== "broadcast") return checkPart(id);
  const st = await txStatus(tron(), d.txid!, {
    ...txTimesOf(d.signedTx),
    expiration: d.txExpiresAt?.getTime(),
  });
  if ((st.status === "included" || st.status === "solidified") && st.info) {
    await markConfirmed(d, st.info);
    return { state: "confirmed", txid: d.txid! };
  }
  if (!st.expired) return { state: "pending", txid: d.txid! };
  if (giveUp) return failPart(d, "expired", `tx ${d.txid} expired ${MAX_RESIGNS} times`);
  const db = await getDb();
  await db.transaction(async (tx) => {
    const rows = await tx
      .update(delegations)
      .set({
        status: "planned",
        signedTx: null,
        txid: null,
        txExpiresAt: null,
        attempt: sql`${delegations.attempt} + 1`,
      })
      .where(and(eq(delegations.id, id), eq(delegations.txid, d.txid!)))
      .returning({ id: delegations.id });
    if (rows.length)
      await addOrderEvent(tx, {
        orderId: d.orderId,
        type: "tx_expired",
        details: { delegationId: id, expiredTxid: d.txid, expiredAt: d.txExpiresAt?.toISOString() },
      });
  });
  return { state: "resign" };
}

/** Refreshes wallets from the chain (after a refusal, or after delivery). Never throws. */
export async function refreshWallets(ids: number[]): Promise<number[]> {
  const done: number[] = [];
  for (const id of [...new Set(ids)]) {
    try {
      await refreshWallet(id);
      done.push(id);
    } catch (e) {
      logger.warn({ walletId: id, err: e instanceof Error ? e.message : String(e) }, "wallet refresh failed");
    }
  }
  return done;
}

export async function walletsOfOrder(orderId: number): Promise<number[]> {
  const db = await getDb();
  const rows = await db
    .selectDistinct({ id: delegations.supplierWalletId })
    .from(delegations)
    .where(eq(delegations.orderId, orderId));
  return rows.map((r) => r.id);
}

export type FinishResult = { status: string; deliveredEnergy: string; refundedSun: string };

/**
 * Ends fulfilment: everything confirmed → `active` (expires_at = latest part expiry); part of it →
 * `active` and the undelivered share refunded; nothing → `failed`, refunded in full, `refunded`.
 * The refund uses the key `refund:order:<id>`, so it happens once.
 */
export async function finishOrder(orderId: number, reason = "no capacity"): Promise<FinishResult> {
  const db = await getDb();
  const changes: (Changed | null)[] = [];
  const res = await db.transaction(async (tx) => {
    const [o] = await tx.select().from(orders).where(eq(orders.id, orderId)).for("update");
    if (o.status !== "delegating")
      return { status: o.status, deliveredEnergy: "0", refundedSun: o.refundedSun.toString() };
    const parts = await tx.select().from(delegations).where(eq(delegations.orderId, orderId));
    if (parts.some((d) => (IN_FLIGHT as readonly string[]).includes(d.status)))
      throw new AppError("internal", `Order ${orderId} still has delegations in flight.`);
    const done = parts.filter((d) => d.status === "confirmed");
    const delivered = done.reduce((a, d) => a + d.energy, 0n);
    if (delivered >= o.energy) {
      const expiresAt = new Date(Math.max(...done.map((d) => d.expiresAt!.getTime())));
      changes.push(
        await transitionIn(
          tx,
          orderId,
          ["delegating"],
          "active",
          "delivered",
          { deliveredEnergy: delivered, parts: done.map((d) => d.txid) },
          { deliveredAt: new Date(), expiresAt },
        ),
      );
      return { status: "active", deliveredEnergy: delivered.toString(), refundedSun: "0" };
    }
    if (delivered > 0n) {
      const undelivered = o.energy - delivered;
      // The customer's share, rounded in their favour.
      const refundSun = (o.priceSun * undelivered + o.energy - 1n) / o.energy;
      await refundInTx(tx, o, refundSun, `undelivered ${undelivered} of ${o.energy} energy`);
      const expiresAt = new Date(Math.max(...done.map((d) => d.expiresAt!.getTime())));
      changes.push(
        await transitionIn(
          tx,
          orderId,
          ["delegating"],
          "active",
          "partially_delivered",
          { deliveredEnergy: delivered, undeliveredEnergy: undelivered, refundedSun: refundSun },
          { deliveredAt: new Date(), expiresAt },
        ),
      );
      return { status: "active", deliveredEnergy: delivered.toString(), refundedSun: refundSun.toString() };
    }
    changes.push(
      await transitionIn(
        tx,
        orderId,
        ["delegating"],
        "failed",
        "failed",
        { reason },
        { failureReason: reason },
      ),
    );
    await refundInTx(tx, o, o.priceSun, `order failed: ${reason}`);
    changes.push(
      await transitionIn(tx, orderId, ["failed"], "refunded", "refund_completed", { amountSun: o.priceSun }),
    );
    return { status: "refunded", deliveredEnergy: "0", refundedSun: o.priceSun.toString() };
  });
  await publishOrderChanges(changes);
  return res;
}

export async function walletAddress(id: number): Promise<string> {
  const db = await getDb();
  const [w] = await db
    .select({ a: supplierWallets.address })
    .from(supplierWallets)
    .where(eq(supplierWallets.id, id));
  return w.a;
}
