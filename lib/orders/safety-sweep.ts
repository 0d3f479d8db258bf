import { and, asc, eq, isNotNull, isNull, lte, sql } from "drizzle-orm";
import { getDb, rowsOf } from "@/db";
import { orderEvents, orders } from "@/db/schema";
import { orderPaid } from "@/inngest/events";
import { raiseAlert } from "@/lib/alerts";
import { sendEvents } from "@/lib/events";
import { getSettings } from "@/lib/settings";
import { markOrderEventsSent, orderPaidEventId, statusChangedEvent } from "./publish";

/**
 * The safety sweep's queries (inngest/functions/safety-sweep, every minute): orders whose
 * order/paid may never have reached Inngest or whose fulfilment stopped making progress, and
 * status changes committed but never sent.
 */

/** Thresholds for the safety sweep (seconds); tests lower them. */
export const safetySweepConfig = { paidGraceSeconds: 60 };

/**
 * Orders waiting in `paid` longer than the grace period (their order/paid may never have reached
 * Inngest) or in `delegating` with no progress for `stuckOrderMinutes`: the events to re-send.
 */
export async function findStuckOrders(): Promise<ReturnType<typeof orderPaid.create>[]> {
  const s = await getSettings();
  const db = await getDb();
  const paidBefore = new Date(Date.now() - safetySweepConfig.paidGraceSeconds * 1000);
  const stuckMs = s.alerts.stuckOrderMinutes * 60_000;
  const stuckBefore = new Date(Date.now() - stuckMs);
  const paid = await db
    .select({ id: orders.id })
    .from(orders)
    .where(and(eq(orders.status, "paid"), lte(orders.createdAt, paidBefore)))
    .limit(500);
  const stuck = rowsOf<{ id: number | string; last: string | Date }>(
    await db.execute(sql`
      select o.id, greatest(o.updated_at, coalesce(max(d.updated_at), o.updated_at)) as last
      from orders o left join delegations d on d.order_id = o.id
      where o.status = 'delegating'
      group by o.id
      having greatest(o.updated_at, coalesce(max(d.updated_at), o.updated_at)) <= ${stuckBefore.toISOString()}::timestamptz
      limit 500`),
  );
  const bucket = Math.floor(Date.now() / stuckMs);
  const events = paid.map((o) => orderPaid.create({ orderId: o.id }, { id: orderPaidEventId(o.id) }));
  for (const o of stuck) {
    const id = Number(o.id);
    events.push(orderPaid.create({ orderId: id }, { id: `${orderPaidEventId(id)}-sweep-${bucket}` }));
    await raiseAlert({
      rule: "order_stuck",
      dedupeKey: `order:stuck:${id}`,
      message: `Order ${id} has made no progress for ${s.alerts.stuckOrderMinutes} minutes; re-sent.`,
      details: { orderId: id },
    });
  }
  return events;
}

/** How long a status change may stay unsent before the safety sweep sends it (tests lower it). */
export const orderOutboxConfig = { resendAfterMs: 30_000 };

/**
 * Status changes committed more than `resendAfterMs` ago whose event was never marked sent
 * (Inngest was down, or the process stopped between the commit and the send) are sent now, oldest
 * first, with their own event ids, and marked. Returns how many; throws when Inngest is not
 * reachable (the sweep's step retries).
 */
export async function resendUnsentOrderEvents(limit = 500): Promise<number> {
  const db = await getDb();
  const rows = await db
    .select({
      event: orderEvents,
      order: {
        telegramChatId: orders.telegramChatId,
        telegramMessageId: orders.telegramMessageId,
        callbackUrl: orders.callbackUrl,
        apiKeyId: orders.apiKeyId,
      },
    })
    .from(orderEvents)
    .innerJoin(orders, eq(orders.id, orderEvents.orderId))
    .where(
      and(
        isNull(orderEvents.sentAt),
        isNotNull(orderEvents.toStatus),
        lte(orderEvents.createdAt, new Date(Date.now() - orderOutboxConfig.resendAfterMs)),
      ),
    )
    .orderBy(asc(orderEvents.id))
    .limit(limit);
  if (rows.length === 0) return 0;
  if (!(await sendEvents(rows.map((r) => statusChangedEvent(r.event, r.order)))))
    throw new Error("Could not re-send order/status.changed events");
  await markOrderEventsSent(rows.map((r) => r.event.id));
  return rows.length;
}
