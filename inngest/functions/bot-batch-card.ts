import { inngest } from "@/inngest/client";
import { orderStatusChanged } from "@/inngest/events";
import { renderBatchOfOrder } from "@/lib/bot/notices";

/**
 * order/status.changed → the bot re-renders the batch card of a bot batch the order belongs to.
 * Orders of a bot batch have neither their own card nor a callback, so only such changes start a
 * run (portal orders too, which find no bot batch and stop).
 */
export const botBatchCard = inngest.createFunction(
  {
    id: "bot-batch-card",
    name: "Bot: update the batch card",
    triggers: [{ event: orderStatusChanged, if: "event.data.card == false && event.data.callback == false" }],
    concurrency: [{ key: "event.data.orderId", limit: 1 }],
    retries: 3,
  },
  async ({ event, step }) => step.run("render", () => renderBatchOfOrder(event.data.orderId)),
);
