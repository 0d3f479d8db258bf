import { inngest } from "@/inngest/client";
import { orderStatusChanged } from "@/inngest/events";
import { enqueueCallbackOfChange } from "@/lib/api/orders";

/**
 * order/status.changed of an order placed with a callback URL → one signed callback delivery
 * (lib/api/callbacks.ts; written once per order event, then api/callback.requested). Whichever
 * process changed the order (web request, admin console, bot, worker), the change reaches here.
 * One run at a time per order, so deliveries are written in the order of the changes.
 */
export const orderCallback = inngest.createFunction(
  {
    id: "order-callback",
    name: "API: queue the order callback",
    triggers: [{ event: orderStatusChanged, if: "event.data.callback == true" }],
    concurrency: [{ key: "event.data.orderId", limit: 1 }],
    retries: 3,
  },
  async ({ event, step }) =>
    step.run("enqueue", () => enqueueCallbackOfChange(event.data.orderId, event.data.orderEventId)),
);
