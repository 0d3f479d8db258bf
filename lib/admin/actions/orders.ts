import { z } from "zod";
import { getDb } from "@/db";
import { writeAudit } from "@/lib/audit";
import { AppError } from "@/lib/errors";
import { cancelOrder, reclaimOrderNow, refundOrder, retryOrder } from "@/lib/orders";
import { defineAction, id, reason } from "./define";

/**
 * Re-sends order/paid. The answer says what happened: when the job queue did not take the event,
 * the action fails with that (the audit row records `sent: false`; the safety sweep re-sends later).
 */
export const retryOrderAction = defineAction("orders.retry", z.object({ orderId: id }), async (ctx, i) => {
  const r = await retryOrder({ orderId: i.orderId });
  await writeAudit(await getDb(), {
    adminId: ctx.admin.id,
    action: "order.retry",
    targetType: "order",
    targetId: String(i.orderId),
    after: r,
    ip: ctx.ip,
  });
  if (!r.sent)
    throw new AppError(
      "provider_unavailable",
      "Not sent: the job queue (Inngest) is not reachable. The retry is recorded, and the safety sweep sends it once the queue is back; /api/health shows its state.",
    );
  return r;
});

export const refundOrderAction = defineAction(
  "orders.refund",
  z.object({ orderId: id, reason }),
  async (ctx, i) => {
    // lib/orders writes the ledger row (once per order) and the audit row in one transaction.
    const o = await refundOrder({ orderId: i.orderId, reason: i.reason, adminId: ctx.admin.id });
    return { orderId: o.id, status: o.status };
  },
);

export const cancelOrderAction = defineAction(
  "orders.cancel",
  z.object({ orderId: id, reason: reason.optional() }),
  async (ctx, i) => {
    // lib/orders decides whether the order can be cancelled, and writes the refund and the audit
    // row in the cancel's transaction.
    const o = await cancelOrder({
      orderId: i.orderId,
      reason: i.reason,
      admin: { adminId: ctx.admin.id, ip: ctx.ip },
    });
    return { orderId: o.id, status: o.status };
  },
);

/** Sends delegation/expired now for every delegation of the order that is still out. */
export const reclaimOrderAction = defineAction(
  "orders.reclaim",
  z.object({ orderId: id }),
  async (ctx, i) => {
    const r = await reclaimOrderNow({ orderId: i.orderId });
    await writeAudit(await getDb(), {
      adminId: ctx.admin.id,
      action: "order.reclaim_now",
      targetType: "order",
      targetId: String(r.orderId),
      after: { delegationIds: r.delegationIds, sent: r.sent },
      ip: ctx.ip,
    });
    if (!r.sent)
      throw new AppError("provider_unavailable", "The job queue is not reachable; try again shortly.");
    return { delegationIds: r.delegationIds };
  },
);
