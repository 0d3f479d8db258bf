import { z } from "zod";
import { decidePayout } from "@/lib/suppliers";
import { defineAction, id } from "./define";

/** Approves a pending supplier payout (paid next) or rejects it with a reason (returned to the balance). */
export const decideSupplierPayoutAction = defineAction(
  "suppliers.payouts",
  z.object({
    payoutId: id,
    decision: z.enum(["approve", "reject"]),
    reason: z.string().trim().max(500).optional(),
  }),
  async (ctx, i) => {
    const p = await decidePayout({
      payoutId: i.payoutId,
      approve: i.decision === "approve",
      reason: i.reason || undefined,
      adminId: ctx.admin.id,
    });
    return { payoutId: p.id, status: p.status };
  },
);
