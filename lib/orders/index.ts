import { createHash } from "node:crypto";
import { and, asc, desc, eq, inArray, isNotNull, isNull, lt, lte, sql } from "drizzle-orm";
import { LRUCache } from "lru-cache";
import { z } from "zod";
import { type Executor, fromRow, getDb, isUniqueViolation, preparedQuery, rowsOf, type Tx } from "@/db";
import {
  type Delegation,
  delegations,
  type Order,
  type OrderEvent,
  type OrderStatus,
  orderEvents,
  orders,
  users,
} from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { AppError, fieldErrorsFromZod } from "@/lib/errors";
import { orderPaid, orderStatusChanged } from "@/inngest/events";
import { type OutgoingEvent, sendEvent, sendEvents } from "@/lib/events";
import { explainShortBalance, postingCtes, refund } from "@/lib/ledger";
import { logger } from "@/lib/log";
import { orderDeliverySeconds, orderTransitions } from "@/lib/metrics";
import { checkOrderCapacity } from "@/lib/pool/capacity";
import { tron } from "@/lib/tron/client";
import { quoteWith } from "@/lib/pricing";
import { getSettings } from "@/lib/settings";
import { parseAddress } from "@/lib/tron/address";
import { lockPeriodBlocksLive } from "@/lib/tron/resources";

export type { Delegation, Order, OrderEvent, OrderStatus };
export type OrderDetail = Order & { events: OrderEvent[]; delegations: Delegation[] };

/**
 * Orders: create (quote + ledger debit + order + first event in one transaction, then order/paid),
 * cancel, refund, read. Every status change is a guarded `UPDATE … WHERE status IN (expected)`
 * plus an `order_events` row in the same transaction; that row is the outbox of the change: after
 * the commit `publishOrderChanges` sends `order/status.changed` (event id from the row) and marks
 * it sent, and the safety sweep sends whatever stayed unmarked. The surfaces (bot card, API
 * callbacks) are Inngest functions triggered by that event.
 */

// ------------------------------------------------------------------------------- publishing

/** The Inngest event id of one status change: its `order_events` row (the outbox row) id. */
export const orderEventEventId = (orderEventId: number) => `order-event-${orderEventId}`;

type Surfaces = Pick<Order, "telegramChatId" | "telegramMessageId" | "callbackUrl" | "apiKeyId">;

/** `order/status.changed` for one `order_events` row that changed the status of `order`. */
export function statusChangedEvent(
  e: Pick<OrderEvent, "id" | "orderId" | "type" | "fromStatus" | "toStatus">,
  order: Surfaces,
) {
  return orderStatusChanged.create(
    {
      orderId: e.orderId,
      orderEventId: e.id,
      type: e.type,
      from: e.fromStatus,
      to: e.toStatus ?? "",
      card: order.telegramChatId !== null && order.telegramMessageId !== null,
      callback: order.callbackUrl !== null && order.apiKeyId !== null,
    },
    { id: orderEventEventId(e.id) },
  );
}

/**
 * After the commit of status changes: counts and logs each (order metrics), sends their
 * `order/status.changed` events (with `also`, e.g. order/paid, in the same request) and marks the
 * `order_events` rows sent. Never throws; false when Inngest was not reached, in which case the rows
 * stay unsent and the safety sweep sends them (same event ids).
 */
export async function publishOrderChanges(
  changes: (Changed | null)[],
  also: OutgoingEvent[] = [],
): Promise<boolean> {
  const done = changes.filter((c): c is Changed => c?.event.toStatus != null);
  for (const c of done) {
    countTransition(c.order, c.event);
    logger.info(
      { orderId: c.order.id, event: c.event.type, from: c.event.fromStatus, to: c.event.toStatus },
      "order status changed",
    );
  }
  const ok = await sendEvents([...done.map((c) => statusChangedEvent(c.event, c.order)), ...also]);
  if (ok && done.length) await markOrderEventsSent(done.map((c) => c.event.id));
  return ok;
}

/** Ids marked in the same turn of the event loop share one UPDATE (concurrent orders). */
let marking: { ids: number[]; done: Promise<void> } | null = null;

function markOrderEventsSent(ids: number[]): Promise<void> {
  if (!marking) {
    const batch: { ids: number[]; done: Promise<void> } = { ids: [], done: Promise.resolve() };
    batch.done = new Promise<void>((r) => setImmediate(r)).then(async () => {
      marking = null;
      try {
        // One statement, committed without waiting for its WAL flush (synchronous_commit off for
        // this transaction only): a mark lost to a crash costs a re-send that Inngest deduplicates,
        // and the hot path does not queue behind a disk flush for it.
        const db = await getDb();
        await db.execute(sql`
          update order_events set sent_at = now()
          from (select set_config('synchronous_commit', 'off', true)) as _async
          where id in (${sql.join(
            batch.ids.map((id) => sql`${id}`),
            sql`, `,
          )})`);
      } catch (e) {
        // the events did reach Inngest; the sweep re-sends them under the same ids (deduplicated)
        logger.warn({ err: e instanceof Error ? e.message : String(e) }, "could not mark order events sent");
      }
    });
    marking = batch;
  }
  marking.ids.push(...ids);
  return marking.done;
}

/** How long a status change may stay unsent before the safety sweep sends it (tests lower it). */
export const orderOutboxConfig = { resendAfterMs: 30_000 };

/**
 * The safety sweep's part: status changes committed more than `resendAfterMs` ago whose event was
 * never marked sent (Inngest was down, or the process stopped between the commit and the send) are
 * sent now, oldest first, with their own event ids, and marked. Returns how many; throws when
 * Inngest is not reachable (the sweep's step retries).
 */
export async function resendUnsentOrderEvents(limit = 500): Promise<number> {
  const db = await getDb();
  const rows = await db
    .select({
      event: orderEvents,
      order: {
        telegramChatId: orders.telegramChatId,
        telegramMessageId: orders.telegramMessageId,
        callbackUrl: orders.callbackUrl,
        apiKeyId: orders.apiKeyId,
      },
    })
    .from(orderEvents)
    .innerJoin(orders, eq(orders.id, orderEvents.orderId))
    .where(
      and(
        isNull(orderEvents.sentAt),
        isNotNull(orderEvents.toStatus),
        lte(orderEvents.createdAt, new Date(Date.now() - orderOutboxConfig.resendAfterMs)),
      ),
    )
    .orderBy(asc(orderEvents.id))
    .limit(limit);
  if (rows.length === 0) return 0;
  if (!(await sendEvents(rows.map((r) => statusChangedEvent(r.event, r.order)))))
    throw new Error("Could not re-send order/status.changed events");
  await markOrderEventsSent(rows.map((r) => r.event.id));
  return rows.length;
}

function countTransition(order: Order, event: OrderEvent): void {
  if (!event.toStatus) return;
  orderTransitions.inc({ from: event.fromStatus ?? "none", to: event.toStatus });
  if (event.toStatus === "active" && event.fromStatus === "delegating" && order.deliveredAt)
    orderDeliverySeconds.observe(
      Math.max(0, (order.deliveredAt.getTime() - order.createdAt.getTime()) / 1000),
    );
}

// ------------------------------------------------------------------------------- transitions

export type Changed = { order: Order; event: OrderEvent };

/** Writes one `order_events` row. */
export async function addOrderEvent(
  ex: Executor,
  e: {
    orderId: number;
    type: string;
    fromStatus?: OrderStatus | null;
    toStatus?: OrderStatus | null;
    details?: Record<string, unknown>;
  },
): Promise<OrderEvent> {
  const [row] = await ex
    .insert(orderEvents)
    .values({
      orderId: e.orderId,
      type: e.type,
      fromStatus: e.fromStatus ?? null,
      toStatus: e.toStatus ?? null,
      details: e.details ? jsonSafe(e.details) : null,
    })
    .returning();
  return row;
}

export const jsonSafe = (v: Record<string, unknown>): Record<string, unknown> =>
  JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? x.toString() : x)));

/**
 * Guarded status change inside `tx`: only when the order is in one of `from`. Returns the new row
 * and its event, or null when the order was not in an expected status (nothing written).
 */
export async function transitionIn(
  tx: Tx,
  orderId: number,
  from: OrderStatus[],
  to: OrderStatus,
  type: string,
  details?: Record<string, unknown>,
  set: Partial<
    Pick<Order, "deliveredAt" | "expiresAt" | "completedAt" | "failureReason" | "refundedSun">
  > = {},
): Promise<Changed | null> {
  const [prev] = await tx
    .select({ status: orders.status })
    .from(orders)
    .where(eq(orders.id, orderId))
    .for("update");
  if (!prev || !from.includes(prev.status)) return null;
  const [order] = await tx
    .update(orders)
    .set({ status: to, updatedAt: new Date(), ...set })
    .where(and(eq(orders.id, orderId), inArray(orders.status, from)))
    .returning();
  if (!order) return null;
  const event = await addOrderEvent(tx, { orderId, type, fromStatus: prev.status, toStatus: to, details });
  return { order, event };
}

/** `transitionIn` in its own transaction, then publishes the change. */
export async function transitionOrder(
  orderId: number,
  from: OrderStatus[],
  to: OrderStatus,
  type: string,
  details?: Record<string, unknown>,
): Promise<Changed | null> {
  const db = await getDb();
  const c = await db.transaction((tx) => transitionIn(tx, orderId, from, to, type, details));
  if (c) await publishOrderChanges([c]);
  return c;
}

/**
 * Refunds `amountSun` of an order once (ledger key `refund:order:<id>`), inside `tx`, and records
 * it on the order. A second call finds the first refund (or conflicts if the amount differs).
 */
export async function refundInTx(
  tx: Tx,
  order: Pick<Order, "id" | "userId">,
  amountSun: bigint,
  reason: string,
  adminId?: number | null,
): Promise<{ replayed: boolean }> {
  if (amountSun <= 0n) return { replayed: false };
  const r = await refund(
    {
      userId: order.userId,
      amountSun,
      idempotencyKey: `refund:order:${order.id}`,
      referenceType: "order",
      referenceId: String(order.id),
      memo: reason.slice(0, 200),
      adminId: adminId ?? null,
    },
    tx,
  );
  if (!r.replayed) {
    await tx.update(orders).set({ refundedSun: amountSun }).where(eq(orders.id, order.id));
    await addOrderEvent(tx, {
      orderId: order.id,
      type: "refunded",
      details: { amountSun, reason, ledgerEntryId: r.entry.id },
    });
  }
  return { replayed: r.replayed };
}

// ------------------------------------------------------------------------------- create

const KEY_RE = /^[\x21-\x7e]{1,150}$/;

const createSchema = z.object({
  userId: z.number().int().positive(),
  receiver: z.string().max(200),
  energy: z.union([z.number(), z.bigint(), z.string().max(40)]),
  duration: z.string().min(1).max(10),
  source: z.enum(["bot", "portal", "api", "admin"]),
  idempotencyKey: z.string().regex(KEY_RE, "Use 1–150 printable characters."),
  telegramChatId: z.number().int().optional(),
  telegramMessageId: z.number().int().positive().optional(),
  apiKeyId: z.number().int().positive().optional(),
  callbackUrl: z.url().max(500).optional(),
});

export type CreateOrderInput = z.input<typeof createSchema>;

/** Receivers known to be activated (activation is permanent, so a positive answer can be cached). */
const ACTIVATED_TTL_MS = 10 * 60_000;
const activated = new LRUCache<string, true>({ max: 50_000, ttl: ACTIVATED_TTL_MS });

async function checkActivated(address: string): Promise<void> {
  if (activated.get(address)) return;
  const acct = await tron().getAccount(address);
  if (!acct.activated) {
    const m = "This address is not activated on TRON yet: send it any amount of TRX first.";
    throw new AppError("not_activated", m, { fields: { receiver: m } });
  }
  if (acct.isContract) {
    // java-tron: "Do not allow delegate resources to contract addresses" — refused before paying
    const m = "This is a smart-contract address: energy cannot be delegated to a contract.";
    throw new AppError("invalid_address", m, { fields: { receiver: m }, details: { reason: "contract" } });
  }
  activated.set(address, true);
}

function fingerprintOf(p: {
  receiver: string;
  energy: bigint;
  duration: string;
  source: string;
  apiKeyId?: number;
  callbackUrl?: string;
}): string {
  return createHash("sha256")
    .update(
      JSON.stringify([
        p.receiver,
        p.energy.toString(),
        p.duration,
        p.source,
        p.apiKeyId ?? null,
        p.callbackUrl ?? null,
      ]),
    )
    .digest("hex")
    .slice(0, 32);
}

export const orderPaidEventId = (orderId: number) => `order-paid-${orderId}`;

async function findByKey(userId: number, key: string): Promise<Order | undefined> {
  const db = await getDb();
  const [o] = await db
    .select()
    .from(orders)
    .where(and(eq(orders.userId, userId), eq(orders.idempotencyKey, key)));
  return o;
}

function replay(existing: Order, fp: string): { order: Order; created: boolean } {
  if (existing.fingerprint !== fp)
    throw new AppError("idempotency_conflict", "This request id was already used for a different order.");
  return { order: existing, created: false };
}

const orderPreRead = preparedQuery((db) =>
  db
    .select({
      status: users.status,
      nextId: sql<string>`nextval(pg_get_serial_sequence('orders', 'id'))`,
      existing: orders,
    })
    .from(users)
    .leftJoin(orders, and(eq(orders.userId, users.id), eq(orders.idempotencyKey, sql.placeholder("key"))))
    .where(eq(users.id, sql.placeholder("userId")))
    .prepare("order_pre_read"),
);

/**
 * Creates a paid order: validates the receiver (format + activated on chain), quotes, checks that
 * the pool can cover it now (lib/pool/capacity; refused with the largest amount that fits), and in one
 * SQL statement (one commit) debits the balance (ledger key `order:<userId>:<idempotencyKey>`),
 * inserts the order (`paid`) and its first event. Then sends order/paid (event id = order id) — if Inngest is down
 * the order waits in `paid` and the safety sweep re-sends.
 */
export async function createOrder(input: CreateOrderInput): Promise<{ order: Order; created: boolean }> {
  const parsed = createSchema.safeParse(input);
  if (!parsed.success)
    throw new AppError("bad_request", "Some order fields are not valid.", {
      fields: fieldErrorsFromZod(parsed.error.issues),
    });
  const i = parsed.data;
  const settings = await getSettings();
  if (settings.maintenance.enabled)
    throw new AppError(
      "maintenance",
      settings.maintenance.message || "Ordering is paused for maintenance. Please try again later.",
    );
  let receiver: string;
  try {
    receiver = parseAddress(i.receiver);
  } catch (e) {
    if (e instanceof AppError)
      throw new AppError("invalid_address", e.message, {
        fields: { receiver: e.message },
        details: e.details,
      });
    throw e;
  }
  const q = quoteWith(settings, { energy: i.energy, duration: i.duration });
  const fp = fingerprintOf({
    receiver,
    energy: q.energy,
    duration: q.durationKey,
    source: i.source,
    apiKeyId: i.apiKeyId,
    callbackUrl: i.callbackUrl,
  });
  const db = await getDb();
  // The pool's capacity is read alongside the pre-read (it does not depend on it); a replay of an
  // order already taken answers whatever the pool holds now.
  const capacity = checkOrderCapacity(q.energy, {
    receiver,
    durationSeconds: q.durationSeconds,
    energyMin: settings.energyMin,
    energyMax: settings.energyMax,
  });
  capacity.catch(() => {}); // awaited below unless this is a replay or the user cannot order
  // One round trip: the user, a replay of this key, and an id for the new order.
  const [pre] = await (await orderPreRead()).execute({ userId: i.userId, key: i.idempotencyKey });
  if (!pre) throw new AppError("not_found", "User not found.");
  if (pre.existing) return replay(pre.existing, fp);
  if (pre.status === "banned") throw new AppError("forbidden", "This account cannot place orders.");
  // The chain must be able to lock the rental for its time (max lock period, 3-day-only chains).
  await Promise.all([checkActivated(receiver), capacity, lockPeriodBlocksLive(tron(), q.durationSeconds)]);

  // One statement (one commit): the ledger debit, the order and its first event. No debit (too
  // little balance) → no order; a key already used → nothing at all (unique violation → replay).
  const orderId = Number(pre.nextId);
  let created: Changed;
  try {
    const rows = rowsOf<Record<string, unknown>>(
      await db.execute(sql`
        with ${postingCtes({
          userId: i.userId,
          type: "order_payment",
          amountSun: -q.priceSun,
          idempotencyKey: `order:${i.userId}:${i.idempotencyKey}`,
          referenceType: "order",
          referenceId: String(orderId),
        })},
        o as (
          insert into orders (id, user_id, receiver_address, energy, duration_key, duration_seconds,
            unit_price_sun, price_sun, burn_sun, status, source, idempotency_key, fingerprint,
            telegram_chat_id, telegram_message_id, api_key_id, callback_url)
          overriding system value
          select ${orderId}, ledger_e.user_id, ${receiver}, ${q.energy}, ${q.durationKey}, ${q.durationSeconds},
            ${q.unitPriceSun}, ${q.priceSun}, ${q.burnSun}, 'paid', ${i.source}, ${i.idempotencyKey}, ${fp},
            ${i.telegramChatId ?? null}, ${i.telegramMessageId ?? null}, ${i.apiKeyId ?? null},
            ${i.callbackUrl ?? null}
          from ledger_e
          returning *
        ),
        ev as (
          insert into order_events (order_id, type, to_status, details)
          select o.id, 'paid', 'paid',
            ${JSON.stringify(jsonSafe({ priceSun: q.priceSun, source: i.source }))}::jsonb
              || jsonb_build_object('ledgerEntryId', ledger_e.id)
          from o, ledger_e
          returning *
        )
        select o.*, ev.id as ev_id, ev.order_id as ev_order_id, ev.from_status as ev_from_status,
          ev.to_status as ev_to_status, ev.type as ev_type, ev.details as ev_details,
          ev.created_at as ev_created_at
        from o, ev`),
    );
    if (rows.length === 0) {
      const raced = await findByKey(i.userId, i.idempotencyKey);
      if (raced) return replay(raced, fp);
      return explainShortBalance(i.userId, q.priceSun);
    }
    created = { order: fromRow(orders, rows[0]), event: fromRow(orderEvents, rows[0], "ev_") };
  } catch (e) {
    if (isUniqueViolation(e)) {
      const raced = await findByKey(i.userId, i.idempotencyKey);
      if (raced) return replay(raced, fp);
    }
    throw e;
  }
  await publishOrderChanges(
    [created],
    [orderPaid.create({ orderId: created.order.id }, { id: orderPaidEventId(created.order.id) })],
  );
  return { order: created.order, created: true };
}

// ------------------------------------------------------------------------------- cancel / refund

async function loadOwned(ex: Executor, orderId: number, userId?: number): Promise<Order> {
  const [o] = await ex.select().from(orders).where(eq(orders.id, orderId));
  if (!o || (userId !== undefined && o.userId !== userId))
    throw new AppError("not_found", "Order not found.");
  return o;
}

/** Cancels an order that is still `paid` (fulfilment not started) and refunds it in full. */
export async function cancelOrder(input: {
  orderId: number;
  userId?: number;
  reason?: string;
}): Promise<Order> {
  const p = z
    .object({
      orderId: z.number().int().positive(),
      userId: z.number().int().positive().optional(),
      reason: z.string().max(500).optional(),
    })
    .parse(input);
  const db = await getDb();
  const changes = await db.transaction(async (tx) => {
    const o = await loadOwned(tx, p.orderId, p.userId);
    const c1 = await transitionIn(tx, o.id, ["paid"], "cancelled", "cancelled", {
      reason: p.reason ?? "cancelled by user",
    });
    if (!c1)
      throw new AppError("invalid_state", "This order can no longer be cancelled: delivery has started.", {
        details: { status: o.status },
      });
    await refundInTx(tx, o, o.priceSun, p.reason ?? "order cancelled");
    const c2 = await transitionIn(tx, o.id, ["cancelled"], "refunded", "refund_completed", {
      amountSun: o.priceSun,
    });
    return [c1, c2];
  });
  await publishOrderChanges(changes);
  return changes[1]?.order ?? changes[0]!.order;
}

/**
 * Admin refund: a `paid` order is cancelled and refunded; a `failed` one is refunded. Once per
 * order (ledger key `refund:order:<id>`); other statuses → invalid_state.
 */
export async function refundOrder(input: {
  orderId: number;
  reason: string;
  adminId?: number;
}): Promise<Order> {
  const p = z
    .object({
      orderId: z.number().int().positive(),
      reason: z.string().trim().min(1).max(500),
      adminId: z.number().int().positive().optional(),
    })
    .parse(input);
  const db = await getDb();
  const changes = await db.transaction(async (tx) => {
    const o = await loadOwned(tx, p.orderId);
    const out: (Changed | null)[] = [];
    if (o.status === "paid") {
      const c = await transitionIn(tx, o.id, ["paid"], "cancelled", "cancelled", { reason: p.reason });
      if (!c) throw new AppError("invalid_state", "The order changed; try again.");
      out.push(c);
    } else if (o.status !== "failed") {
      throw new AppError("invalid_state", `An order that is ${o.status} cannot be refunded.`);
    }
    const remaining = o.priceSun - o.refundedSun;
    if (o.refundedSun === 0n) await refundInTx(tx, o, remaining, p.reason, p.adminId ?? null);
    out.push(
      await transitionIn(tx, o.id, ["cancelled", "failed"], "refunded", "refund_completed", {
        amountSun: o.priceSun,
        adminId: p.adminId ?? null,
      }),
    );
    await writeAudit(tx, {
      adminId: p.adminId ?? null,
      action: "order.refund",
      targetType: "order",
      targetId: String(o.id),
      before: { status: o.status },
      after: { status: "refunded", reason: p.reason },
    });
    return out;
  });
  await publishOrderChanges(changes);
  return loadOwned(await getDb(), p.orderId);
}

/** Re-sends order/paid for an order waiting in `paid` or stuck in `delegating`. */
export async function retryOrder(input: { orderId: number }): Promise<{ sent: boolean; attempt: number }> {
  const { orderId } = z.object({ orderId: z.number().int().positive() }).parse(input);
  const db = await getDb();
  const o = await loadOwned(db, orderId);
  if (o.status !== "paid" && o.status !== "delegating")
    throw new AppError("invalid_state", `An order that is ${o.status} cannot be retried.`);
  const [row] = await db
    .update(orders)
    .set({ attempts: sql`${orders.attempts} + 1` })
    .where(eq(orders.id, orderId))
    .returning({ attempts: orders.attempts });
  await addOrderEvent(db, { orderId, type: "retry_requested", details: { attempt: row.attempts } });
  const sent = await sendEvent(
    orderPaid.create({ orderId }, { id: `${orderPaidEventId(orderId)}-retry-${row.attempts}` }),
  );
  return { sent, attempt: row.attempts };
}

/** The bot records the Telegram message it keeps updated for this order. */
export async function setOrderMessage(input: {
  orderId: number;
  chatId: number;
  messageId: number;
}): Promise<void> {
  const p = z
    .object({
      orderId: z.number().int().positive(),
      chatId: z.number().int(),
      messageId: z.number().int().positive(),
    })
    .parse(input);
  const db = await getDb();
  const rows = await db
    .update(orders)
    .set({ telegramChatId: p.chatId, telegramMessageId: p.messageId })
    .where(eq(orders.id, p.orderId))
    .returning({ id: orders.id });
  if (!rows.length) throw new AppError("not_found", "Order not found.");
}

// ------------------------------------------------------------------------------- reads

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
