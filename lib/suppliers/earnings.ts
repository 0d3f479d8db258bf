import { and, eq, inArray, isNotNull } from "drizzle-orm";
import { getDb, type Tx } from "@/db";
import { delegations, orders, supplierEarnings, supplierWallets, walletTxCosts } from "@/db/schema";
import { post } from "@/lib/ledger";
import { recordWalletTxCost } from "@/lib/pool";
import { getSettings } from "@/lib/settings";

/**
 * Supplier earnings, settled per order (docs/suppliers.md). `settleSupplierEarnings(orderId)` makes
 * the ledger agree with the order's delivered parts and does nothing when it already does, so the
 * `supplier-earnings` function runs it on every order/status.changed to `active` or `refunded`,
 * any number of times, in any order:
 *
 * - Only a delivered order (`delivered_at` set) earns, and only on its delivered parts (delegations
 *   confirmed on chain). Its delivered value is floor(price × delivered energy / order energy),
 *   capped at the order's energy — exactly what the order kept when its undelivered share was
 *   refunded (lib/orders/fulfil/finish refunds ceil(price × undelivered / energy)); a later
 *   goodwill refund of a completed rental is the platform's, not the supplier's.
 * - Each delivered part from a supplier's wallet earns its share: gross = floor(value × part
 *   energy / delivered energy); the supplier gets floor(gross × (10,000 − commission bps) / 10,000)
 *   (settings `suppliers.commissionBps` at the time of crediting); the rest is the platform's
 *   commission. Every remainder of rounding stays with the platform.
 * - Credited once per delegation: ledger `supplier_earning`, key `supplier:earning:delegation:<id>`,
 *   with its `supplier_earnings` row in the same transaction. A failed order, refunded in full,
 *   has no delivered part and earns nothing.
 */

export const earningKey = (delegationId: number) => `supplier:earning:delegation:${delegationId}`;

const BPS = 10_000n;

/** What the supplier gets of `grossSun` at `commissionBps`: rounded down. */
export function supplierShareOf(grossSun: bigint, commissionBps: number): bigint {
  if (grossSun <= 0n) return 0n;
  return (grossSun * (BPS - BigInt(commissionBps))) / BPS;
}

export type EarningsResult =
  | { status: "credited"; credited: { delegationId: number; supplierUserId: number; earningSun: bigint }[] }
  | { status: "none"; reason: "no_order" | "not_delivered" | "no_supplier_parts" };

const DELIVERED = ["confirmed", "reclaiming", "reclaimed"] as const;

export async function settleSupplierEarnings(orderId: number): Promise<EarningsResult> {
  const db = await getDb();
  const { suppliers } = await getSettings();
  return db.transaction(async (tx) => {
    const [o] = await tx.select().from(orders).where(eq(orders.id, orderId)).for("update");
    if (!o) return { status: "none", reason: "no_order" } as const;
    if (!o.deliveredAt) return { status: "none", reason: "not_delivered" } as const;
    const parts = await tx
      .select({
        id: delegations.id,
        energy: delegations.energy,
        walletId: delegations.supplierWalletId,
        supplierUserId: supplierWallets.supplierUserId,
      })
      .from(delegations)
      .innerJoin(supplierWallets, eq(supplierWallets.id, delegations.supplierWalletId))
      .where(
        and(
          eq(delegations.orderId, orderId),
          inArray(delegations.status, [...DELIVERED]),
          isNotNull(delegations.confirmedAt),
        ),
      )
      .orderBy(delegations.id);
    const deliveredEnergy = parts.reduce((a, d) => a + d.energy, 0n);
    const theirs = parts.filter((d) => d.supplierUserId !== null);
    if (theirs.length === 0 || deliveredEnergy <= 0n)
      return { status: "none", reason: "no_supplier_parts" } as const;
    const done = new Set(
      (
        await tx
          .select({ id: supplierEarnings.delegationId })
          .from(supplierEarnings)
          .where(eq(supplierEarnings.orderId, orderId))
      ).map((r) => r.id),
    );
    const counted = deliveredEnergy < o.energy ? deliveredEnergy : o.energy;
    const value = (o.priceSun * counted) / o.energy;
    const credited: { delegationId: number; supplierUserId: number; earningSun: bigint }[] = [];
    for (const d of theirs) {
      if (done.has(d.id)) continue;
      const gross = (value * d.energy) / deliveredEnergy;
      const earning = supplierShareOf(gross, suppliers.commissionBps);
      if (earning <= 0n) continue;
      const supplierUserId = d.supplierUserId as number;
      const { entry } = await post(
        {
          userId: supplierUserId,
          type: "supplier_earning",
          amountSun: earning,
          idempotencyKey: earningKey(d.id),
          referenceType: "delegation",
          referenceId: String(d.id),
          memo: `supplier earning, order #${orderId}`,
        },
        tx,
      );
      await tx.insert(supplierEarnings).values({
        delegationId: d.id,
        orderId,
        supplierUserId,
        supplierWalletId: d.walletId,
        energy: d.energy,
        grossSun: gross,
        commissionBps: suppliers.commissionBps,
        commissionSun: gross - earning,
        earningSun: earning,
        creditEntryId: entry.id,
      });
      credited.push({ delegationId: d.id, supplierUserId, earningSun: earning });
    }
    return { status: "credited", credited } as const;
  });
}

export const feeRefundKey = (txid: string) => `supplier:fee:${txid}`;

/**
 * Records what one of the platform's transactions cost the owner of a permission-mode wallet
 * (lib/pool `recordWalletTxCost`, once per txid) and, when the wallet is a third-party supplier's,
 * repays the TRX it burned to that supplier in the same transaction: ledger `supplier_fee_refund`,
 * key `supplier:fee:<txid>`, the entry id kept on the cost row. The platform asked for the
 * transaction, so its fee is the platform's cost; the bandwidth the owner's stake or free allowance
 * covered burns no TRX and is shown, not paid. Call inside the transaction that marks the delegate
 * or undelegate confirmed.
 */
export async function recordOwnerTxCost(tx: Tx, p: Parameters<typeof recordWalletTxCost>[1]): Promise<void> {
  const row = await recordWalletTxCost(tx, p);
  if (!row || row.supplierUserId === null || row.feeSun <= 0n) return;
  const { entry } = await post(
    {
      userId: row.supplierUserId,
      type: "supplier_fee_refund",
      amountSun: row.feeSun,
      idempotencyKey: feeRefundKey(row.txid),
      referenceType: "wallet_tx_cost",
      referenceId: String(row.id),
      memo: `TRX burned by our ${row.kind} ${row.txid.slice(0, 12)}…, repaid`,
    },
    tx,
  );
  await tx.update(walletTxCosts).set({ repaidEntryId: entry.id }).where(eq(walletTxCosts.id, row.id));
}
