import { and, eq, inArray, sql } from "drizzle-orm";
import { getDb, rowsOf } from "@/db";
import { delegations } from "@/db/schema";
import { resolveAlert } from "@/lib/alerts";
import { type TransactionInfo, tron } from "@/lib/tron/client";
import { txStatus, txTimesOf } from "@/lib/tron/tx";
import { loadPart, refreshWallets } from "../parts";
import { publishOrderChanges } from "../publish";
import { addOrderEvent, type Changed, transitionIn } from "../transitions";
import { clearReclaimTx } from "./failures";
import { recordOwnerTxCost } from "@/lib/suppliers";

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
    await finishReclaim(id, { fee: st.info.fee, info: st.info });
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
  p: { fee: bigint; note?: string; info?: TransactionInfo },
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
    // permission mode: what the undelegate cost the owner, from its receipt
    if (p.info && d.reclaimTxid)
      await recordOwnerTxCost(tx, {
        walletId: d.supplierWalletId,
        delegationId: id,
        kind: "undelegate",
        txid: d.reclaimTxid,
        info: p.info,
      });
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

/** The supplier wallet a delegation came from, refreshed from the chain (after a reclaim). */
export async function refreshWalletOfDelegation(id: number) {
  const d = await loadPart(id);
  return refreshWallets([d.supplierWalletId]);
}
