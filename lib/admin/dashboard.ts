import { sql } from "drizzle-orm";
import { getDb, rowsOf } from "@/db";
import { ledgerTotalsByDay } from "@/lib/ledger/daily";

/**
 * The admin console's dashboard read model: orders, revenue, costs and profit over three windows
 * (today, 7 days, 30 days), the chart's days and the counts on the home page. Money comes back as
 * bigint sun; counts as numbers. Called only after `authorize`/`requireAdmin` with the matching
 * `*.read` permission.
 */

/** Timestamps go to raw SQL as ISO text (postgres.js does not serialize a Date in every parameter position). */
const iso = (d: Date) => d.toISOString();

type Row = Record<string, unknown>;
const big = (v: unknown): bigint => (v == null ? 0n : BigInt(String(v).split(".")[0]));
const num = (v: unknown): number => (v == null ? 0 : Number(v));

const WINDOWS = { today: 1, "7d": 7, "30d": 30 } as const;
type WindowKey = keyof typeof WINDOWS;

type WindowStats = {
  window: WindowKey;
  since: Date;
  orders: number;
  energySold: bigint;
  revenueSun: bigint;
  /** Of the revenue: packages bought, less expiry refunds (docs/design.md, Finance). */
  packagesSun: bigint;
  paymentsSun: bigint;
  refundsSun: bigint;
  chainCostSun: bigint;
  opportunityCostSun: bigint;
  /** Suppliers' earnings credited in the window. */
  supplierCostSun: bigint;
  /** Referral commissions credited less those taken back. */
  referralCostSun: bigint;
  profitSun: bigint;
  failed: number;
  /** Failed orders per 10,000 orders (basis points), integer. */
  failureRateBps: number;
  /** Median paid → active, in ms (null without deliveries). */
  medianDeliveryMs: number | null;
};

/** Start of the window, aligned on UTC days: today = since 00:00 UTC, 7d / 30d include today. */
export function windowStart(w: WindowKey, now = new Date()): Date {
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return new Date(midnight - (WINDOWS[w] - 1) * 86_400_000);
}

/**
 * A delegations filter: the platform's own stake only. A third-party supplier's wallet holds their
 * stake, not the platform's; its cost is what the supplier earns. (A small array, computed once per
 * statement; delegations_delegated_until_idx carries supplier_wallet_id for it.)
 */
export const ownStakeOnly = sql`not (supplier_wallet_id = any(array(select id from supplier_wallets where supplier_user_id is not null)))`;

export function opportunityCost(sunSeconds: bigint, aprBps: number): bigint {
  return (sunSeconds * BigInt(aprBps)) / (10_000n * 31_536_000n);
}

type DashboardStats = {
  windows: WindowStats[];
  openAlerts: number;
  byStatus: Record<string, number>;
  /** Orders paid and not delivered now (waiting, or failed and not yet refunded), and their money. */
  undelivered: { orders: number; sun: bigint };
  /** Orders placed and revenue recognised (on delivery) per day, last 30 days (for the chart). */
  daily: { day: string; orders: number; revenueSun: bigint }[];
};

type DayAgg = {
  orders: number;
  energy: bigint;
  revenue: bigint;
  packages: bigint;
  failed: number;
  payments: bigint;
  refunds: bigint;
  fees: bigint;
  suppliers: bigint;
  referrals: bigint;
};

const emptyDay = (): DayAgg => ({
  orders: 0,
  energy: 0n,
  revenue: 0n,
  packages: 0n,
  failed: 0,
  payments: 0n,
  refunds: 0n,
  fees: 0n,
  suppliers: 0n,
  referrals: 0n,
});

/**
 * The database half of the dashboard (the pool half comes from lib/pool's poolCapacity). One pass
 * per table over the last 30 days, grouped by UTC day; the three windows are sums of days, so the
 * cost does not triple. Revenue and energy sold are recognised on delivery (the day an order became
 * active, at its price minus what was refunded of it, orders_delivered_cov_idx); orders are counted
 * on the day they were placed; payments and refunds are the cash of the day (ledger). Medians and the opportunity cost take one filtered aggregate per window.
 * The statements run in parallel; each reads a covering index (orders_created_cov_idx,
 * orders_failed_created_idx, the delegations fee / delegated-until indexes), and the ledger half
 * comes from lib/ledger's daily rollup (whole past days stored once, the rest summed live).
 */
export async function getDashboardStats(aprBps: number, now = new Date()): Promise<DashboardStats> {
  const db = await getDb();
  const keys = Object.keys(WINDOWS) as WindowKey[];
  const starts = keys.map((k) => windowStart(k, now));
  const [t0, t7, t30] = starts.map(iso);
  const n = iso(now);
  // `(created_at at time zone 'UTC')::date` is the expression the extended statistics cover
  // (migration 0004): with them the planner hashes ~30 day groups instead of sorting every row.
  const [
    ordersByDay,
    deliveredByDay,
    failedByDay,
    medians,
    ledgerByDay,
    feesByDay,
    opp,
    counts,
    packagesByDay,
  ] = await Promise.all([
    db.execute(sql`
      select ((created_at at time zone 'UTC')::date)::text as day, count(*) as n
      from orders where created_at >= ${t30}::timestamptz and created_at < ${n}::timestamptz
      group by (created_at at time zone 'UTC')::date`),
    db.execute(sql`
      select ((delivered_at at time zone 'UTC')::date)::text as day, sum(energy) as energy,
        coalesce(sum(price_sun - refunded_sun) filter (where package_id is null), 0) as revenue
      from orders where delivered_at >= ${t30}::timestamptz and delivered_at < ${n}::timestamptz
      group by (delivered_at at time zone 'UTC')::date`),
    db.execute(sql`
      select ((created_at at time zone 'UTC')::date)::text as day, count(*) as failed
      from orders where failure_reason is not null and created_at >= ${t30}::timestamptz and created_at < ${n}::timestamptz
      group by (created_at at time zone 'UTC')::date`),
    db.execute(sql`
      select
        percentile_cont(0.5) within group (order by date_part('epoch', delivered_at - created_at)) filter (where created_at >= ${t0}::timestamptz) as m0,
        percentile_cont(0.5) within group (order by date_part('epoch', delivered_at - created_at)) filter (where created_at >= ${t7}::timestamptz) as m7,
        percentile_cont(0.5) within group (order by date_part('epoch', delivered_at - created_at)) as m30
      from orders where created_at >= ${t30}::timestamptz and created_at < ${n}::timestamptz and delivered_at is not null`),
    ledgerTotalsByDay(
      { from: starts[2], to: now },
      { types: ["order_payment", "refund", "supplier_earning", "referral_commission", "referral_reversal"] },
    ),
    db.execute(sql`
      select day::text as day, sum(fee) as fee from (
        select (created_at at time zone 'UTC')::date as day, fee_sun as fee from delegations
          where created_at >= ${t30}::timestamptz and created_at < ${n}::timestamptz and fee_sun > 0
        union all
        select (reclaimed_at at time zone 'UTC')::date, reclaim_fee_sun from delegations
          where reclaimed_at >= ${t30}::timestamptz and reclaimed_at < ${n}::timestamptz and reclaim_fee_sun > 0
        union all
        select (created_at at time zone 'UTC')::date, fee_sun from collections
          where created_at >= ${t30}::timestamptz and created_at < ${n}::timestamptz and fee_sun > 0
      ) f group by day`),
    db.execute(sql`
      select
        coalesce(sum(v) filter (where s >= ${t0}::timestamptz and e > ${t0}::timestamptz), 0)
          + coalesce(sum(sun::numeric * floor(extract(epoch from (e - ${t0}::timestamptz)))) filter (where s < ${t0}::timestamptz and e > ${t0}::timestamptz), 0) as o0,
        coalesce(sum(v) filter (where s >= ${t7}::timestamptz and e > ${t7}::timestamptz), 0)
          + coalesce(sum(sun::numeric * floor(extract(epoch from (e - ${t7}::timestamptz)))) filter (where s < ${t7}::timestamptz and e > ${t7}::timestamptz), 0) as o7,
        coalesce(sum(v) filter (where s >= ${t30}::timestamptz), 0)
          + coalesce(sum(sun::numeric * floor(extract(epoch from (e - ${t30}::timestamptz)))) filter (where s < ${t30}::timestamptz), 0) as o30
      -- v: the delegation's sun-seconds, computed once and shared by the windows it lies inside
      from (select *, case when s >= ${t30}::timestamptz then sun::numeric * floor(extract(epoch from (e - s))) end as v
        from (select sun, confirmed_at as s, least(coalesce(reclaimed_at, expires_at, ${n}::timestamptz), ${n}::timestamptz) as e
        from delegations where confirmed_at is not null and confirmed_at < ${n}::timestamptz
          and coalesce(reclaimed_at, expires_at) > ${t30}::timestamptz and ${ownStakeOnly}) d) d2`),
    db.execute(sql`
      select 'alerts' as k, count(*) as n, 0 as sun from alerts where status = 'open'
      union all
      select status::text, count(*), coalesce(sum(price_sun - refunded_sun) filter (where package_id is null), 0)
        from orders where status in ('paid', 'delegating', 'active', 'reclaiming', 'failed') group by status`),
    // packages: sold on the day bought, their expiry refunds on the day they expire
    db.execute(sql`
      select day::text as day, sum(sun) as sun from (
        select (created_at at time zone 'UTC')::date as day, price_sun as sun from transfer_packages
          where created_at >= ${t30}::timestamptz and created_at < ${n}::timestamptz
        union all
        select (ends_at at time zone 'UTC')::date, -refunded_sun from transfer_packages
          where ends_at >= ${t30}::timestamptz and ends_at < ${n}::timestamptz and refunded_sun > 0
      ) p group by day`),
  ]);

  const days = new Map<string, DayAgg>();
  const day = (d: string) => {
    let a = days.get(d);
    if (!a) {
      a = emptyDay();
      days.set(d, a);
    }
    return a;
  };
  for (const r of rowsOf<Row>(ordersByDay)) day(String(r.day)).orders = num(r.n);
  for (const r of rowsOf<Row>(deliveredByDay)) {
    const a = day(String(r.day));
    a.energy = big(r.energy);
    a.revenue = big(r.revenue);
  }
  for (const r of rowsOf<Row>(failedByDay)) day(String(r.day)).failed = num(r.failed);
  for (const [d, t] of ledgerByDay) {
    const a = day(d);
    a.payments = -(t.order_payment ?? 0n);
    a.refunds = t.refund ?? 0n;
    a.suppliers = t.supplier_earning ?? 0n;
    a.referrals = (t.referral_commission ?? 0n) + (t.referral_reversal ?? 0n);
  }
  for (const r of rowsOf<Row>(feesByDay)) day(String(r.day)).fees = big(r.fee);
  for (const r of rowsOf<Row>(packagesByDay)) day(String(r.day)).packages = big(r.sun);
  const med = rowsOf<Row>(medians)[0] ?? {};
  const op = rowsOf<Row>(opp)[0] ?? {};
  const medianMs = (v: unknown) => (v == null ? null : Math.round(Number(v) * 1000));
  const countRows = rowsOf<Row>(counts);

  const windows = keys.map((w, i): WindowStats => {
    const from = starts[i].toISOString().slice(0, 10);
    const sum = emptyDay();
    for (const [d, a] of days) {
      if (d < from) continue;
      sum.orders += a.orders;
      sum.energy += a.energy;
      sum.revenue += a.revenue;
      sum.packages += a.packages;
      sum.suppliers += a.suppliers;
      sum.referrals += a.referrals;
      sum.failed += a.failed;
      sum.payments += a.payments;
      sum.refunds += a.refunds;
      sum.fees += a.fees;
    }
    const revenue = sum.revenue + sum.packages;
    const oppCost = opportunityCost(big([op.o0, op.o7, op.o30][i]), aprBps);
    return {
      window: w,
      since: starts[i],
      orders: sum.orders,
      energySold: sum.energy,
      revenueSun: revenue,
      packagesSun: sum.packages,
      paymentsSun: sum.payments,
      refundsSun: sum.refunds,
      chainCostSun: sum.fees,
      opportunityCostSun: oppCost,
      supplierCostSun: sum.suppliers,
      referralCostSun: sum.referrals,
      profitSun: revenue - sum.fees - oppCost - sum.suppliers - sum.referrals,
      failed: sum.failed,
      failureRateBps: sum.orders ? Math.floor((sum.failed * 10_000) / sum.orders) : 0,
      medianDeliveryMs: medianMs([med.m0, med.m7, med.m30][i]),
    };
  });
  const held = countRows.filter((r) => r.k === "paid" || r.k === "delegating" || r.k === "failed");
  return {
    windows,
    openAlerts: num(countRows.find((r) => r.k === "alerts")?.n),
    byStatus: Object.fromEntries(
      countRows.filter((r) => r.k !== "alerts" && r.k !== "failed").map((r) => [String(r.k), num(r.n)]),
    ),
    undelivered: {
      orders: held.reduce((a, r) => a + num(r.n), 0),
      sun: held.reduce((a, r) => a + big(r.sun), 0n),
    },
    daily: [...days.entries()]
      .filter(([, a]) => a.orders > 0 || a.revenue + a.packages !== 0n)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([d, a]) => ({ day: d, orders: a.orders, revenueSun: a.revenue + a.packages })),
  };
}
