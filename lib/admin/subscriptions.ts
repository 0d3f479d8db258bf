import { z } from "zod";
import { subscriptionStatus } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { listAllSubscriptions } from "@/lib/subscriptions";
import { type AdminContext, authorize } from "./auth";

const querySchema = z.object({
  status: z.enum(subscriptionStatus.enumValues).optional(),
  limit: z.number().int().min(1).max(500).optional(),
});

/**
 * The console's list of keep-energy subscriptions (newest first, optionally by status), with each
 * one's spend, top-ups and last chain read. Any admin role may read it.
 */
export async function adminListSubscriptions(
  ctx: AdminContext | null,
  query: { status?: string; limit?: number },
) {
  authorize(ctx, "subscriptions.read");
  const q = querySchema.safeParse({ ...query, status: query.status || undefined });
  if (!q.success) throw new AppError("bad_request", "Unknown subscription status.");
  const rows = await listAllSubscriptions(q.data);
  const totals = rows.reduce(
    (a, s) => ({
      spentSun: a.spentSun + s.spentSun,
      budgetSun: a.budgetSun + s.budgetSun,
      topups: a.topups + s.topups,
    }),
    { spentSun: 0n, budgetSun: 0n, topups: 0 },
  );
  return { rows, totals };
}
