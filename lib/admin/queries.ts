import { and, desc, eq, gte, ilike, inArray, isNotNull, lt, or, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db";
import {
  type AuditEntry,
  admins,
  auditLog,
  batchLines,
  delegations,
  type Order,
  orderSource,
  orders,
  type User,
  type UserWallet,
  users,
  userWallets,
} from "@/db/schema";
import { AppError, fieldErrorsFromZod } from "@/lib/errors";

/**
 * Read models of the admin console: the orders table, users, the audit log, outstanding
 * delegations (the dashboard's are in dashboard.ts). Money comes back as bigint sun; counts as
 * numbers. Every function here is called only after `authorize`/`requireAdmin` with the matching
 * `*.read` permission.
 */

// ------------------------------------------------------------------------------ orders table

/**
 * The orders table's `source` filter: the channel an order was placed on (`orders.source`: bot,
 * portal, api, admin, transfer) or what placed it: a per-transfer package's supply, a keep-energy
 * subscription's top-up, a line of a batch order (those carry their buyer's channel as `source`).
 */
export const orderSearchSources = [...orderSource.enumValues, "package", "subscription", "batch"] as const;
export type OrderSearchSource = (typeof orderSearchSources)[number];

export const orderSearchSchema = z.object({
  status: z
    .enum(orders.status.enumValues)
    .optional()
    .or(z.literal("").transform(() => undefined)),
  /** A user id, Telegram id or @username. */
  user: z.string().trim().max(64).optional(),
  receiver: z.string().trim().max(64).optional(),
  txid: z
    .string()
    .trim()
    .regex(/^[0-9a-fA-F]{64}$/, "A txid is 64 hex characters.")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  from: z.iso
    .date()
    .optional()
    .or(z.literal("").transform(() => undefined)),
  to: z.iso
    .date()
    .optional()
    .or(z.literal("").transform(() => undefined)),
  /** The batch the orders were placed by (its id). */
  batch: z
    .string()
    .trim()
    .regex(/^\d{1,15}$/, "A batch is its number.")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  /** Where the orders came from: a channel (the order's `source`) or what placed them. */
  source: z
    .enum(orderSearchSources, { error: `A source is one of: ${orderSearchSources.join(", ")}.` })
    .optional()
    .or(z.literal("").transform(() => undefined)),
  cursor: z
    .string()
    .regex(/^\d{1,18}$/)
    .optional()
    .or(z.literal("").transform(() => undefined)),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
type OrderSearch = z.input<typeof orderSearchSchema>;
type OrderRow = Order & {
  username: string | null;
  telegramId: number | null;
  /** The batch order this order is a line of, if any. */
  batchId: number | null;
};

/** Resolves "42", "123456789" (Telegram id) or "@name" to user ids. */
async function userIdsFor(q: string): Promise<number[]> {
  const db = await getDb();
  const name = q.replace(/^@/, "");
  const conds: SQL[] = [];
  if (/^\d{1,18}$/.test(q)) {
    const n = Number(q);
    if (n <= 2_147_483_647) conds.push(eq(users.id, n));
    conds.push(eq(users.telegramId, n));
  }
  if (/^[A-Za-z0-9_]{1,32}$/.test(name)) conds.push(eq(users.username, name));
  if (!conds.length) return [];
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .where(or(...conds))
    .limit(20);
  return rows.map((r) => r.id);
}

/** The searchable orders table, newest first, keyset-paginated by id. */
export async function searchOrders(
  input: OrderSearch,
): Promise<{ rows: OrderRow[]; nextCursor: string | null }> {
  const p = orderSearchSchema.safeParse(input);
  if (!p.success)
    throw new AppError("bad_request", "Some filters are not valid.", {
      fields: fieldErrorsFromZod(p.error.issues),
    });
  const f = p.data;
  const db = await getDb();
  const conds: (SQL | undefined)[] = [];
  if (f.status) conds.push(eq(orders.status, f.status));
  if (f.user) {
    const ids = await userIdsFor(f.user);
    if (!ids.length) return { rows: [], nextCursor: null };
    conds.push(inArray(orders.userId, ids));
  }
  if (f.receiver) conds.push(eq(orders.receiverAddress, f.receiver));
  if (f.batch) conds.push(eq(batchLines.batchId, Number(f.batch)));
  if (f.source === "package") conds.push(isNotNull(orders.packageId));
  else if (f.source === "subscription") conds.push(isNotNull(orders.subscriptionId));
  else if (f.source === "batch") conds.push(isNotNull(batchLines.batchId));
  else if (f.source) conds.push(eq(orders.source, f.source));
  if (f.txid) {
    const tx = f.txid.toLowerCase();
    const ds = await db
      .select({ orderId: delegations.orderId })
      .from(delegations)
      .where(or(eq(delegations.txid, tx), eq(delegations.reclaimTxid, tx)));
    if (!ds.length) return { rows: [], nextCursor: null };
    conds.push(
      inArray(
        orders.id,
        ds.map((d) => d.orderId),
      ),
    );
  }
  if (f.from) conds.push(gte(orders.createdAt, new Date(`${f.from}T00:00:00Z`)));
  if (f.to) conds.push(lt(orders.createdAt, new Date(new Date(`${f.to}T00:00:00Z`).getTime() + 86_400_000)));
  if (f.cursor) conds.push(lt(orders.id, Number(f.cursor)));
  const rows = await db
    .select({
      o: orders,
      username: users.username,
      telegramId: users.telegramId,
      batchId: batchLines.batchId,
    })
    .from(orders)
    .innerJoin(users, eq(users.id, orders.userId))
    // An order is the line of at most one batch (its key `batch:<id>:<line>` is unique per user).
    .leftJoin(batchLines, eq(batchLines.orderId, orders.id))
    .where(and(...conds))
    .orderBy(desc(orders.id))
    .limit(f.limit + 1);
  const more = rows.length > f.limit;
  const page = (more ? rows.slice(0, f.limit) : rows).map((r) => ({
    ...r.o,
    username: r.username,
    telegramId: r.telegramId,
    batchId: r.batchId,
  }));
  return { rows: page, nextCursor: more ? String(page[page.length - 1].id) : null };
}

// ------------------------------------------------------------------------------------- users

export async function searchUsers(q: string | undefined, limit = 50): Promise<User[]> {
  const db = await getDb();
  const s = (q ?? "").trim().slice(0, 64);
  if (!s) return db.select().from(users).orderBy(desc(users.id)).limit(limit);
  const ids = await userIdsFor(s);
  const name = s.replace(/^@/, "").replace(/[%_\\]/g, (c) => `\\${c}`);
  return db
    .select()
    .from(users)
    .where(or(ids.length ? inArray(users.id, ids) : undefined, ilike(users.username, `${name}%`)))
    .orderBy(desc(users.id))
    .limit(limit);
}

export async function getUserWallets(userId: number): Promise<UserWallet[]> {
  const db = await getDb();
  return db.select().from(userWallets).where(eq(userWallets.userId, userId)).orderBy(userWallets.id);
}

// ------------------------------------------------------------------------------------- audit

type AuditRow = AuditEntry & { adminEmail: string | null };

export async function listAudit(
  opts: { limit?: number; beforeId?: number; action?: string } = {},
): Promise<AuditRow[]> {
  const db = await getDb();
  const rows = await db
    .select({ a: auditLog, email: admins.email })
    .from(auditLog)
    .leftJoin(admins, eq(admins.id, auditLog.adminId))
    .where(
      and(
        opts.beforeId ? lt(auditLog.id, opts.beforeId) : undefined,
        opts.action ? eq(auditLog.action, opts.action) : undefined,
      ),
    )
    .orderBy(desc(auditLog.id))
    .limit(Math.min(opts.limit ?? 100, 500));
  return rows.map((r) => ({ ...r.a, adminEmail: r.email }));
}

export async function listAdmins() {
  const db = await getDb();
  return db
    .select({
      id: admins.id,
      email: admins.email,
      role: admins.role,
      totp: sql<boolean>`${admins.totpSecret} is not null`,
      lastLoginAt: admins.lastLoginAt,
      lockedUntil: admins.lockedUntil,
      disabledAt: admins.disabledAt,
    })
    .from(admins)
    .orderBy(admins.id);
}

// -------------------------------------------------------------------------------------- pool

type OutstandingDelegation = {
  id: number;
  orderId: number;
  walletId: number;
  sun: bigint;
  energy: bigint;
  status: string;
  expiresAt: Date | null;
};

/** Delegations still out on chain (confirmed or being reclaimed), soonest expiry first. */
export async function listOutstandingDelegations(limit = 500): Promise<OutstandingDelegation[]> {
  const db = await getDb();
  const rows = await db
    .select()
    .from(delegations)
    .where(inArray(delegations.status, ["confirmed", "reclaiming"]))
    .orderBy(delegations.expiresAt)
    .limit(limit);
  return rows.map((d) => ({
    id: d.id,
    orderId: d.orderId,
    walletId: d.supplierWalletId,
    sun: d.sun,
    energy: d.energy,
    status: d.status,
    expiresAt: d.expiresAt,
  }));
}
