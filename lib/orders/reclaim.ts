import { and, eq, inArray, isNull, lte, or, sql } from "drizzle-orm";
import { getDb, rowsOf } from "@/db";
import { delegationExpired, orderPaid } from "@/inngest/events";
import { type Delegation, delegations, orders } from "@/db/schema";
import { raiseAlert, resolveAlert } from "@/lib/alerts";
import { AppError } from "@/lib/errors";
import { getSettings } from "@/lib/settings";
import { logger } from "@/lib/log";
import { formatTrx } from "@/lib/money";
import { TX_BYTES, walletSigner } from "@/lib/pool";
import { chainNow } from "@/lib/pool/chain";
import { tron } from "@/lib/tron/client";
import { isChainError } from "@/lib/tron/errors";
import { energyForSun, SUN_PER_TRX } from "@/lib/tron/resources";
import {
  broadcast,
  buildUndelegateEnergy,
  type SignedTransactionJson,
  txStatus,
  txTimesOf,
} from "@/lib/tron/tx";
import { fulfilTestHooks, refreshWallets } from "./fulfil";
import { addOrderEvent, type Changed, orderPaidEventId, publishOrderChanges, transitionIn } from "./index";

/**
 * Reclaim steps (reclaim-delegation) and the sweeps' queries. Same discipline as fulfilment:
 * store the signed undelegate tx before broadcasting; a retry finds it.
 */

export const MAX_RECLAIM_ROUNDS = 6;

async function loadPart(id: number): Promise<Delegation> {
  const db = await getDb();
  const [d] = await db.select().from(delegations).where(eq(delegations.id, id));
  if (!d) throw new AppError("not_found", `Delegation ${id} not found.`);
  return d;
}

export type ReclaimPrep =
  | { state: "done" | "signed" | "gone" }
  | { state: "ready"; sun: string }
  | { state: "locked"; waitMs: number; lockedSun: string; until: string };

/**
 * A reclaim run sleeps for a lock that ends within this; a longer one ends the run, and the sweep
 * sends the delegation again once its `reclaim_after` has passed — so runs never pile up asleep.
 */
export const RECLAIM_SLEEP_LIMIT_MS = 15 * 60_000;

/**
 * Marks the delegation (and its order) `reclaiming` and reads getdelegatedresourcev2 for the exact
 * unlockable amount: the unlocked record plus locked records whose expiry has passed (chain time).
 */
export async function prepareReclaim(id: number): Promise<ReclaimPrep> {
  const d = await loadPart(id);
  if (d.status === "reclaimed" || d.status === "failed") return { state: "done" };
  if (d.status !== "confirmed" && d.status !== "reclaiming")
    throw new AppError("invalid_state", `Delegation ${id} is ${d.status}, not delivered.`);
  const db = await getDb();
  const changes = await db.transaction(async (tx) => {
    const out: (Changed | null)[] = [];
    const rows = await tx
      .update(delegations)
      .set({ status: "reclaiming" })
      .where(and(eq(delegations.id, id), eq(delegations.status, "confirmed")))
      .returning({ id: delegations.id });
    if (rows.length)
      out.push(
        await transitionIn(tx, d.orderId, ["active"], "reclaiming", "reclaim_started", { delegationId: id }),
      );
    return out;
  });
  await publishOrderChanges(changes);
  if (d.reclaimTxid) return { state: "signed" };
  const w = await walletSigner(d.supplierWalletId);
  const client = tron();
  const [records, now] = await Promise.all([
    client.getDelegatedResourceV2(w.address, d.receiverAddress),
    chainNow(),
  ]);
  let unlockable = 0n;
  let lockedSun = 0n;
  let nextUnlock = Number.POSITIVE_INFINITY;
  for (const r of records) {
    if (r.energySun <= 0n) continue;
    // java-tron unlocks a locked record only once its expiry is strictly before the head block time
    if (!r.energyExpireAt || r.energyExpireAt < now) unlockable += r.energySun;
    else {
      lockedSun += r.energySun;
      nextUnlock = Math.min(nextUnlock, r.energyExpireAt);
    }
  }
  const sun = d.sun < unlockable ? d.sun : unlockable;
  if (sun > 0n) return { state: "ready", sun: sun.toString() };
  if (lockedSun > 0n) {
    // the first block after the expiry sees it unlocked
    const until = new Date(nextUnlock + 3000);
    await db.update(delegations).set({ reclaimAfter: until }).where(eq(delegations.id, id));
    return {
      state: "locked",
      waitMs: Math.max(1000, nextUnlock - now + 3000),
      lockedSun: lockedSun.toString(),
      until: until.toISOString(),
    };
  }
  return { state: "gone" };
}

/** Nothing of ours is delegated any more (undelegated outside the app): close it, and say so. */
export async function markGone(id: number): Promise<{ status: string }> {
  const d = await loadPart(id);
  await raiseAlert({
    rule: "reclaim_nothing_on_chain",
    dedupeKey: `reclaim:gone:${id}`,
    severity: "info",
    message: `Delegation ${id} was no longer on chain when reclaimed (undelegated elsewhere?).`,
    details: { delegationId: id, orderId: d.orderId },
  });
  return finishReclaim(id, { fee: 0n, note: "nothing delegated on chain" });
}

/**
 * What undelegating `sun` from the receiver will cost the supplier after the rental
 * (UnDelegateResourceActuator): the receiver's share of its used energy,
 * min(energy of `sun`, usage × sun / its whole energy stake), moves to the owner and keeps that
 * much stake from being delegated again until it recovers (about 24 h). Null when not readable.
 */
export async function estimateMovedUsage(
  receiver: string,
  sun: bigint,
): Promise<{ energy: bigint; blockedSun: bigint } | null> {
  try {
    const client = tron();
    const [res, acct, w] = await Promise.all([
      client.getAccountResources(receiver),
      client.getAccount(receiver),
      client.getEnergyWeights(),
    ]);
    const stake = acct.frozenEnergySun + acct.delegatedInEnergySun;
    if (stake <= 0n || acct.delegatedInEnergySun < sun || res.energyUsed <= 0n)
      return { energy: 0n, blockedSun: 0n };
    const share = (res.energyUsed * sun) / stake;
    const max = energyForSun(sun, w);
    const energy = share < max ? share : max;
    const blockedSun =
      (energy * w.totalEnergyWeight * SUN_PER_TRX + w.totalEnergyLimit - 1n) / w.totalEnergyLimit;
    return { energy, blockedSun };
  } catch (e) {
    logger.warn({ receiver, err: (e as Error).message }, "could not estimate the usage a reclaim moves");
    return null;
  }
}

/** Signs the undelegate tx for `sun` and stores it before broadcast (with the usage it will move). */
export async function signReclaim(id: number, sun: bigint): Promise<{ txid: string }> {
  const d = await loadPart(id);
  if (d.reclaimTxid) return { txid: d.reclaimTxid };
  const w = await walletSigner(d.supplierWalletId);
  const [signed, moved] = await Promise.all([
    buildUndelegateEnergy(
      tron(),
      { owner: w.address, receiver: d.receiverAddress, sun },
      { encryptedKey: w.encryptedKey },
    ),
    estimateMovedUsage(d.receiverAddress, sun),
  ]);
  const db = await getDb();
  const ok = await db.transaction(async (tx) => {
    const rows = await tx
      .update(delegations)
      .set({
        reclaimSun: sun,
        reclaimSignedTx: signed.signedTx,
        reclaimTxid: signed.txid,
        reclaimTxExpiresAt: new Date(signed.expiration),
        reclaimAttempts: sql`${delegations.reclaimAttempts} + 1`,
        ...(moved ? { reclaimMovedEnergy: moved.energy, reclaimBlockedSun: moved.blockedSun } : {}),
      })
      .where(and(eq(delegations.id, id), sql`${delegations.reclaimTxid} is null`))
      .returning({ id: delegations.id });
    if (rows.length)
      await addOrderEvent(tx, {
        orderId: d.orderId,
        type: "reclaim_signed",
        details: { delegationId: id, txid: signed.txid, sun },
      });
    return rows.length > 0;
  });
  if (!ok) return { txid: (await loadPart(id)).reclaimTxid! };
  return { txid: signed.txid };
}

async function clearReclaimTx(d: Delegation, why: string): Promise<void> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    const rows = await tx
      .update(delegations)
      .set({ reclaimSignedTx: null, reclaimTxid: null, reclaimTxExpiresAt: null, error: why.slice(0, 500) })
      .where(and(eq(delegations.id, d.id), eq(delegations.reclaimTxid, d.reclaimTxid!)))
      .returning({ id: delegations.id });
    if (rows.length)
      await addOrderEvent(tx, {
        orderId: d.orderId,
        type: "reclaim_retry",
        details: { delegationId: d.id, txid: d.reclaimTxid, reason: why },
      });
  });
}

function raiseReclaimAlert(d: Delegation, msg: string) {
  return raiseAlert({
    rule: "reclaim_failed",
    dedupeKey: `reclaim:${d.id}`,
    severity: "critical",
    message: `Reclaiming delegation ${d.id} (order ${d.orderId}) failed: ${msg}`.slice(0, 1000),
    details: { delegationId: d.id, orderId: d.orderId, walletId: d.supplierWalletId, error: msg },
  });
}

async function reclaimFailed(d: Delegation, e: unknown): Promise<never> {
  await raiseReclaimAlert(d, e instanceof Error ? e.message : String(e));
  throw e;
}

/** reclaim-delegation spent its retries: the same critical `reclaim:<id>` alert. */
export async function reclaimRetriesSpent(id: number, error: string): Promise<void> {
  await raiseReclaimAlert(await loadPart(id), `after all retries: ${error}`);
}

/** The supplier wallet a delegation came from, refreshed from the chain (after a reclaim). */
export async function refreshWalletOfDelegation(id: number) {
  const d = await loadPart(id);
  return refreshWallets([d.supplierWalletId]);
}

/** How long a reclaim waits for a wallet without bandwidth or TRX before it tries again. */
export const NO_BANDWIDTH_RETRY_MS = 10 * 60_000;

/**
 * The wallet cannot pay for the undelegate (BANDWITH_ERROR: no free or staked bandwidth left, no TRX
 * to burn). The tx was never accepted, so it is dropped; a critical alert names the wallet and what
 * to send it, the order shows it, and the sweep tries again after NO_BANDWIDTH_RETRY_MS — never a
 * silent stall.
 */
async function stallForBandwidth(d: Delegation, chainMessage: string): Promise<void> {
  const owner = (await walletSigner(d.supplierWalletId)).address;
  const params = await tron()
    .getChainParameters()
    .catch(() => ({}) as Record<string, bigint>);
  const needSun = TX_BYTES * (params.getTransactionFee ?? 1000n);
  await clearReclaimTx(d, `bandwidth: ${chainMessage}`);
  const db = await getDb();
  await db
    .update(delegations)
    .set({ reclaimAfter: new Date((await chainNow()) + NO_BANDWIDTH_RETRY_MS) })
    .where(eq(delegations.id, d.id));
  await addOrderEvent(db, {
    orderId: d.orderId,
    type: "reclaim_stalled",
    details: { delegationId: d.id, walletId: d.supplierWalletId, reason: "bandwidth", needSun },
  });
  await raiseAlert({
    rule: "reclaim_no_bandwidth",
    dedupeKey: `pool:no_bandwidth:${d.supplierWalletId}`,
    severity: "critical",
    message: `Supplier wallet ${owner} has no bandwidth and no TRX to pay for undelegating (delegation ${d.id}, order ${d.orderId}): send it TRX (each undelegate burns about ${formatTrx(needSun)}). Reclaims retry every ${NO_BANDWIDTH_RETRY_MS / 60_000} minutes.`,
    details: {
      walletId: d.supplierWalletId,
      address: owner,
      delegationId: d.id,
      orderId: d.orderId,
      needSun: needSun.toString(),
    },
  });
}

/** Broadcasts the stored undelegate; a lock/amount refusal → "replan" (re-read the chain). */
export async function broadcastReclaim(
  id: number,
): Promise<{ state: "sent" | "replan" | "done" | "stalled" }> {
  const d = await loadPart(id);
  if (d.status === "reclaimed") return { state: "done" };
  if (!d.reclaimTxid || !d.reclaimSignedTx) return { state: "replan" };
  try {
    await broadcast(tron(), d.reclaimSignedTx as SignedTransactionJson);
  } catch (e) {
    if (isChainError(e, "expired") || isChainError(e, "tapos")) {
      // Not proof that it was never accepted (a node checks expiry before duplicates): the confirm
      // step decides — in a block, or provably expired (txStatus) → re-sign.
      await addOrderEvent(await getDb(), {
        orderId: d.orderId,
        type: "reclaim_broadcast_refused",
        details: { delegationId: id, txid: d.reclaimTxid, kind: e.kind, message: e.chainMessage },
      });
      return { state: "sent" };
    }
    if (isChainError(e, "bandwidth")) {
      await stallForBandwidth(d, e.chainMessage);
      return { state: "stalled" };
    }
    if (
      isChainError(e, "locked") ||
      isChainError(e, "insufficient_unlocked") ||
      isChainError(e, "no_delegation")
    ) {
      await clearReclaimTx(
        d,
        `${(e as { kind: string }).kind}: ${(e as { chainMessage: string }).chainMessage}`,
      );
      return { state: "replan" };
    }
    return reclaimFailed(d, e);
  }
  if (fulfilTestHooks.afterReclaimBroadcast) await fulfilTestHooks.afterReclaimBroadcast(d);
  return { state: "sent" };
}

/** Looks the undelegate txid up: in a block → reclaimed; expired/failed → "replan". */
export async function checkReclaim(id: number): Promise<{ state: "done" | "pending" | "replan" }> {
  const d = await loadPart(id);
  if (d.status === "reclaimed") return { state: "done" };
  if (!d.reclaimTxid) return { state: "replan" };
  const st = await txStatus(tron(), d.reclaimTxid, {
    ...txTimesOf(d.reclaimSignedTx),
    expiration: d.reclaimTxExpiresAt?.getTime(),
  });
  if ((st.status === "included" || st.status === "solidified") && st.info) {
    await finishReclaim(id, { fee: st.info.fee });
    return { state: "done" };
  }
  if (st.status === "failed") {
    await clearReclaimTx(d, `receipt failed: ${st.receiptResult}`);
    return { state: "replan" };
  }
  if (st.expired) {
    await clearReclaimTx(d, "undelegate tx expired before inclusion");
    return { state: "replan" };
  }
  return { state: "pending" };
}

/** Delegation → reclaimed; the order → completed once none of its parts is still out. */
export async function finishReclaim(
  id: number,
  p: { fee: bigint; note?: string },
): Promise<{ status: string }> {
  const d = await loadPart(id);
  const db = await getDb();
  const changes = await db.transaction(async (tx) => {
    const out: (Changed | null)[] = [];
    const rows = await tx
      .update(delegations)
      .set({
        status: "reclaimed",
        reclaimedAt: new Date(),
        reclaimFeeSun: p.fee,
        ...(p.note ? { error: p.note } : {}),
      })
      .where(and(eq(delegations.id, id), inArray(delegations.status, ["confirmed", "reclaiming"])))
      .returning({ id: delegations.id });
    if (!rows.length) return out;
    await addOrderEvent(tx, {
      orderId: d.orderId,
      type: "delegation_reclaimed",
      details: { delegationId: id, txid: d.reclaimTxid, sun: d.reclaimSun ?? d.sun, note: p.note },
    });
    const [{ n }] = rowsOf<{ n: string | number }>(
      await tx.execute(
        sql`select count(*) as n from delegations where order_id = ${d.orderId} and status not in ('reclaimed', 'failed')`,
      ),
    );
    if (Number(n) === 0)
      out.push(
        await transitionIn(
          tx,
          d.orderId,
          ["active", "reclaiming"],
          "completed",
          "completed",
          {},
          {
            completedAt: new Date(),
          },
        ),
      );
    return out;
  });
  await publishOrderChanges(changes);
  await resolveAlert(`reclaim:${id}`);
  await resolveAlert(`pool:no_bandwidth:${d.supplierWalletId}`);
  return { status: "reclaimed" };
}

export async function reclaimGiveUp(id: number, rounds: number): Promise<never> {
  const d = await loadPart(id);
  return reclaimFailed(d, new Error(`not reclaimed after ${rounds} rounds`));
}

// ------------------------------------------------------------------------------- sweeps

/** Delegations whose rental is over by the chain's clock (confirmed or reclaiming). */
export async function findDueDelegations(limit = 500): Promise<{ ids: number[]; bucket: number }> {
  const now = await chainNow();
  const db = await getDb();
  const rows = await db
    .select({ id: delegations.id })
    .from(delegations)
    .where(
      and(
        inArray(delegations.status, ["confirmed", "reclaiming"]),
        lte(delegations.expiresAt, new Date(now)),
        // not while a run waits for the chain (a lock, a retry): it is sent again after that
        or(isNull(delegations.reclaimAfter), lte(delegations.reclaimAfter, new Date(now))),
      ),
    )
    .orderBy(delegations.expiresAt)
    .limit(limit);
  return { ids: rows.map((r) => r.id), bucket: Math.floor(Date.now() / 600_000) };
}

export const delegationExpiredEvent = (id: number, bucket: number) =>
  delegationExpired.create({ delegationId: id }, { id: `delegation-expired-${id}-${bucket}` });

/** Thresholds for the safety sweep (seconds); tests lower them. */
export const safetySweepConfig = { paidGraceSeconds: 60 };

/**
 * Orders waiting in `paid` longer than the grace period (their order/paid may never have reached
 * Inngest) or in `delegating` with no progress for `stuckOrderMinutes`: the events to re-send.
 */
export async function findStuckOrders(): Promise<ReturnType<typeof orderPaid.create>[]> {
  const s = await getSettings();
  const db = await getDb();
  const paidBefore = new Date(Date.now() - safetySweepConfig.paidGraceSeconds * 1000);
  const stuckMs = s.alerts.stuckOrderMinutes * 60_000;
  const stuckBefore = new Date(Date.now() - stuckMs);
  const paid = await db
    .select({ id: orders.id })
    .from(orders)
    .where(and(eq(orders.status, "paid"), lte(orders.createdAt, paidBefore)))
    .limit(500);
  const stuck = rowsOf<{ id: number | string; last: string | Date }>(
    await db.execute(sql`
      select o.id, greatest(o.updated_at, coalesce(max(d.updated_at), o.updated_at)) as last
      from orders o left join delegations d on d.order_id = o.id
      where o.status = 'delegating'
      group by o.id
      having greatest(o.updated_at, coalesce(max(d.updated_at), o.updated_at)) <= ${stuckBefore.toISOString()}::timestamptz
      limit 500`),
  );
  const bucket = Math.floor(Date.now() / stuckMs);
  const events = paid.map((o) => orderPaid.create({ orderId: o.id }, { id: orderPaidEventId(o.id) }));
  for (const o of stuck) {
    const id = Number(o.id);
    events.push(orderPaid.create({ orderId: id }, { id: `${orderPaidEventId(id)}-sweep-${bucket}` }));
    await raiseAlert({
      rule: "order_stuck",
      dedupeKey: `order:stuck:${id}`,
      message: `Order ${id} has made no progress for ${s.alerts.stuckOrderMinutes} minutes; re-sent.`,
      details: { orderId: id },
    });
  }
  return events;
}
