import { inngest } from "@/inngest/client";
import { orderStatusChanged } from "@/inngest/events";
import { renderOrderChange } from "@/lib/bot/notices";

/**
 * order/status.changed → the bot re-renders the order's live card (and, for a failure or refund,
 * sends a notifying message). Only orders with a card (placed in the bot) start a run. One run at
 * a time per order, so an order's edits land in the order of its changes.
 */
export const botOrderCard = inngest.createFunction(
  {
    id: "bot-order-card",
    name: "Bot: update the order card",
    triggers: [{ event: orderStatusChanged, if: "event.data.card == true" }],
    concurrency: [{ key: "event.data.orderId", limit: 1 }],
    retries: 3,
  },
  async ({ event, step }) =>
    step.run("render", () => renderOrderChange(event.data.orderId, event.data.orderEventId)),
);
