import { and, asc, desc, eq, inArray, lt, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db";
import { type Batch, type BatchLine, batches, batchLines, type Order, orders } from "@/db/schema";
import { AppError, fieldErrorsFromZod } from "@/lib/errors";

/** Reading batches: one with its lines and their orders, and pages of them. */

export type BatchLineDetail = BatchLine & {
  order: Pick<
    Order,
    | "id"
    | "status"
    | "receiverAddress"
    | "energy"
    | "durationKey"
    | "priceSun"
    | "refundedSun"
    | "expiresAt"
    | "failureReason"
  > | null;
};

export type BatchDetail = Batch & {
  lines: BatchLineDetail[];
  /** Sums over the lines' orders as they are now (refunds of failed orders included). */
  paidSun: bigint;
  refundedSun: bigint;
  /** Lines by what they show: pending (not placed yet), rejected, or their order's status. */
  counts: Record<string, number>;
  /** True while any line is unplaced or its order still moving (paid, delegating, reclaiming…). */
  settled: boolean;
};

/** Order statuses after which a line no longer changes (as far as the batch view cares). */
const FINAL = new Set(["active", "completed", "failed", "cancelled", "refunded"]);

/** A line's shown status: its own while not ordered, else its order's. */
export function lineShownStatus(l: BatchLineDetail): string {
  return l.order ? l.order.status : l.status;
}

/** The batch with its lines, when it exists and (with `userId`) belongs to that user; else not_found. */
export async function getBatch(input: { batchId: number; userId?: number }): Promise<BatchDetail> {
  if (!Number.isSafeInteger(input.batchId) || input.batchId <= 0)
    throw new AppError("not_found", "Batch not found.");
  const db = await getDb();
  const [b] = await db.select().from(batches).where(eq(batches.id, input.batchId));
  if (!b || (input.userId !== undefined && b.userId !== input.userId))
    throw new AppError("not_found", "Batch not found.");
  const rows = await db
    .select({
      line: batchLines,
      order: {
        id: orders.id,
        status: orders.status,
        receiverAddress: orders.receiverAddress,
        energy: orders.energy,
        durationKey: orders.durationKey,
        priceSun: orders.priceSun,
        refundedSun: orders.refundedSun,
        expiresAt: orders.expiresAt,
        failureReason: orders.failureReason,
      },
    })
    .from(batchLines)
    .leftJoin(orders, eq(orders.id, batchLines.orderId))
    .where(eq(batchLines.batchId, b.id))
    .orderBy(asc(batchLines.lineNo));
  const lines: BatchLineDetail[] = rows.map((r) => ({ ...r.line, order: r.line.orderId ? r.order : null }));
  let paidSun = 0n;
  let refundedSun = 0n;
  const counts: Record<string, number> = {};
  let settled = b.placedAt !== null;
  for (const l of lines) {
    const s = lineShownStatus(l);
    counts[s] = (counts[s] ?? 0) + 1;
    if (l.order) {
      paidSun += l.order.priceSun;
      refundedSun += l.order.refundedSun;
      if (!FINAL.has(l.order.status)) settled = false;
    }
  }
  return { ...b, lines, paidSun, refundedSun, counts, settled };
}

const listSchema = z.object({
  userId: z.number().int().positive().optional(),
  limit: z.number().int().min(1).max(200).default(20),
  cursor: z
    .string()
    .regex(/^\d{1,18}$/)
    .nullish(),
});

/** Newest first (a user's, or everyone's for the console); `nextCursor` is the id to continue below. */
export async function listBatches(
  input: { userId?: number; limit?: number; cursor?: string | null } = {},
): Promise<{ batches: Batch[]; nextCursor: string | null }> {
  const p = listSchema.safeParse(input);
  if (!p.success)
    throw new AppError("bad_request", "Invalid list parameters.", {
      fields: fieldErrorsFromZod(p.error.issues),
    });
  const { userId, limit, cursor } = p.data;
  const db = await getDb();
  const rows = await db
    .select()
    .from(batches)
    .where(
      and(
        userId ? eq(batches.userId, userId) : undefined,
        cursor ? lt(batches.id, Number(cursor)) : undefined,
      ),
    )
    .orderBy(desc(batches.id))
    .limit(limit + 1);
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  return { batches: page, nextCursor: more ? String(page[page.length - 1].id) : null };
}

/** The batch each of these orders was placed in (orders not from a batch are absent). */
export async function batchIdsOfOrders(orderIds: number[]): Promise<Map<number, number>> {
  if (orderIds.length === 0) return new Map();
  const db = await getDb();
  const rows = await db
    .select({ orderId: batchLines.orderId, batchId: batchLines.batchId })
    .from(batchLines)
    .where(inArray(batchLines.orderId, orderIds));
  return new Map(rows.map((r) => [r.orderId as number, r.batchId]));
}

/** How many batches a user has (the orders page links to them when there are any). */
export async function countBatches(userId: number): Promise<number> {
  const db = await getDb();
  const [r] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(batches)
    .where(eq(batches.userId, userId));
  return r?.n ?? 0;
}

/** The bot batch (with a Telegram card) an order was placed in, if any. */
export async function findBotBatchOfOrder(orderId: number): Promise<Batch | undefined> {
  const db = await getDb();
  const [r] = await db
    .select({ batch: batches })
    .from(batchLines)
    .innerJoin(batches, eq(batches.id, batchLines.batchId))
    .where(and(eq(batchLines.orderId, orderId), eq(batches.source, "bot")));
  return r?.batch;
}
