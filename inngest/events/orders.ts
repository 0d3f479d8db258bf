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
