import { createHash } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { LRUCache } from "lru-cache";
import { z } from "zod";
import { fromRow, getDb, isUniqueViolation, preparedQuery, rowsOf } from "@/db";
import { type Order, orderEvents, orders, users } from "@/db/schema";
import { orderPaid } from "@/inngest/events";
import { AppError, fieldErrorsFromZod } from "@/lib/errors";
import { explainShortBalance, postingCtes } from "@/lib/ledger";
import { checkCapacity, readPoolRoom } from "@/lib/pool/capacity";
import { tron } from "@/lib/tron/client";
import { getMarket, quoteWith, redeemQuote } from "@/lib/pricing";
import { getSettings } from "@/lib/settings";
import { parseAddress } from "@/lib/tron/address";
import { lockPeriodBlocksLive } from "@/lib/tron/resources";
import { orderPaidEventId, publishOrderChanges } from "./publish";
import { type Changed, jsonSafe } from "./transitions";

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
  /** A keep-energy subscription's top-up (lib/subscriptions). */
  subscriptionId: z.number().int().positive().optional(),
  /**
   * A per-transfer package's supply (lib/packages): prepaid by the package, so no ledger debit; the
   * price is still recorded on the order (the supply's cost, for margin reporting). The package must
   * be the user's, active, and for this receiver.
   */
  packageId: z.number().int().positive().optional(),
  /** The held quote the user confirmed (lib/pricing holdQuote): charged at its price if still valid. */
  quoteToken: z.string().min(1).max(600).optional(),
});

type CreateOrderInput = z.input<typeof createSchema>;

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
 * Creates a paid order: validates the receiver (format + activated on chain), quotes (or, with
 * `quoteToken`, charges the held quote the user confirmed, if still valid for this order), checks that
 * the pool can cover it now at its price (lib/pool/capacity; refused with the largest amount that
 * fits), and in one SQL statement (one commit) debits the balance (ledger key
 * `order:<userId>:<idempotencyKey>`), inserts the order (`paid`) and its first event. Then sends order/paid (event id = order id) — if Inngest is down
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
  // The market (pool utilisation, chain prices; cached briefly) is read while the input is checked.
  const market = getMarket(settings);
  market.catch(() => {}); // awaited below unless the input is refused first
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
  // API orders are reseller orders (their discount); the market is read live (cached briefly).
  const reseller = i.source === "api";
  // Bad input is refused before the market is awaited (a clear error even while the chain is down).
  quoteWith(settings, { energy: i.energy, duration: i.duration });
  const q = quoteWith(settings, { energy: i.energy, duration: i.duration, reseller }, await market);
  const fp = fingerprintOf({
    receiver,
    energy: q.energy,
    duration: q.durationKey,
    source: i.source,
    apiKeyId: i.apiKeyId,
    callbackUrl: i.callbackUrl,
  });
  const db = await getDb();
  // The pool is read alongside the pre-read (it does not depend on it); a replay of an order
  // already taken answers whatever the pool holds now. Its capacity is judged below, at the price
  // charged (a held quote's or this one), which decides which suppliers' wallets count.
  const pool = readPoolRoom({ receiver });
  pool.catch(() => {}); // awaited below unless this is a replay or the user cannot order
  // One round trip: the user, a replay of this key, and an id for the new order.
  const [pre] = await (await orderPreRead()).execute({ userId: i.userId, key: i.idempotencyKey });
  if (!pre) throw new AppError("not_found", "User not found.");
  if (pre.existing) return replay(pre.existing, fp);
  if (pre.status === "banned") throw new AppError("forbidden", "This account cannot place orders.");
  // A confirmed quote is the price: checked (signature, expiry, same user, energy, duration) before
  // anything is charged; refused with a fresh quote.
  const held = i.quoteToken
    ? redeemQuote(i.quoteToken, {
        userId: i.userId,
        reseller,
        fresh: q,
        ttlSeconds: settings.quoteTtlSeconds,
      })
    : null;
  const priceSun = held ? held.priceSun : q.priceSun;
  // The chain must be able to lock the rental for its time (max lock period, 3-day-only chains).
  const [, room] = await Promise.all([
    checkActivated(receiver),
    pool,
    lockPeriodBlocksLive(tron(), q.durationSeconds),
  ]);
  checkCapacity(
    room,
    { energy: q.energy, priceSun, durationSeconds: q.durationSeconds },
    { energyMin: settings.energyMin, energyMax: settings.energyMax },
  );

  // One statement (one commit): the ledger debit, the order and its first event. No debit (too
  // little balance) → no order; a key already used → nothing at all (unique violation → replay).
  const orderId = Number(pre.nextId);
  let created: Changed;
  // A prepaid supply has no posting: `ledger_e` is then its package (the user's, active, this receiver).
  const payment = i.packageId
    ? sql`ledger_e as (select p.user_id, null::bigint as id from transfer_packages p
        where p.id = ${i.packageId} and p.user_id = ${i.userId} and p.address = ${receiver}
          and p.status = 'active')`
    : postingCtes({
        userId: i.userId,
        type: "order_payment",
        amountSun: -priceSun,
        idempotencyKey: `order:${i.userId}:${i.idempotencyKey}`,
        referenceType: "order",
        referenceId: String(orderId),
      });
  try {
    const rows = rowsOf<Record<string, unknown>>(
      await db.execute(sql`
        with ${payment},
        o as (
          insert into orders (id, user_id, receiver_address, energy, duration_key, duration_seconds,
            unit_price_sun, price_sun, burn_sun, status, source, idempotency_key, fingerprint,
            telegram_chat_id, telegram_message_id, api_key_id, callback_url, subscription_id, package_id)
          overriding system value
          select ${orderId}, ledger_e.user_id, ${receiver}, ${q.energy}, ${q.durationKey}, ${q.durationSeconds},
            ${q.unitPriceSun}, ${priceSun}, ${q.burnSun}, 'paid', ${i.source}, ${i.idempotencyKey}, ${fp},
            ${i.telegramChatId ?? null}, ${i.telegramMessageId ?? null}, ${i.apiKeyId ?? null},
            ${i.callbackUrl ?? null}, ${i.subscriptionId ?? null}, ${i.packageId ?? null}
          from ledger_e
          returning *
        ),
        ev as (
          insert into order_events (order_id, type, to_status, details)
          select o.id, 'paid', 'paid',
            ${JSON.stringify(
              jsonSafe({
                priceSun,
                source: i.source,
                quoteId: held?.quoteId,
                utilisationBps: q.utilisationBps,
                multiplierBps: q.multiplierBps,
                ...(i.packageId ? { prepaidBy: { packageId: i.packageId } } : {}),
              }),
            )}::jsonb
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
      if (i.packageId)
        throw new AppError(
          "invalid_state",
          "This package cannot be supplied (not yours, not active or another address).",
        );
      return explainShortBalance(i.userId, priceSun);
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
