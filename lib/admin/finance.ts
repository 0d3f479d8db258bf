import { sql } from "drizzle-orm";
import { z } from "zod";
import { getDb, rowsOf } from "@/db";
import { AppError, fieldErrorsFromZod } from "@/lib/errors";
import { ledgerTotalsByDay } from "@/lib/ledger/daily";
import { formatAmount } from "@/lib/money";
import { opportunityCost, ownStakeOnly } from "./dashboard";

/** Timestamps go to raw SQL as ISO text (postgres.js does not serialize a Date in every parameter position). */
const iso = (d: Date) => d.toISOString();

/**
 * Finance per UTC day (docs/operations.md, "Finance"). Revenue is recognised on delivery: the
 * orders that became active that day, each at its price minus what was refunded of it (the
 * undelivered share of a split order), so a refund counts against the order it refunds, never
 * against the day's other sales. A package's prepaid supplies are not sales: a package is revenue
 * on the day it is bought, at its price, less its expiry refund on the day it expires. A payment for
 * an order not delivered is not revenue: it shows as "paid, not delivered" on the day it was paid,
 * until the order is delivered (then revenue) or refunded (then nothing). Payments and refunds are
 * the cash that moved that day (from the ledger). Costs:
 * - chain: the fees of our delegate / undelegate transactions and collections — those a third-party
 *   supplier's wallet burned included, since the platform repays them (`supplier_fee_refund`);
 * - opportunity: of the platform's own TRX delegated, at the configured APR (suppliers' stake is
 *   theirs and is paid for by their earnings);
 * - suppliers: what suppliers earned on deliveries (`supplier_earning`), after the commission;
 * - referrals: commissions credited less those taken back (`referral_commission` + `referral_reversal`).
 * profit = revenue − all four. All bigint sun.
 */
type FinanceDay = {
  day: string;
  paymentsSun: bigint;
  refundsSun: bigint;
  revenueSun: bigint;
  /** Of the revenue: packages bought that day less expiry refunds that day. */
  packagesSun: bigint;
  /** Orders delivered (active) that day. */
  deliveredOrders: number;
  /** Paid that day, not delivered (yet): still waiting, or failed and not yet refunded. */
  undeliveredSun: bigint;
  chainCostSun: bigint;
  opportunityCostSun: bigint;
  supplierCostSun: bigint;
  referralCostSun: bigint;
  profitSun: bigint;
};

export const financeRangeSchema = z
  .object({ from: z.iso.date(), to: z.iso.date() })
  .refine((r) => r.from <= r.to, { message: "The start must not be after the end.", path: ["from"] })
  .refine((r) => Date.parse(r.to) - Date.parse(r.from) <= 366 * 86_400_000, {
    message: "Choose at most one year.",
    path: ["to"],
  });

/** The checked range as instants: [start of `from`, end of `to`) in UTC; an invalid one is a bad_request. */
export function financeRange(input: { from: string; to: string }): { from: Date; to: Date } {
  const p = financeRangeSchema.safeParse(input);
  if (!p.success)
    throw new AppError("bad_request", "Choose a valid date range.", {
      fields: fieldErrorsFromZod(p.error.issues),
    });
  return {
    from: new Date(`${p.data.from}T00:00:00Z`),
    to: new Date(Date.parse(`${p.data.to}T00:00:00Z`) + 86_400_000),
  };
}

/**
 * The range a finance page shows for its `from`/`to` search params (dates as typed): the last 30
 * days (UTC) when they are missing, and also when they are not a valid range (`error` says why).
 */
export function pageRange(sp: { from?: string; to?: string }): {
  range: { from: string; to: string };
  error: string | null;
} {
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const fallback = { from: day(new Date(Date.now() - 29 * 86_400_000)), to: day(new Date()) };
  const parsed = financeRangeSchema.safeParse({ from: sp.from ?? fallback.from, to: sp.to ?? fallback.to });
  if (parsed.success) return { range: parsed.data, error: null };
  return { range: fallback, error: parsed.error.issues[0]?.message ?? "Choose a valid date range." };
}

type Row = Record<string, unknown>;
const big = (v: unknown): bigint => (v == null ? 0n : BigInt(String(v).split(".")[0]));

export async function financeByDay(
  input: { from: string; to: string },
  aprBps: number,
): Promise<FinanceDay[]> {
  const { from, to } = financeRange(input);
  const db = await getDb();
  // Statements in parallel: cash, revenue, chain fees, delegated time.
  const [ledger, sales, fees, delegated] = await Promise.all([
    // Payments and refunds from the ledger's daily rollup (whole past days stored once, the rest live).
    ledgerTotalsByDay(
      { from, to },
      { types: ["order_payment", "refund", "supplier_earning", "referral_commission", "referral_reversal"] },
    ),
    db.execute(salesByDay(from, to)).then((r) => rowsOf<Row>(r)),
    db.execute(feesByDay(from, to)).then((r) => rowsOf<Row>(r)),
    // JIT off for this statement: the planner cannot estimate the per-delegation day series and
    // would spend more compiling the query than running it.
    db.transaction(async (tx) => {
      await tx.execute(sql`set local jit = off`);
      return rowsOf<Row>(await tx.execute(delegatedSunSecondsByDay(from, to)));
    }),
  ]);
  const fee = new Map<string, bigint>();
  const sunSeconds = new Map<string, bigint>();
  const revenue = new Map<string, { sun: bigint; orders: number }>();
  const held = new Map<string, bigint>();
  const packages = new Map<string, bigint>();
  for (const r of sales) {
    const d = String(r.day);
    if (r.kind === "delivered") revenue.set(d, { sun: big(r.sun), orders: Number(r.n) });
    else if (r.kind === "held") held.set(d, big(r.sun));
    else if (r.kind === "package") packages.set(d, (packages.get(d) ?? 0n) + big(r.sun));
    else if (r.kind === "package_refund") packages.set(d, (packages.get(d) ?? 0n) - big(r.sun));
  }
  for (const r of fees) fee.set(String(r.day), (fee.get(String(r.day)) ?? 0n) + big(r.fee));
  for (const r of delegated)
    sunSeconds.set(String(r.day), (sunSeconds.get(String(r.day)) ?? 0n) + big(r.sun_seconds));
  const out: FinanceDay[] = [];
  for (let t = from.getTime(); t < to.getTime(); t += 86_400_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    const l = ledger.get(day);
    const payments = -(l?.order_payment ?? 0n);
    const refunds = l?.refund ?? 0n;
    const sold = revenue.get(day);
    const pkg = packages.get(day) ?? 0n;
    const income = (sold?.sun ?? 0n) + pkg;
    const cost = fee.get(day) ?? 0n;
    const opp = opportunityCost(sunSeconds.get(day) ?? 0n, aprBps);
    const suppliers = l?.supplier_earning ?? 0n;
    const referrals = (l?.referral_commission ?? 0n) + (l?.referral_reversal ?? 0n);
    out.push({
      day,
      paymentsSun: payments,
      refundsSun: refunds,
      revenueSun: income,
      packagesSun: pkg,
      deliveredOrders: sold?.orders ?? 0,
      undeliveredSun: held.get(day) ?? 0n,
      chainCostSun: cost,
      opportunityCostSun: opp,
      supplierCostSun: suppliers,
      referralCostSun: referrals,
      profitSun: income - cost - opp - suppliers - referrals,
    });
  }
  return out;
}

/**
 * Per UTC day in [from, to): `delivered` — orders that became active that day and their revenue
 * (price minus what was refunded of that order; orders_delivered_cov_idx), a package's prepaid
 * supplies left out; `held` — orders paid that day and not delivered, with the money still held
 * (waiting, or failed and not yet refunded; orders_created_cov_idx); `package` — packages bought
 * that day at their price; `package_refund` — what expired packages refunded, on their expiry day.
 */
function salesByDay(fromD: Date, toD: Date) {
  const from = iso(fromD);
  const to = iso(toD);
  return sql`
    select 'delivered' as kind, (delivered_at at time zone 'UTC')::date::text as day, count(*) as n,
        sum(price_sun - refunded_sun) as sun
      from orders where delivered_at >= ${from}::timestamptz and delivered_at < ${to}::timestamptz
        and package_id is null
      group by (delivered_at at time zone 'UTC')::date
    union all
    select 'held', (created_at at time zone 'UTC')::date::text, count(*), sum(price_sun - refunded_sun)
      from orders where created_at >= ${from}::timestamptz and created_at < ${to}::timestamptz
        and delivered_at is null and status in ('paid', 'delegating', 'failed') and package_id is null
      group by (created_at at time zone 'UTC')::date
    union all
    select 'package', (created_at at time zone 'UTC')::date::text, count(*), sum(price_sun)
      from transfer_packages where created_at >= ${from}::timestamptz and created_at < ${to}::timestamptz
      group by (created_at at time zone 'UTC')::date
    union all
    select 'package_refund', (ends_at at time zone 'UTC')::date::text, count(*), sum(refunded_sun)
      from transfer_packages where ends_at >= ${from}::timestamptz and ends_at < ${to}::timestamptz
        and refunded_sun > 0
      group by (ends_at at time zone 'UTC')::date`;
}

/** Chain fees we paid per UTC day in [from, to): delegate and undelegate transactions, collections. */
function feesByDay(fromD: Date, toD: Date) {
  const from = iso(fromD);
  const to = iso(toD);
  return sql`
    select (created_at at time zone 'UTC')::date::text as day, sum(fee_sun) as fee
      from delegations where created_at >= ${from}::timestamptz and created_at < ${to}::timestamptz and fee_sun > 0
      group by (created_at at time zone 'UTC')::date
    union all
    select (reclaimed_at at time zone 'UTC')::date::text, sum(reclaim_fee_sun)
      from delegations where reclaimed_at >= ${from}::timestamptz and reclaimed_at < ${to}::timestamptz and reclaim_fee_sun > 0
      group by (reclaimed_at at time zone 'UTC')::date
    union all
    select (created_at at time zone 'UTC')::date::text, sum(fee_sun)
      from collections where created_at >= ${from}::timestamptz and created_at < ${to}::timestamptz and fee_sun > 0
      group by (created_at at time zone 'UTC')::date`;
}

/**
 * Delegated sun-seconds of the platform's own stake (suppliers' wallets left out) per UTC day in
 * [from, to) (one or two rows per day): each delegation counts
 * from confirmation to reclaim (or expiry, or now), floored to whole seconds per day. Most
 * delegations start and end on the same day and take one row; only those that cross midnight are
 * split into days. `date_bin` on the epoch is the UTC day without a time-zone lookup per row, and
 * `24 hours` (not `1 day`) keeps the steps UTC days whatever the session's TimeZone.
 */
function delegatedSunSecondsByDay(fromD: Date, toD: Date) {
  const from = iso(fromD);
  const to = iso(toD);
  return sql`
    with d as (
      -- two halves so each is a range on delegations_delegated_until_idx
      select sun, greatest(confirmed_at, ${from}::timestamptz) as s,
        least(coalesce(reclaimed_at, expires_at), ${to}::timestamptz, now()) as e
      from delegations
      where confirmed_at is not null and confirmed_at < ${to}::timestamptz
        and coalesce(reclaimed_at, expires_at) > ${from}::timestamptz and ${ownStakeOnly}
      union all
      select sun, greatest(confirmed_at, ${from}::timestamptz), least(${to}::timestamptz, now())
      from delegations
      where confirmed_at is not null and confirmed_at < ${to}::timestamptz
        and coalesce(reclaimed_at, expires_at) is null and now() > ${from}::timestamptz and ${ownStakeOnly}
    ), d1 as (
      select sun, s, e, date_bin('1 day', s, '1970-01-01T00:00:00Z'::timestamptz) as s_day from d where e > s
    )
    select (s_day at time zone 'UTC')::date::text as day, sum(sun::numeric * floor(extract(epoch from (e - s)))) as sun_seconds
      from d1 where e <= s_day + interval '24 hours'
      group by s_day
    union all
    select (day at time zone 'UTC')::date::text, sum(sun::numeric * floor(extract(epoch from (
        least(e, day + interval '24 hours') - greatest(s, day)))))
      from d1 cross join lateral generate_series(s_day, e, interval '24 hours') as day
      where e > s_day + interval '24 hours' and least(e, day + interval '24 hours') > greatest(s, day)
      group by day`;
}

export function financeTotals(days: FinanceDay[]): Omit<FinanceDay, "day"> {
  type SunKey = { [K in keyof FinanceDay]: FinanceDay[K] extends bigint ? K : never }[keyof FinanceDay];
  const sum = (k: SunKey) => days.reduce((a, d) => a + d[k], 0n);
  return {
    paymentsSun: sum("paymentsSun"),
    refundsSun: sum("refundsSun"),
    revenueSun: sum("revenueSun"),
    packagesSun: sum("packagesSun"),
    deliveredOrders: days.reduce((a, d) => a + d.deliveredOrders, 0),
    undeliveredSun: sum("undeliveredSun"),
    chainCostSun: sum("chainCostSun"),
    opportunityCostSun: sum("opportunityCostSun"),
    supplierCostSun: sum("supplierCostSun"),
    referralCostSun: sum("referralCostSun"),
    profitSun: sum("profitSun"),
  };
}

const trx = (v: bigint) => formatAmount(v, { decimals: 6, grouping: false });

/**
 * CSV (RFC 4180, TRX with 6 exact decimals) of the finance rows: revenue_trx is recognised on
 * delivery (packages on purchase, `packages_trx` of it); the columns after the original ones keep
 * their order: paid_not_delivered_trx, delivered_orders, then packages_trx, supplier_cost_trx and
 * referral_cost_trx.
 */
export function financeCsv(days: FinanceDay[]): string {
  const head =
    "date,payments_trx,refunds_trx,revenue_trx,chain_cost_trx,opportunity_cost_trx,profit_trx,paid_not_delivered_trx,delivered_orders,packages_trx,supplier_cost_trx,referral_cost_trx";
  const lines = days.map((d) =>
    [
      d.day,
      trx(d.paymentsSun),
      trx(d.refundsSun),
      trx(d.revenueSun),
      trx(d.chainCostSun),
      trx(d.opportunityCostSun),
      trx(d.profitSun),
      trx(d.undeliveredSun),
      d.deliveredOrders,
      trx(d.packagesSun),
      trx(d.supplierCostSun),
      trx(d.referralCostSun),
    ].join(","),
  );
  return `${[head, ...lines].join("\r\n")}\r\n`;
}
