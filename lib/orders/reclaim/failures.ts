import { and, eq } from "drizzle-orm";
import { getDb } from "@/db";
import { type Delegation, delegations } from "@/db/schema";
import { raiseAlert } from "@/lib/alerts";
import { loadPart } from "../parts";
import { addOrderEvent } from "../transitions";

/** How a reclaim step gives up on a signed undelegate, and the operator's alert when it fails. */

/** Drops the stored undelegate (refused or gone): the next round signs a fresh one. */
export async function clearReclaimTx(d: Delegation, why: string): Promise<void> {
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

export async function reclaimFailed(d: Delegation, e: unknown): Promise<never> {
  await raiseReclaimAlert(d, e instanceof Error ? e.message : String(e));
  throw e;
}

/** reclaim-delegation spent its retries: the same critical `reclaim:<id>` alert. */
export async function reclaimRetriesSpent(id: number, error: string): Promise<void> {
  await raiseReclaimAlert(await loadPart(id), `after all retries: ${error}`);
}

/** The run's rounds are spent and the delegation is still out: the same alert, and the run fails. */
export async function reclaimGiveUp(id: number, rounds: number): Promise<never> {
  const d = await loadPart(id);
  return reclaimFailed(d, new Error(`not reclaimed after ${rounds} rounds`));
}
