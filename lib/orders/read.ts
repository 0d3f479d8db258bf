import { and, asc, desc, eq, lt, sql } from "drizzle-orm";
import { z } from "zod";
import { type Executor, getDb, preparedQuery } from "@/db";
import {
  type Delegation,
  delegations,
  type Order,
  type OrderEvent,
  type OrderStatus,
  orderEvents,
  orders,
} from "@/db/schema";
import { AppError, fieldErrorsFromZod } from "@/lib/errors";

/** Reading orders: one with its events and delegations, and pages of them. */

export type OrderDetail = Order & { events: OrderEvent[]; delegations: Delegation[] };

/** The order, when it exists and (with `userId`) belongs to that user; else not_found. */
export async function loadOwned(ex: Executor, orderId: number, userId?: number): Promise<Order> {
  const [o] = await ex.select().from(orders).where(eq(orders.id, orderId));
  if (!o || (userId !== undefined && o.userId !== userId))
    throw new AppError("not_found", "Order not found.");
  return o;
}

export async function getOrder(input: { orderId: number; userId?: number }): Promise<OrderDetail> {
  const db = await getDb();
  const o = await loadOwned(db, input.orderId, input.userId);
  const [events, parts] = await Promise.all([
    db.select().from(orderEvents).where(eq(orderEvents.orderId, o.id)).orderBy(asc(orderEvents.id)),
    db.select().from(delegations).where(eq(delegations.orderId, o.id)).orderBy(asc(delegations.id)),
  ]);
  return { ...o, events, delegations: parts };
}

const listSchema = z.object({
  userId: z.number().int().positive().optional(),
  status: z.enum(orders.status.enumValues).optional(),
  limit: z.number().int().min(1).max(200).default(20),
  cursor: z
    .string()
    .regex(/^\d{1,18}$/)
    .nullish(),
});

/** Newest first; `nextCursor` is the id to continue below. */
export async function listOrders(
  input: { userId?: number; status?: OrderStatus; limit?: number; cursor?: string | null } = {},
): Promise<{ orders: Order[]; nextCursor: string | null }> {
  const p = listSchema.safeParse(input);
  if (!p.success)
    throw new AppError("bad_request", "Invalid list parameters.", {
      fields: fieldErrorsFromZod(p.error.issues),
    });
  const { userId, status, limit, cursor } = p.data;
  // A user's latest orders (dashboard, bot, API first page): one prepared statement.
  const rows =
    userId && !status && !cursor
      ? await (await latestOfUserQuery()).execute({ userId, limit: limit + 1 })
      : await listQuery(await getDb(), { userId, status, cursor, limit });
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  return { orders: page, nextCursor: more ? String(page[page.length - 1].id) : null };
}

const latestOfUserQuery = preparedQuery((db) =>
  db
    .select()
    .from(orders)
    .where(eq(orders.userId, sql.placeholder("userId")))
    .orderBy(desc(orders.id))
    .limit(sql.placeholder("limit"))
    .prepare("orders_latest_of_user"),
);

function listQuery(
  db: Executor,
  q: { userId?: number; status?: OrderStatus; cursor?: string | null; limit: number },
): Promise<Order[]> {
  const { userId, status, cursor, limit } = q;
  return db
    .select()
    .from(orders)
    .where(
      and(
        userId ? eq(orders.userId, userId) : undefined,
        status ? eq(orders.status, status) : undefined,
        cursor ? lt(orders.id, Number(cursor)) : undefined,
      ),
    )
    .orderBy(desc(orders.id))
    .limit(limit + 1);
}
