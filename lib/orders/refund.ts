import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { getDb, type Tx } from "@/db";
import { type Order, orders } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { AppError } from "@/lib/errors";
import { refund } from "@/lib/ledger";
import { publishOrderChanges } from "./publish";
import { loadOwned } from "./read";
import { addOrderEvent, type Changed, transitionIn } from "./transitions";

/**
 * Refunds `amountSun` of an order once (ledger key `refund:order:<id>`), inside `tx`, and records
 * it on the order. A second call finds the first refund (or conflicts if the amount differs).
 * A package's prepaid supply (`package_id`) was never debited: nothing goes back to the balance
 * (the package's own expiry refund covers the user); the undelivered amount is only recorded, so
 * the supply's cost stays what was delivered.
 */
export async function refundInTx(
  tx: Tx,
  order: Pick<Order, "id" | "userId"> & { packageId?: number | null },
  amountSun: bigint,
  reason: string,
  adminId?: number | null,
): Promise<{ replayed: boolean }> {
  if (amountSun <= 0n) return { replayed: false };
  const packageId =
    order.packageId !== undefined
      ? order.packageId
      : ((await tx.select({ p: orders.packageId }).from(orders).where(eq(orders.id, order.id)))[0]?.p ??
        null);
  if (packageId !== null) {
    const done = await tx
      .update(orders)
      .set({ refundedSun: amountSun })
      .where(and(eq(orders.id, order.id), eq(orders.refundedSun, 0n)))
      .returning({ id: orders.id });
    if (done.length)
      await addOrderEvent(tx, {
        orderId: order.id,
        type: "refunded",
        details: { amountSun, reason, prepaidBy: { packageId } },
      });
    return { replayed: done.length === 0 };
  }
  const r = await refund(
    {
      userId: order.userId,
      amountSun,
      idempotencyKey: `refund:order:${order.id}`,
      referenceType: "order",
      referenceId: String(order.id),
      memo: reason.slice(0, 200),
      adminId: adminId ?? null,
    },
    tx,
  );
  if (!r.replayed) {
    await tx.update(orders).set({ refundedSun: amountSun }).where(eq(orders.id, order.id));
    await addOrderEvent(tx, {
      orderId: order.id,
      type: "refunded",
      details: { amountSun, reason, ledgerEntryId: r.entry.id },
    });
  }
  return { replayed: r.replayed };
}

/**
 * Admin refund: a `paid` order is cancelled and refunded; a `failed` one is refunded; a `completed`
 * one (delivered, ended, nothing refunded yet) is refunded in full (its referral commission is then
 * taken back, lib/referrals). Once per
 * order (ledger key `refund:order:<id>`); other statuses → invalid_state. The audit row is written
 * in the same transaction.
 */
export async function refundOrder(input: {
  orderId: number;
  reason: string;
  adminId?: number;
}): Promise<Order> {
  const p = z
    .object({
      orderId: z.number().int().positive(),
      reason: z.string().trim().min(1).max(500),
      adminId: z.number().int().positive().optional(),
    })
    .parse(input);
  const db = await getDb();
  const changes = await db.transaction(async (tx) => {
    const o = await loadOwned(tx, p.orderId);
    const out: (Changed | null)[] = [];
    if (o.status === "paid") {
      const c = await transitionIn(tx, o.id, ["paid"], "cancelled", "cancelled", { reason: p.reason });
      if (!c) throw new AppError("invalid_state", "The order changed; try again.");
      out.push(c);
    } else if (o.status === "completed") {
      // A delivered rental that has ended, refunded as a goodwill gesture: only in full and only
      // when nothing of it was refunded before (one refund per order).
      if (o.refundedSun !== 0n)
        throw new AppError(
          "invalid_state",
          "Part of this order was already refunded; it cannot be refunded again.",
        );
    } else if (o.status !== "failed") {
      throw new AppError("invalid_state", `An order that is ${o.status} cannot be refunded.`);
    }
    const remaining = o.priceSun - o.refundedSun;
    if (o.refundedSun === 0n) await refundInTx(tx, o, remaining, p.reason, p.adminId ?? null);
    out.push(
      await transitionIn(tx, o.id, ["cancelled", "failed", "completed"], "refunded", "refund_completed", {
        amountSun: o.priceSun,
        adminId: p.adminId ?? null,
      }),
    );
    await writeAudit(tx, {
      adminId: p.adminId ?? null,
      action: "order.refund",
      targetType: "order",
      targetId: String(o.id),
      before: { status: o.status },
      after: { status: "refunded", reason: p.reason },
    });
    return out;
  });
  await publishOrderChanges(changes);
  return loadOwned(await getDb(), p.orderId);
}
