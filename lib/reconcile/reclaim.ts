import { and, eq, isNotNull, sql } from "drizzle-orm";
import { getDb } from "@/db";
import { type ChainDrift, chainDrift } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { walletSigner } from "@/lib/pool";
import { tron } from "@/lib/tron/client";
import { isChainError } from "@/lib/tron/errors";
import {
  broadcast,
  buildUndelegateEnergy,
  type SignedTransactionJson,
  txStatus,
  txTimesOf,
} from "@/lib/tron/tx";

/**
 * Reclaiming orphans: the undelegate of a finding's unlocked stake is signed and stored on its
 * chain_drift row before any broadcast, broadcast (again, if need be), and checked until it is in a
 * block or provably never will be (then cleared for the next run to sign afresh).
 */

async function loadFinding(id: number): Promise<ChainDrift> {
  const db = await getDb();
  const [f] = await db.select().from(chainDrift).where(eq(chainDrift.id, id));
  if (!f) throw new AppError("not_found", `Drift finding ${id} not found.`);
  return f;
}

/**
 * Signs the undelegate of an orphan's unlocked stake and stores it (before any broadcast). Returns
 * the stored txid, or null when there is nothing to do (resolved, already signed elsewhere, no key).
 */
export async function signDriftReclaim(id: number): Promise<{ txid: string | null }> {
  const f = await loadFinding(id);
  if (f.status !== "open" || (f.kind !== "orphan" && f.kind !== "unreclaimed")) return { txid: null };
  if (f.reclaimTxid) return { txid: f.reclaimTxid };
  if (f.unlockedSun <= 0n) return { txid: null };
  const db = await getDb();
  let w: Awaited<ReturnType<typeof walletSigner>>;
  try {
    w = await walletSigner(f.supplierWalletId);
  } catch {
    await db.update(chainDrift).set({ reclaimError: "the wallet has no key" }).where(eq(chainDrift.id, id));
    return { txid: null };
  }
  if (w.mode === "permission") {
    // the owner's own delegations are theirs: the platform only undelegates its orders' parts
    await db
      .update(chainDrift)
      .set({ reclaimError: "permission-mode wallet: left to its owner" })
      .where(eq(chainDrift.id, id));
    return { txid: null };
  }
  const signed = await buildUndelegateEnergy(
    tron(),
    { owner: w.address, receiver: f.receiverAddress, sun: f.unlockedSun },
    { encryptedKey: w.encryptedKey },
  );
  const rows = await db
    .update(chainDrift)
    .set({
      reclaimSun: f.unlockedSun,
      reclaimSignedTx: signed.signedTx,
      reclaimTxid: signed.txid,
      reclaimTxExpiresAt: new Date(signed.expiration),
      reclaimError: null,
    })
    .where(and(eq(chainDrift.id, id), sql`${chainDrift.reclaimTxid} is null`))
    .returning({ id: chainDrift.id });
  if (!rows.length) return { txid: (await loadFinding(id)).reclaimTxid };
  return { txid: signed.txid };
}

async function clearDriftTx(f: ChainDrift, why: string): Promise<void> {
  const db = await getDb();
  await db
    .update(chainDrift)
    .set({
      reclaimSignedTx: null,
      reclaimTxid: null,
      reclaimTxExpiresAt: null,
      reclaimError: why.slice(0, 500),
    })
    .where(and(eq(chainDrift.id, f.id), eq(chainDrift.reclaimTxid, f.reclaimTxid!)));
}

/** Broadcasts the stored undelegate (a duplicate is fine; a refusal clears it for the next run). */
export async function broadcastDriftReclaim(id: number): Promise<{ state: "sent" | "cleared" | "none" }> {
  const f = await loadFinding(id);
  if (!f.reclaimTxid || !f.reclaimSignedTx) return { state: "none" };
  try {
    await broadcast(tron(), f.reclaimSignedTx as SignedTransactionJson);
    return { state: "sent" };
  } catch (e) {
    if (isChainError(e, "expired") || isChainError(e, "tapos")) return { state: "sent" }; // confirmed by txStatus
    if (isChainError(e)) {
      await clearDriftTx(f, `${e.kind}: ${e.chainMessage}`);
      return { state: "cleared" };
    }
    throw e;
  }
}

/** Where a stored orphan undelegate stands: in a block → recorded; provably expired/failed → cleared. */
export async function checkDriftReclaim(
  id: number,
): Promise<{ state: "done" | "pending" | "cleared" | "none" }> {
  const f = await loadFinding(id);
  if (!f.reclaimTxid) return { state: "none" };
  if (f.reclaimedAt) return { state: "done" };
  const st = await txStatus(tron(), f.reclaimTxid, {
    ...txTimesOf(f.reclaimSignedTx),
    expiration: f.reclaimTxExpiresAt?.getTime(),
  });
  const db = await getDb();
  if ((st.status === "included" || st.status === "solidified") && st.info) {
    await db
      .update(chainDrift)
      .set({ reclaimedAt: new Date(), reclaimFeeSun: st.info.fee })
      .where(eq(chainDrift.id, id));
    return { state: "done" };
  }
  if (st.status === "failed" || st.expired) {
    await clearDriftTx(f, st.expired ? "undelegate expired before inclusion" : `failed: ${st.receiptResult}`);
    return { state: "cleared" };
  }
  return { state: "pending" };
}

/** Findings (open or resolved meanwhile) whose undelegate is signed and not yet seen in a block. */
export async function driftReclaimsInFlight(): Promise<number[]> {
  const db = await getDb();
  const rows = await db
    .select({ id: chainDrift.id })
    .from(chainDrift)
    .where(and(isNotNull(chainDrift.reclaimTxid), sql`${chainDrift.reclaimedAt} is null`))
    .orderBy(chainDrift.id)
    .limit(500);
  return rows.map((r) => r.id);
}
