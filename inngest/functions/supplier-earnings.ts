import { inngest } from "@/inngest/client";
import { orderStatusChanged } from "@/inngest/events";
import { settleSupplierEarnings } from "@/lib/suppliers";

/**
 * order/status.changed to `active` (delivered) or `refunded` → the suppliers whose wallets
 * delivered the order are credited their share once (lib/suppliers/earnings). The event comes from
 * the order's outbox row, so every such change arrives at least once; settling is idempotent per
 * delegation and works from the order as it is now. One run at a time per order.
 */
export const supplierEarningsFn = inngest.createFunction(
  {
    id: "supplier-earnings",
    name: "Suppliers: credit the earnings of a delivered order",
    triggers: [{ event: orderStatusChanged, if: "event.data.to == 'active' || event.data.to == 'refunded'" }],
    concurrency: [{ key: "event.data.orderId", limit: 1 }],
    retries: 5,
  },
  async ({ event, step }) =>
    step.run("settle", async () => {
      const r = await settleSupplierEarnings(event.data.orderId);
      // bigints do not travel in step output
      return JSON.parse(JSON.stringify(r, (_k, v) => (typeof v === "bigint" ? v.toString() : v)));
    }),
);
