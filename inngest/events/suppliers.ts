import { eventType } from "inngest";
import { z } from "zod";

/**
 * A supplier's payout is approved (by an operator, or automatically under the threshold) or found
 * still open by the sweep: the worker signs, stores, broadcasts and confirms it. Every send finds the
 * row's state and does only what is left. Ids: `supplier-payout-<id>-<phase>`.
 */
export const supplierPayoutApproved = eventType("supplier/payout.approved", {
  schema: z.object({ payoutId: z.number().int().positive() }),
});
