import { and, eq, inArray, sql } from "drizzle-orm";
import { getDb } from "@/db";
import { type Delegation, delegations } from "@/db/schema";
import { logger } from "@/lib/log";
import { type TransactionInfo, tron } from "@/lib/tron/client";
import { txStatus, txTimesOf } from "@/lib/tron/tx";
import { loadPart, walletAddress } from "../parts";
import { addOrderEvent } from "../transitions";
import { MAX_RESIGNS } from "./limits";
import { failPart, type PartState } from "./part-state";
import { recordOwnerTxCost } from "@/lib/suppliers";

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

async function markConfirmed(d: Delegation, info: TransactionInfo) {
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
      await recordOwnerTxCost(tx, {
        walletId: d.supplierWalletId,
        delegationId: d.id,
        kind: "delegate",
        txid: d.txid!,
        info,
      });
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

/** The chain status of the part's stored tx; `null` once it is in a block (the part is then marked confirmed). */
async function storedTxStatus(d: Delegation) {
  const st = await txStatus(tron(), d.txid!, {
    ...txTimesOf(d.signedTx),
    expiration: d.txExpiresAt?.getTime(),
  });
  if ((st.status === "included" || st.status === "solidified") && st.info) {
    await markConfirmed(d, st.info);
    return null;
  }
  return st;
}

/** Where the part's tx stands: in a block → confirmed; refused in a block → failed; gone after expiry → expired. */
export async function checkPart(id: number): Promise<PartState> {
  const d = await loadPart(id);
  if (d.status === "confirmed") return { state: "confirmed", txid: d.txid ?? undefined };
  if (d.status === "failed")
    return { state: "failed", walletId: d.supplierWalletId, kind: d.error ?? "failed" };
  if (d.status === "planned") return { state: "resign" };
  const st = await storedTxStatus(d);
  if (!st) return { state: "confirmed", txid: d.txid! };
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
  const st = await storedTxStatus(d);
  if (!st) return { state: "confirmed", txid: d.txid! };
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
