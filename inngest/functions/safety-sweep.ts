import { cron } from "inngest";
import { inngest } from "@/inngest/client";
import { findUnsentCallbacks } from "@/lib/api/callbacks";
import { sendEvents } from "@/lib/events";
import { findStuckOrders, resendUnsentOrderEvents } from "@/lib/orders/safety-sweep";

/**
 * Every minute: orders waiting in `paid` (their order/paid may never have reached Inngest) or
 * stuck in `delegating` get order/paid again. The event id (order-paid-<id>, or a per-episode
 * id for stuck runs) and the per-order concurrency key keep this from fulfilling twice. Status
 * changes whose order/status.changed was never marked sent (the outbox: `order_events.sent_at`)
 * are sent under their own event ids. Order callbacks written but never attempted get their
 * api/callback.requested again, under the same event id.
 */
export const safetySweep = inngest.createFunction(
  { id: "safety-sweep", name: "Order safety sweep", triggers: [cron("* * * * *")] },
  async ({ step }) => {
    const events = await step.run("find-stuck", () => findStuckOrders());
    if (events.length > 0) {
      const ok = await step.run("resend-paid", () => sendEvents(events));
      if (!ok) throw new Error("Could not re-send order/paid events");
    }
    const statusChanges = await step.run("resend-status-changes", () => resendUnsentOrderEvents());
    const callbacks = await step.run("find-unsent-callbacks", () => findUnsentCallbacks());
    if (callbacks.length > 0) {
      const ok = await step.run("resend-callbacks", () => sendEvents(callbacks));
      if (!ok) throw new Error("Could not re-send api/callback.requested events");
    }
    return {
      sent: events.length,
      orderIds: events.map((e) => e.data.orderId),
      statusChanges,
      callbacks: callbacks.map((e) => e.data.deliveryId),
    };
  },
);
