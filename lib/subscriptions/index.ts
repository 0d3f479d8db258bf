import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { type Executor, getDb, isUniqueViolation, rowsOf } from "@/db";
import { type EnergySubscription, energySubscriptions, type SubscriptionStatus } from "@/db/schema";
import { subscriptionBalanceLow, watchCheckRequested } from "@/inngest/events";
import { AppError, fieldErrorsFromZod } from "@/lib/errors";
import { sendEvents } from "@/lib/events";
import { getBalance } from "@/lib/ledger";
import { logger } from "@/lib/log";
import { createOrder } from "@/lib/orders";
import { quoteWith } from "@/lib/pricing";
import { getSettings, type Settings } from "@/lib/settings";
import { parseAddress } from "@/lib/tron/address";
import { tron } from "@/lib/tron/client";
import { type CheckedAddress, checkCycle, unwatchIfUnused, watchAddress } from "@/lib/watch";

/**
 * Keep-energy subscriptions: "keep at least X energy on this address for D days". The watcher
 * (lib/watch) re-reads an address when the scanner saw it send a transaction; when its available
 * energy is below X, `topUpChecked` places an order through the normal engine (create → fulfil →
 * reclaim) for the shortfall (at least the minimum order size), rented for the operator's top-up
 * duration. Each top-up is paid from the balance by createOrder's ledger debit, under the
 * idempotency key `sub:<id>:<n>` (n = the number of top-ups so far + 1), so a repeated or crashed
 * cycle re-finds the same order instead of charging twice. The sum of the top-ups' net prices never
 * exceeds the budget: a top-up that would is not placed and the subscription becomes `exhausted`.
 * While a top-up is still being delivered no other is placed.
 */

const KEY_RE = /^[\x21-\x7e]{1,150}$/;
const ENERGY_STEP = 1_000n;

export const subscriptionSources = ["bot", "portal", "api", "admin"] as const;

const createSchema = z.object({
  userId: z.number().int().positive(),
  address: z.string().min(1).max(200),
  minEnergy: z.union([z.number().int(), z.bigint(), z.string().regex(/^\d{1,12}$/)]).transform(BigInt),
  days: z.number().int().positive().max(3650),
  budgetSun: z.union([z.bigint(), z.string().regex(/^\d{1,22}$/)]).transform(BigInt),
  source: z.enum(subscriptionSources),
  idempotencyKey: z.string().regex(KEY_RE, "Use 1–150 printable characters."),
});

export type SubscriptionView = EnergySubscription & {
  /** Net price of its top-ups (price − refunds). */
  spentSun: bigint;
  topups: number;
  /** A top-up is being delivered. */
  pending: boolean;
  /** Available energy as last read from the chain (null before the first read). */
  energyAvailable: bigint | null;
  checkedAt: Date | null;
};

/** The price of one top-up of `energy` at the operator's top-up duration. */
export function topupQuote(settings: Settings, energy: bigint) {
  return quoteWith(settings, { energy, duration: settings.subscriptions.topupDuration });
}

/** Energy one top-up delegates: the shortfall, at least the minimum order, rounded up to 1,000. */
export function topupEnergy(settings: Settings, minEnergy: bigint, available: bigint): bigint {
  let need = minEnergy - available;
  if (need < BigInt(settings.energyMin)) need = BigInt(settings.energyMin);
  need = ((need + ENERGY_STEP - 1n) / ENERGY_STEP) * ENERGY_STEP;
  return need > BigInt(settings.energyMax) ? BigInt(settings.energyMax) : need;
}

function badRequest(fields: Record<string, string>, message = "Some subscription fields are not valid.") {
  return new AppError("bad_request", message, { fields });
}

/**
 * Starts a subscription (replays the same one for the same idempotency key). The address must be
 * activated and not a contract; X within the order limits; D within the operator's maximum; the
 * budget at least one top-up of X. One live subscription per user and address.
 */
export async function createSubscription(
  input: z.input<typeof createSchema>,
): Promise<{ subscription: SubscriptionView; created: boolean }> {
  const parsed = createSchema.safeParse(input);
  if (!parsed.success) throw badRequest(fieldErrorsFromZod(parsed.error.issues));
  const i = parsed.data;
  const settings = await getSettings();
  if (settings.maintenance.enabled)
    throw new AppError(
      "maintenance",
      settings.maintenance.message || "Ordering is paused for maintenance. Please try again later.",
    );
  const db = await getDb();
  const [existing] = await db
    .select()
    .from(energySubscriptions)
    .where(
      and(eq(energySubscriptions.userId, i.userId), eq(energySubscriptions.idempotencyKey, i.idempotencyKey)),
    );
  if (existing) return { subscription: await view(existing), created: false };

  let address: string;
  try {
    address = parseAddress(i.address);
  } catch (e) {
    const m = e instanceof AppError ? e.message : "Not a TRON address.";
    throw new AppError("invalid_address", m, { fields: { address: m } });
  }
  if (i.minEnergy < BigInt(settings.energyMin) || i.minEnergy > BigInt(settings.energyMax)) {
    const m = `Energy must be between ${settings.energyMin} and ${settings.energyMax}.`;
    throw new AppError("energy_out_of_range", m, { fields: { minEnergy: m } });
  }
  if (i.days > settings.subscriptions.maxDays)
    throw badRequest({ days: `At most ${settings.subscriptions.maxDays} days.` });
  const one = topupQuote(settings, i.minEnergy);
  if (i.budgetSun < one.priceSun)
    throw new AppError("invalid_amount", "The budget must pay for at least one top-up.", {
      fields: { budget: "The budget must pay for at least one top-up." },
      details: { minBudgetSun: one.priceSun.toString() },
    });
  const acct = await tron().getAccount(address);
  if (!acct.activated) {
    const m = "This address is not activated on TRON yet: send it any amount of TRX first.";
    throw new AppError("not_activated", m, { fields: { address: m } });
  }
  if (acct.isContract) {
    const m = "This is a smart-contract address: energy cannot be delegated to a contract.";
    throw new AppError("invalid_address", m, { fields: { address: m } });
  }
  try {
    const row = await db.transaction(async (tx) => {
      // one live subscription per user and address (locked per user: two requests cannot both pass)
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext('subscription'), ${i.userId})`);
      const live = await tx
        .select({ id: energySubscriptions.id })
        .from(energySubscriptions)
        .where(
          and(
            eq(energySubscriptions.userId, i.userId),
            eq(energySubscriptions.address, address),
            inArray(energySubscriptions.status, ["active", "paused", "exhausted"]),
          ),
        );
      if (live.length)
        throw new AppError("conflict", "You already have a subscription for this address.", {
          fields: { address: "You already have a subscription for this address." },
          details: { subscriptionId: live[0].id },
        });
      const [r] = await tx
        .insert(energySubscriptions)
        .values({
          userId: i.userId,
          address,
          minEnergy: i.minEnergy,
          budgetSun: i.budgetSun,
          source: i.source,
          idempotencyKey: i.idempotencyKey,
          endsAt: sql`now() + make_interval(days => ${i.days})`,
        })
        .returning();
      await watchAddress(address, tx);
      return r;
    });
    await requestCheck("subscription");
    return { subscription: await view(row), created: true };
  } catch (e) {
    if (isUniqueViolation(e)) {
      const [raced] = await db
        .select()
        .from(energySubscriptions)
        .where(
          and(
            eq(energySubscriptions.userId, i.userId),
            eq(energySubscriptions.idempotencyKey, i.idempotencyKey),
          ),
        );
      if (raced) return { subscription: await view(raced), created: false };
    }
    throw e;
  }
}

/**
 * Asks for a check cycle now (a new or resumed subscription is topped up at once, not at the next
 * minute); when the event cannot be sent the watcher's cron runs the cycle within a minute.
 */
async function requestCheck(reason: string): Promise<void> {
  const sent = await sendEvents([watchCheckRequested.create({ reason })]);
  if (!sent) logger.warn({ reason }, "could not ask for a watch check; the cron will run it");
}

/** Spend, top-up count and pending top-up of each subscription in `ids`. */
async function statsOf(ex: Executor, ids: number[]) {
  const out = new Map<number, { spentSun: bigint; topups: number; pending: boolean }>();
  if (!ids.length) return out;
  const rows = rowsOf<{ id: number; spent: string; n: number; pending: boolean }>(
    await ex.execute(sql`select subscription_id as id,
        coalesce(sum(price_sun - refunded_sun), 0)::text as spent, count(*)::int as n,
        bool_or(status in ('paid', 'delegating')) as pending
      from orders where subscription_id = any(string_to_array(${ids.join(",")}, ',')::int[])
      group by subscription_id`),
  );
  for (const r of rows)
    out.set(Number(r.id), { spentSun: BigInt(r.spent), topups: Number(r.n), pending: !!r.pending });
  return out;
}

async function viewsOf(rows: EnergySubscription[], ex?: Executor): Promise<SubscriptionView[]> {
  const db = ex ?? (await getDb());
  const stats = await statsOf(
    db,
    rows.map((r) => r.id),
  );
  const addrs = [...new Set(rows.map((r) => r.address))];
  const energy = new Map<string, { e: bigint | null; at: Date | null }>();
  if (addrs.length) {
    const w = rowsOf<{ address: string; energy_available: string | null; checked_at: string | Date | null }>(
      await db.execute(sql`select address, energy_available, checked_at from watched_addresses
        where address = any(string_to_array(${addrs.join(",")}, ','))`),
    );
    for (const r of w)
      energy.set(r.address, {
        e: r.energy_available == null ? null : BigInt(r.energy_available),
        at: r.checked_at ? new Date(r.checked_at) : null,
      });
  }
  return rows.map((r) => ({
    ...r,
    spentSun: stats.get(r.id)?.spentSun ?? 0n,
    topups: stats.get(r.id)?.topups ?? 0,
    pending: stats.get(r.id)?.pending ?? false,
    energyAvailable: energy.get(r.address)?.e ?? null,
    checkedAt: energy.get(r.address)?.at ?? null,
  }));
}

const view = async (r: EnergySubscription) => (await viewsOf([r]))[0];

/** A user's subscriptions, newest first. */
export async function listSubscriptions(userId: number, limit = 50): Promise<SubscriptionView[]> {
  const db = await getDb();
  const rows = await db
    .select()
    .from(energySubscriptions)
    .where(eq(energySubscriptions.userId, userId))
    .orderBy(desc(energySubscriptions.id))
    .limit(Math.min(Math.max(limit, 1), 200));
  return viewsOf(rows, db);
}

/** One of the user's subscriptions (anyone else's: not found). */
export async function getSubscription(userId: number, id: number): Promise<SubscriptionView> {
  const db = await getDb();
  const [r] = await db
    .select()
    .from(energySubscriptions)
    .where(and(eq(energySubscriptions.id, id), eq(energySubscriptions.userId, userId)));
  if (!r) throw new AppError("not_found", "Subscription not found.");
  return view(r);
}

/** The top-up orders of a subscription (newest first). */
export async function subscriptionTopups(userId: number, id: number, limit = 20) {
  await getSubscription(userId, id);
  const db = await getDb();
  return rowsOf<{
    id: number;
    energy: string;
    price_sun: string;
    refunded_sun: string;
    status: string;
    created_at: string | Date;
  }>(
    await db.execute(sql`select id, energy::text, price_sun::text, refunded_sun::text, status, created_at
      from orders where subscription_id = ${id} order by id desc limit ${Math.min(limit, 100)}`),
  ).map((r) => ({
    orderId: Number(r.id),
    energy: BigInt(r.energy),
    priceSun: BigInt(r.price_sun),
    refundedSun: BigInt(r.refunded_sun),
    status: r.status,
    createdAt: new Date(r.created_at),
  }));
}

const TRANSITIONS: Record<
  "pause" | "resume" | "cancel",
  { from: SubscriptionStatus[]; to: SubscriptionStatus }
> = {
  pause: { from: ["active"], to: "paused" },
  resume: { from: ["paused"], to: "active" },
  cancel: { from: ["active", "paused", "exhausted"], to: "cancelled" },
};

/**
 * Pause (no more top-ups; delegations already made run their time), resume, or cancel (final; the
 * address stops being watched when nothing else needs it). Repeating the same action is a no-op.
 */
export async function changeSubscription(
  userId: number,
  id: number,
  action: keyof typeof TRANSITIONS,
): Promise<SubscriptionView> {
  const t = TRANSITIONS[action];
  if (!t) throw new AppError("bad_request", "Unknown action.");
  const db = await getDb();
  const current = await getSubscription(userId, id);
  if (current.status === t.to) return current;
  const [r] = await db
    .update(energySubscriptions)
    .set({ status: t.to, lastError: null })
    .where(
      and(
        eq(energySubscriptions.id, id),
        eq(energySubscriptions.userId, userId),
        inArray(energySubscriptions.status, t.from),
      ),
    )
    .returning();
  if (!r)
    throw new AppError("invalid_state", `A ${current.status} subscription cannot be changed that way.`, {
      details: { status: current.status, action },
    });
  if (action === "resume") {
    await watchAddress(r.address, db); // re-read it in the next cycle, now
    await requestCheck("resumed");
  }
  if (action === "cancel") await unwatchIfUnused(r.address, db);
  return view(r);
}

/** Subscriptions past their end: `ended`, and their addresses unwatched when unused. */
export async function endExpiredSubscriptions(now = new Date()): Promise<number> {
  const db = await getDb();
  const ended = await db
    .update(energySubscriptions)
    .set({ status: "ended" })
    .where(
      and(
        inArray(energySubscriptions.status, ["active", "paused", "exhausted"]),
        sql`${energySubscriptions.endsAt} <= ${now.toISOString()}`,
      ),
    )
    .returning({ address: energySubscriptions.address });
  for (const a of new Set(ended.map((e) => e.address))) await unwatchIfUnused(a, db);
  return ended.length;
}

/**
 * Addresses of active subscriptions whose last due top-up could not be placed (short balance, no
 * pool capacity): marked for a re-read, so the next cycle tries again once the cause is gone.
 */
export async function markRetries(): Promise<number> {
  const db = await getDb();
  const rows = rowsOf<{ n: number }>(
    await db.execute(sql`with m as (update watched_addresses w set dirty = true
        where not w.dirty and exists (select 1 from energy_subscriptions s
          where s.address = w.address and s.status = 'active' and s.last_error is not null)
        returning 1) select count(*)::int as n from m`),
  );
  return Number(rows[0]?.n ?? 0);
}

export type TopupOutcome = {
  subscriptionId: number;
  result: "ok" | "pending" | "ordered" | "exhausted" | "failed";
  orderId?: number;
  error?: string;
};

/** After a check cycle: tops up every active subscription whose address is below its minimum. */
export async function topUpChecked(checked: CheckedAddress[], now = new Date()): Promise<TopupOutcome[]> {
  if (!checked.length) return [];
  const db = await getDb();
  const byAddress = new Map(checked.map((c) => [c.address, c.energyAvailable]));
  const subs = await db
    .select()
    .from(energySubscriptions)
    .where(
      and(
        eq(energySubscriptions.status, "active"),
        inArray(energySubscriptions.address, [...byAddress.keys()]),
        sql`${energySubscriptions.endsAt} > ${now.toISOString()}`,
      ),
    );
  const below = subs.filter((s) => (byAddress.get(s.address) ?? 0n) < s.minEnergy);
  const out: TopupOutcome[] = subs
    .filter((s) => !below.includes(s))
    .map((s) => ({ subscriptionId: s.id, result: "ok" as const }));
  if (!below.length) return out;
  const settings = await getSettings();
  const stats = await statsOf(
    db,
    below.map((s) => s.id),
  );
  for (const s of below) {
    const st = stats.get(s.id) ?? { spentSun: 0n, topups: 0, pending: false };
    out.push(await topUpOne(s, st, byAddress.get(s.address) ?? 0n, settings));
  }
  return out;
}

async function topUpOne(
  s: EnergySubscription,
  st: { spentSun: bigint; topups: number; pending: boolean },
  available: bigint,
  settings: Settings,
): Promise<TopupOutcome> {
  const db = await getDb();
  if (st.pending) return { subscriptionId: s.id, result: "pending" };
  const energy = topupEnergy(settings, s.minEnergy, available);
  let priceSun: bigint;
  try {
    priceSun = topupQuote(settings, energy).priceSun;
  } catch (e) {
    return failed(s, (e as Error).message);
  }
  if (st.spentSun + priceSun > s.budgetSun) {
    await db
      .update(energySubscriptions)
      .set({ status: "exhausted", lastError: null })
      .where(and(eq(energySubscriptions.id, s.id), eq(energySubscriptions.status, "active")));
    await notifyLowBalance(s, "exhausted", priceSun);
    return { subscriptionId: s.id, result: "exhausted" };
  }
  try {
    const { order } = await createOrder({
      userId: s.userId,
      receiver: s.address,
      energy,
      duration: settings.subscriptions.topupDuration,
      source: s.source as (typeof subscriptionSources)[number],
      idempotencyKey: `sub:${s.id}:${st.topups + 1}`,
      subscriptionId: s.id,
    });
    await db.update(energySubscriptions).set({ lastError: null }).where(eq(energySubscriptions.id, s.id));
    await checkLowBalance(s, priceSun, settings);
    return { subscriptionId: s.id, result: "ordered", orderId: order.id };
  } catch (e) {
    const msg = (e as Error).message;
    if (e instanceof AppError && e.code === "insufficient_balance")
      await notifyLowBalance(s, "empty", priceSun);
    else logger.warn({ subscriptionId: s.id, error: msg }, "subscription top-up not placed");
    return failed(s, msg);
  }
}

async function failed(s: EnergySubscription, error: string): Promise<TopupOutcome> {
  const db = await getDb();
  await db
    .update(energySubscriptions)
    .set({ lastError: error.slice(0, 500) })
    .where(eq(energySubscriptions.id, s.id));
  return { subscriptionId: s.id, result: "failed", error };
}

/**
 * The low-balance warning: once per low episode (the balance pays for fewer than the operator's
 * `lowBalanceTopups` top-ups); the mark is cleared when the balance is enough again.
 */
async function checkLowBalance(s: EnergySubscription, priceSun: bigint, settings: Settings): Promise<void> {
  const balance = await getBalance(s.userId);
  const low = balance < priceSun * BigInt(settings.subscriptions.lowBalanceTopups);
  if (low) await notifyLowBalance(s, "low", priceSun);
  else if (s.lowBalanceWarnedAt) {
    const db = await getDb();
    await db
      .update(energySubscriptions)
      .set({ lowBalanceWarnedAt: null })
      .where(eq(energySubscriptions.id, s.id));
  }
}

/** Sends the warning unless this episode was already warned (the mark is set in the same statement). */
async function notifyLowBalance(
  s: EnergySubscription,
  kind: "low" | "empty" | "exhausted",
  priceSun: bigint,
): Promise<void> {
  const db = await getDb();
  const [marked] = await db
    .update(energySubscriptions)
    .set({ lowBalanceWarnedAt: new Date() })
    .where(and(eq(energySubscriptions.id, s.id), sql`${energySubscriptions.lowBalanceWarnedAt} is null`))
    .returning({ id: energySubscriptions.id });
  if (!marked && kind !== "exhausted") return;
  await sendEvents([
    subscriptionBalanceLow.create(
      { subscriptionId: s.id, userId: s.userId, kind, priceSun: priceSun.toString() },
      {
        id:
          kind === "exhausted"
            ? `subscription-exhausted-${s.id}`
            : `subscription-${kind}-${s.id}-${Date.now()}`,
      },
    ),
  ]);
}

/** Console: every subscription (newest first), optionally by status. */
export async function listAllSubscriptions(opts: { status?: SubscriptionStatus; limit?: number } = {}) {
  const db = await getDb();
  const rows = await db
    .select()
    .from(energySubscriptions)
    .where(opts.status ? eq(energySubscriptions.status, opts.status) : undefined)
    .orderBy(desc(energySubscriptions.id))
    .limit(Math.min(Math.max(opts.limit ?? 100, 1), 500));
  return viewsOf(rows, db);
}

/** One check cycle of the watcher (lib/watch) and the top-ups it calls for. */
export async function checkAndTopUp(opts: Parameters<typeof checkCycle>[0] = {}) {
  const cycle = await checkCycle(opts);
  const topups = await topUpChecked(cycle.checked, opts.now);
  return { cycle, topups };
}
