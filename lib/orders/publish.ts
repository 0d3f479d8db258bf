import { sql } from "drizzle-orm";
import { getDb } from "@/db";
import type { Order, OrderEvent } from "@/db/schema";
import { orderStatusChanged } from "@/inngest/events";
import { type OutgoingEvent, sendEvents } from "@/lib/events";
import { logger } from "@/lib/log";
import { orderDeliverySeconds, orderTransitions } from "@/lib/metrics";
import type { Changed } from "./transitions";

/**
 * Publishing committed status changes. Every status change writes an `order_events` row in its
 * transaction; that row is the outbox of the change: after the commit `publishOrderChanges` sends
 * `order/status.changed` (event id from the row) and marks it sent, and the safety sweep sends
 * whatever stayed unmarked (./safety-sweep). The surfaces (bot card, API callbacks) are Inngest
 * functions triggered by that event.
 */

/** The Inngest event id of one status change: its `order_events` row (the outbox row) id. */
const orderEventEventId = (orderEventId: number) => `order-event-${orderEventId}`;

/** The Inngest event id of an order's order/paid (a re-send under it is dropped as a duplicate). */
export const orderPaidEventId = (orderId: number) => `order-paid-${orderId}`;

type Surfaces = Pick<Order, "telegramChatId" | "telegramMessageId" | "callbackUrl" | "apiKeyId">;

/** `order/status.changed` for one `order_events` row that changed the status of `order`. */
export function statusChangedEvent(
  e: Pick<OrderEvent, "id" | "orderId" | "type" | "fromStatus" | "toStatus">,
  order: Surfaces,
) {
  return orderStatusChanged.create(
    {
      orderId: e.orderId,
      orderEventId: e.id,
      type: e.type,
      from: e.fromStatus,
      to: e.toStatus ?? "",
      card: order.telegramChatId !== null && order.telegramMessageId !== null,
      callback: order.callbackUrl !== null && order.apiKeyId !== null,
    },
    { id: orderEventEventId(e.id) },
  );
}

/**
 * After the commit of status changes: counts and logs each (order metrics), sends their
 * `order/status.changed` events (with `also`, e.g. order/paid, in the same request) and marks the
 * `order_events` rows sent. Never throws; false when Inngest was not reached, in which case the rows
 * stay unsent and the safety sweep sends them (same event ids).
 */
export async function publishOrderChanges(
  changes: readonly (Changed | null)[],
  also: OutgoingEvent[] = [],
): Promise<boolean> {
  const done = changes.filter((c): c is Changed => c?.event.toStatus != null);
  for (const c of done) {
    countTransition(c.order, c.event);
    logger.info(
      { orderId: c.order.id, event: c.event.type, from: c.event.fromStatus, to: c.event.toStatus },
      "order status changed",
    );
  }
  const ok = await sendEvents([...done.map((c) => statusChangedEvent(c.event, c.order)), ...also]);
  if (ok && done.length) await markOrderEventsSent(done.map((c) => c.event.id));
  return ok;
}

/** Ids marked in the same turn of the event loop share one UPDATE (concurrent orders). */
let marking: { ids: number[]; done: Promise<void> } | null = null;

/** Marks `order_events` rows sent (their events reached Inngest). Never throws. */
export function markOrderEventsSent(ids: number[]): Promise<void> {
  if (!marking) {
    const batch: { ids: number[]; done: Promise<void> } = { ids: [], done: Promise.resolve() };
    batch.done = new Promise<void>((r) => setImmediate(r)).then(async () => {
      marking = null;
      try {
        // One statement, committed without waiting for its WAL flush (synchronous_commit off for
        // this transaction only): a mark lost to a crash costs a re-send that Inngest deduplicates,
        // and the hot path does not queue behind a disk flush for it.
        const db = await getDb();
        await db.execute(sql`
          update order_events set sent_at = now()
          from (select set_config('synchronous_commit', 'off', true)) as _async
          where id in (${sql.join(
            batch.ids.map((id) => sql`${id}`),
            sql`, `,
          )})`);
      } catch (e) {
        // the events did reach Inngest; the sweep re-sends them under the same ids (deduplicated)
        logger.warn({ err: e instanceof Error ? e.message : String(e) }, "could not mark order events sent");
      }
    });
    marking = batch;
  }
  marking.ids.push(...ids);
  return marking.done;
}

function countTransition(order: Order, event: OrderEvent): void {
  if (!event.toStatus) return;
  orderTransitions.inc({ from: event.fromStatus ?? "none", to: event.toStatus });
  if (event.toStatus === "active" && event.fromStatus === "delegating" && order.deliveredAt)
    orderDeliverySeconds.observe(
      Math.max(0, (order.deliveredAt.getTime() - order.createdAt.getTime()) / 1000),
    );
}
