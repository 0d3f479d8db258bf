import { and, eq } from "drizzle-orm";
import { getDb } from "@/db";
import { delegations } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { permissionRefused } from "@/lib/pool";
import { tron } from "@/lib/tron/client";
import { isChainError } from "@/lib/tron/errors";
import { broadcast, type SignedTransactionJson } from "@/lib/tron/tx";
import { loadPart } from "../parts";
import { addOrderEvent } from "../transitions";
import { failPart, type PartState, VALIDATION_KINDS } from "./part-state";

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
      // A permission-mode wallet's owner revoked (or changed) the grant since the last refresh.
      if (e.kind === "bad_signature")
        await permissionRefused(d.supplierWalletId, e.chainMessage, "broadcast");
      // The node refused it: it was never accepted, so it can never be included.
      return failPart(d, e.kind, e.chainMessage);
    }
    throw e;
  }
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
