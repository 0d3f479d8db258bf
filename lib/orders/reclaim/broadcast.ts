import { eq } from "drizzle-orm";
import { getDb } from "@/db";
import { type Delegation, delegations } from "@/db/schema";
import { raiseAlert } from "@/lib/alerts";
import { formatTrx } from "@/lib/money";
import { permissionRefused, TX_BYTES, walletSigner } from "@/lib/pool";
import { chainNow } from "@/lib/pool/chain";
import { tron } from "@/lib/tron/client";
import { isChainError } from "@/lib/tron/errors";
import { broadcast, type SignedTransactionJson } from "@/lib/tron/tx";
import { loadPart } from "../parts";
import { addOrderEvent } from "../transitions";
import { clearReclaimTx, reclaimFailed } from "./failures";
import { NO_BANDWIDTH_RETRY_MS } from "./limits";

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
    if (
      isChainError(e, "bad_signature") &&
      (await permissionRefused(d.supplierWalletId, e.chainMessage, "reclaim"))
    ) {
      // the owner revoked the grant: only they can undelegate now (flagged, alerted); the sweep
      // looks again later and closes it once it is gone from the chain
      await clearReclaimTx(d, `permission revoked: ${e.chainMessage}`);
      const db = await getDb();
      await db
        .update(delegations)
        .set({ reclaimAfter: new Date((await chainNow()) + NO_BANDWIDTH_RETRY_MS) })
        .where(eq(delegations.id, d.id));
      return { state: "stalled" };
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
  return { state: "sent" };
}
