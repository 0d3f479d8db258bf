import { inngest } from "@/inngest/client";
import { subscriptionBalanceLow } from "@/inngest/events";
import { notifySubscriptionBalance } from "@/lib/bot/subscriptions";

/** subscription/balance.low → the user's warning in the bot (sent once per low episode). */
export const botSubscriptionNotice = inngest.createFunction(
  {
    id: "bot-subscription-notice",
    name: "Bot: warn about a subscription's balance",
    triggers: [subscriptionBalanceLow],
    retries: 3,
  },
  async ({ event, step }) =>
    step.run("notify", () =>
      notifySubscriptionBalance(event.data.subscriptionId, event.data.kind, BigInt(event.data.priceSun)),
    ),
);
