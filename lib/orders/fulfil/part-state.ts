import { and, eq, inArray } from "drizzle-orm";
import { getDb } from "@/db";
import { type Delegation, delegations } from "@/db/schema";
import { IN_FLIGHT } from "../parts";
import { addOrderEvent } from "../transitions";

/** Where a part stands after a fulfilment step, and how a step fails one. */

export type PartState =
  | { state: "signed" | "sent" | "confirmed" | "pending" | "expired" | "resign"; txid?: string }
  | { state: "failed"; walletId: number; kind: string };

/**
 * Fails the part if it is still in one of `from` (default: any in-flight status). Returns whether
 * this call failed it: a check made on a stale read (another run signed the part meanwhile) must
 * not fail a part that has moved on.
 */
export async function failPartIf(
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

export async function failPart(d: Delegation, kind: string, message: string): Promise<PartState> {
  await failPartIf(d, kind, message);
  return { state: "failed", walletId: d.supplierWalletId, kind };
}

/** Chain refusals that mean the node will never accept this part from this wallet as it stands. */
export const VALIDATION_KINDS = new Set([
  "insufficient_delegatable",
  "validate_other",
  "bandwidth",
  "insufficient_balance",
  "not_activated",
  "bad_signature",
  "unknown",
]);
