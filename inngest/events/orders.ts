import { eventType } from "inngest";
import { z } from "zod";

/** An order was paid (ledger debit written); fulfil it. Sent with the order id as the event id. */
export const orderPaid = eventType("order/paid", {
  schema: z.object({ orderId: z.number().int().positive() }),
});

/** A delegation's rental time is over; reclaim it. */
export const delegationExpired = eventType("delegation/expired", {
  schema: z.object({ delegationId: z.number().int().positive() }),
});

/** Someone (an operator, a delivery, a reclaim) wants the supplier pool re-read from the chain. */
export const poolRefreshRequested = eventType("pool/refresh.requested", {
  schema: z.object({ reason: z.string().max(200).optional() }),
});

/**
 * An order changed status (one per `order_events` row with a `to_status`, sent after the commit
 * from that row, the outbox). Event id = `order-event-<orderEventId>`, so the sweep's re-send of
 * an unmarked row is deduplicated. `card`: the order has a live Telegram card; `callback`: it was
 * placed through the API with a callback URL (the consumers' trigger conditions, so an order
 * without either starts no run). Consumers read the order itself for anything else.
 */
export const orderStatusChanged = eventType("order/status.changed", {
  schema: z.object({
    orderId: z.number().int().positive(),
    orderEventId: z.number().int().positive(),
    type: z.string().max(100),
    from: z.string().max(30).nullable(),
    to: z.string().max(30),
    card: z.boolean(),
    callback: z.boolean(),
  }),
});
