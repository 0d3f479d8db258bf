import { inngest } from "@/inngest/client";
import { callbackRequested } from "@/inngest/events";
import {
  type AttemptResult,
  attemptDelivery,
  CALLBACK_BACKOFF,
  CALLBACK_MAX_ATTEMPTS,
  markDeliveryFailed,
} from "@/lib/api/callbacks";

/**
 * api/callback.requested → POST the signed order callback; on failure wait (10 s, 30 s, 2 m, 10 m,
 * 30 m, 1 h, 3 h) and try again, 8 attempts in all, then mark it failed. Every attempt is recorded
 * (the portal shows them). One run per delivery (event id), one delivery at a time per order so
 * an order's callbacks arrive in order. Step ids: `attempt-<n>`, `backoff-<n>`.
 */
export const deliverCallback = inngest.createFunction(
  {
    id: "deliver-callback",
    name: "Deliver order callback",
    triggers: [callbackRequested],
    concurrency: [{ key: "event.data.orderId", limit: 1 }],
    idempotency: "event.data.deliveryId",
    retries: 3,
  },
  async ({ event, step }) => {
    const { deliveryId } = event.data;
    let last: AttemptResult | null = null;
    for (let n = 1; n <= CALLBACK_MAX_ATTEMPTS; n++) {
      if (n > 1) await step.sleep(`backoff-${n}`, CALLBACK_BACKOFF[n - 2]);
      last = await step.run(`attempt-${n}`, () => attemptDelivery(deliveryId, n));
      if (last.outcome !== "retry") return { deliveryId, ...last };
    }
    await step.run("give-up", () => markDeliveryFailed(deliveryId));
    return { deliveryId, ...last, outcome: "failed" as const };
  },
);
