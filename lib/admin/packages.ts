import { z } from "zod";
import { packageStatus } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { listAllPackages } from "@/lib/packages";
import { type AdminContext, authorize } from "./auth";

const querySchema = z.object({
  status: z.enum(packageStatus.enumValues).optional(),
  limit: z.number().int().min(1).max(500).optional(),
});

/**
 * The console's list of per-transfer packages (newest first, optionally by status), each with its
 * use, the cost of its supplies (their recorded price less what was not delivered) and its margin
 * (price − expiry refund − supplies' cost); totals over the rows. Any admin role may read it.
 */
export async function adminListPackages(
  ctx: AdminContext | null,
  query: { status?: string; limit?: number },
) {
  authorize(ctx, "packages.read");
  const q = querySchema.safeParse({ ...query, status: query.status || undefined });
  if (!q.success) throw new AppError("bad_request", "Unknown package status.");
  const rows = await listAllPackages(q.data);
  const totals = rows.reduce(
    (a, p) => ({
      priceSun: a.priceSun + p.priceSun,
      refundedSun: a.refundedSun + p.refundedSun,
      costSun: a.costSun + p.supplyCostSun,
      marginSun: a.marginSun + p.marginSun,
    }),
    { priceSun: 0n, refundedSun: 0n, costSun: 0n, marginSun: 0n },
  );
  return { rows, totals };
}
