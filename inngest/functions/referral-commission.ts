import { inngest } from "@/inngest/client";
import { orderStatusChanged } from "@/inngest/events";
import { settleReferralCommission } from "@/lib/referrals";

/**
 * order/status.changed to `active` (delivered) or `refunded` → the referrer's commission for the
 * order is credited, or taken back (lib/referrals/commission). The event comes from the order's
 * outbox row, so every such change arrives at least once (the safety sweep re-sends unsent rows);
 * settling is idempotent and works from the order as it is now, so a repeat or a late, out-of-order
 * run changes nothing that is already right. One run at a time per order.
 */
export const referralCommission = inngest.createFunction(
  {
    id: "referral-commission",
    name: "Referrals: settle the commission of an order",
    triggers: [{ event: orderStatusChanged, if: "event.data.to == 'active' || event.data.to == 'refunded'" }],
    concurrency: [{ key: "event.data.orderId", limit: 1 }],
    retries: 5,
  },
  async ({ event, step }) =>
    step.run("settle", async () => {
      const r = await settleReferralCommission(event.data.orderId);
      // bigints do not travel in step output
      return JSON.parse(JSON.stringify(r, (_k, v) => (typeof v === "bigint" ? v.toString() : v)));
    }),
);
