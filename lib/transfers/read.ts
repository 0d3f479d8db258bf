import { and, desc, eq, isNotNull, lt, or, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db";
import { type RentalTransfer, rentalTransfers, rentalTransferStatus } from "@/db/schema";
import { getSettings } from "@/lib/settings";

const listSchema = z.object({
  status: z.enum(rentalTransferStatus.enumValues).optional(),
  beforeId: z.number().int().positive().optional(),
  limit: z.number().int().min(1).max(200).default(50),
});

/** Payments to the rental address, newest first (the console's list), optionally of one status. */
export async function listRentalTransfers(input: z.input<typeof listSchema> = {}): Promise<RentalTransfer[]> {
  const p = listSchema.parse(input);
  const db = await getDb();
  const where: SQL[] = [];
  if (p.status) where.push(eq(rentalTransfers.status, p.status));
  if (p.beforeId) where.push(lt(rentalTransfers.id, p.beforeId));
  return db
    .select()
    .from(rentalTransfers)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(rentalTransfers.id))
    .limit(p.limit);
}

/** Counts per status (the console's summary). */
export async function countRentalTransfers(): Promise<Partial<Record<RentalTransfer["status"], number>>> {
  const db = await getDb();
  const rows = await db
    .select({ status: rentalTransfers.status, n: sql<number>`count(*)::int` })
    .from(rentalTransfers)
    .groupBy(rentalTransfers.status);
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/**
 * Transfers with work left that a lost event would strand (the sweep re-sends them): pending ones
 * that can act now (solidified, or within the risk cap and not refused yet) and refunds under way.
 */
export async function rentalTransfersDue(limit = 200): Promise<number[]> {
  const db = await getDb();
  const s = await getSettings();
  const rows = await db
    .select({ id: rentalTransfers.id })
    .from(rentalTransfers)
    .where(
      or(
        eq(rentalTransfers.status, "refunding"),
        and(
          eq(rentalTransfers.status, "pending"),
          or(
            isNotNull(rentalTransfers.solidifiedAt),
            and(
              sql`${rentalTransfers.refundReason} is null`,
              sql`${rentalTransfers.amountSun} <= ${s.transfer.riskCapSun}`,
            ),
          ),
        ),
      ),
    )
    .orderBy(rentalTransfers.id)
    .limit(limit);
  return rows.map((r) => r.id);
}
