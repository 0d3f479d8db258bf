import { and, eq, inArray } from "drizzle-orm";
import type { Executor, Tx } from "@/db";
import { type Order, type OrderEvent, type OrderStatus, orderEvents, orders } from "@/db/schema";

/**
 * Order status changes: every one is a guarded `UPDATE … WHERE status IN (expected)` plus an
 * `order_events` row in the same transaction (the outbox row ./publish sends after the commit).
 */

export type Changed = { order: Order; event: OrderEvent };

/** Writes one `order_events` row. */
export async function addOrderEvent(
  ex: Executor,
  e: {
    orderId: number;
    type: string;
    fromStatus?: OrderStatus | null;
    toStatus?: OrderStatus | null;
    details?: Record<string, unknown>;
  },
): Promise<OrderEvent> {
  const [row] = await ex
    .insert(orderEvents)
    .values({
      orderId: e.orderId,
      type: e.type,
      fromStatus: e.fromStatus ?? null,
      toStatus: e.toStatus ?? null,
      details: e.details ? jsonSafe(e.details) : null,
    })
    .returning();
  return row;
}

export const jsonSafe = (v: Record<string, unknown>): Record<string, unknown> =>
  JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? x.toString() : x)));

/**
 * Guarded status change inside `tx`: only when the order is in one of `from`. Returns the new row
 * and its event, or null when the order was not in an expected status (nothing written).
 */
export async function transitionIn(
  tx: Tx,
  orderId: number,
  from: OrderStatus[],
  to: OrderStatus,
  type: string,
  details?: Record<string, unknown>,
  set: Partial<
    Pick<Order, "deliveredAt" | "expiresAt" | "completedAt" | "failureReason" | "refundedSun">
  > = {},
): Promise<Changed | null> {
  const [prev] = await tx
    .select({ status: orders.status })
    .from(orders)
    .where(eq(orders.id, orderId))
    .for("update");
  if (!prev || !from.includes(prev.status)) return null;
  const [order] = await tx
    .update(orders)
    .set({ status: to, updatedAt: new Date(), ...set })
    .where(and(eq(orders.id, orderId), inArray(orders.status, from)))
    .returning();
  if (!order) return null;
  const event = await addOrderEvent(tx, { orderId, type, fromStatus: prev.status, toStatus: to, details });
  return { order, event };
}
