import { z } from "zod";
import { getDb } from "@/db";
import type { Order, OrderStatus } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { AppError } from "@/lib/errors";
import { publishOrderChanges } from "./publish";
import { loadOwned } from "./read";
import { refundInTx } from "./refund";
import { transitionIn } from "./transitions";

const DELIVERY_STARTED: OrderStatus[] = ["delegating", "active", "reclaiming", "completed"];

const cancelSchema = z.object({
  orderId: z.number().int().positive(),
  userId: z.number().int().positive().optional(),
  reason: z.string().max(500).optional(),
  admin: z.object({ adminId: z.number().int().positive(), ip: z.string().nullish() }).optional(),
});

/**
 * Cancels an order that is still `paid` (fulfilment not started) and refunds it in full, in one
 * transaction: paid → cancelled → refunded. With `userId` only that user's order; with `admin` (an
 * operator's cancel) its `order.cancel` audit row is written in the same transaction, so a cancel
 * that fails leaves no audit row and an audit row that cannot be written cancels nothing.
 */
export async function cancelOrder(input: z.input<typeof cancelSchema>): Promise<Order> {
  const p = cancelSchema.parse(input);
  const reason = p.reason ?? (p.admin ? "cancelled by operator" : "cancelled by user");
  const memo = p.reason ?? (p.admin ? "cancelled by operator" : "order cancelled");
  const db = await getDb();
  const changes = await db.transaction(async (tx) => {
    const o = await loadOwned(tx, p.orderId, p.userId);
    const c1 = await transitionIn(tx, o.id, ["paid"], "cancelled", "cancelled", { reason });
    if (!c1) throw notCancellable((await loadOwned(tx, o.id)).status); // as it is now, under the lock
    await refundInTx(tx, o, o.priceSun, memo);
    const c2 = await transitionIn(tx, o.id, ["cancelled"], "refunded", "refund_completed", {
      amountSun: o.priceSun,
    });
    if (p.admin)
      await writeAudit(tx, {
        adminId: p.admin.adminId,
        action: "order.cancel",
        targetType: "order",
        targetId: String(o.id),
        before: { status: c1.event.fromStatus },
        after: { status: c2?.order.status ?? c1.order.status, reason: p.reason ?? null },
        ip: p.admin.ip ?? null,
      });
    return [c1, c2] as const;
  });
  await publishOrderChanges(changes);
  return (changes[1] ?? changes[0]).order;
}

function notCancellable(status: OrderStatus): AppError {
  const message = DELIVERY_STARTED.includes(status)
    ? "This order can no longer be cancelled: delivery has started."
    : `Only a paid order can be cancelled; this one is ${status}.`;
  return new AppError("invalid_state", message, { details: { status } });
}
