import { cron } from "inngest";
import { inngest } from "@/inngest/client";
import { sendEvents } from "@/lib/events";
import { findStuckOrders } from "@/lib/orders/reclaim";

/**
 * Every minute: orders waiting in `paid` (their order/paid may never have reached Inngest) or
 * stuck in `delegating` get order/paid again. The event id (order-paid-<id>, or a per-episode
 * id for stuck runs) and the per-order concurrency key keep this from fulfilling twice.
 */
export const safetySweep = inngest.createFunction(
  { id: "safety-sweep", name: "Order safety sweep", triggers: [cron("* * * * *")] },
  async ({ step }) => {
    const events = await step.run("find-stuck", () => findStuckOrders());
    if (events.length === 0) return { sent: 0 };
    const ok = await step.run("resend-paid", () => sendEvents(events));
    if (!ok) throw new Error("Could not re-send order/paid events");
    return { sent: events.length, orderIds: events.map((e) => e.data.orderId) };
  },
);
