import { eventType } from "inngest";
import { z } from "zod";

/** An order callback is due (one per order status change); deliver it. Event id = `callback-<deliveryId>`. */
export const callbackRequested = eventType("api/callback.requested", {
  schema: z.object({ deliveryId: z.number().int().positive(), orderId: z.number().int().positive() }),
});
