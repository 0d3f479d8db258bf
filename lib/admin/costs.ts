import { sql } from "drizzle-orm";
import { getDb, rowsOf } from "@/db";
import { financeRange } from "./finance";
import { opportunityCost } from "./dashboard";

/** Timestamps go to raw SQL as ISO text (postgres.js does not serialize a Date in every parameter position). */
const iso = (d: Date) => d.toISOString();

/**
 * What each order really cost the supplier pool, beside its price:
 * - bandwidth burned: the TRX our delegate and undelegate transactions burned (fee_sun +
 *   reclaim_fee_sun; each is ~280 bytes, free for the first two a day, then ~0.28 TRX);
 * - stake blocked: sun × seconds the stake could not be delegated again — while delegated
 *   (confirmation to reclaim, or now), plus after the reclaim: java-tron moves the energy the
 *   customer used to the supplier wallet, where it keeps `reclaim_blocked_sun` of stake busy while it
 *   recovers linearly over about 24 h (on average half of it for 24 h: blocked × 43,200 s);
 * - the opportunity cost of that stake at the finance APR.
 * Margin = price − refunds − bandwidth burned − opportunity cost. All bigint sun.
 */
type OrderCost = {
  orderId: number;
  createdAt: Date;
  status: string;
  energy: bigint;
  durationKey: string;
  priceSun: bigint;
  refundedSun: bigint;
  burnedSun: bigint;
  /** Stake blocked while delegated and after the reclaim, in sun-seconds. */
  rentalSunSeconds: bigint;
  afterSunSeconds: bigint;
  opportunitySun: bigint;
  costSun: bigint;
  marginSun: bigint;
};

type CostTotals = Omit<OrderCost, "orderId" | "createdAt" | "status" | "energy" | "durationKey"> & {
  orders: number;
};

/** The energy window over which moved usage recovers; the stake it holds averages half of it. */
export const AFTER_RECLAIM_SECONDS = 43_200n;

type Row = Record<string, unknown>;
const big = (v: unknown): bigint => (v == null ? 0n : BigInt(String(v).split(".")[0]));

/** The delegation sums of one order (`d` joined on the order). */
const partSums = sql`
  coalesce(sum(d.fee_sun + d.reclaim_fee_sun), 0) as burned,
  coalesce(sum(case when d.confirmed_at is null then 0 else d.sun::numeric
    * greatest(0, floor(extract(epoch from (coalesce(d.reclaimed_at, now()) - d.confirmed_at)))) end), 0) as rental,
  coalesce(sum(coalesce(d.reclaim_blocked_sun, 0)), 0)::numeric * ${AFTER_RECLAIM_SECONDS.toString()}::numeric as after`;

const inRange = (from: Date, to: Date, col = sql`created_at`) =>
  sql`${col} >= ${iso(from)}::timestamptz and ${col} < ${iso(to)}::timestamptz`;

/** The latest `limit` orders of the range first, then only their delegations. */
const latestOrders = (from: Date, to: Date, limit: number) => sql`
  with o as (
    select id, created_at, status, energy, duration_key, price_sun, refunded_sun from orders
    where ${inRange(from, to)} order by id desc limit ${limit}
  )
  select o.id, o.created_at, o.status, o.energy, o.duration_key, o.price_sun, o.refunded_sun, ${partSums}
  from o left join delegations d on d.order_id = o.id
  group by o.id, o.created_at, o.status, o.energy, o.duration_key, o.price_sun, o.refunded_sun
  order by o.id desc`;

/** Totals over the whole range: the orders once, their delegations summed in one hash join. */
const rangeTotals = (from: Date, to: Date) => sql`
  select o.orders, o.price, o.refunded, s.burned, s.rental, s.after
  from (select count(*) as orders, coalesce(sum(price_sun), 0) as price, coalesce(sum(refunded_sun), 0) as refunded
        from orders where ${inRange(from, to)}) o,
    (select ${partSums} from delegations d join orders x on x.id = d.order_id
     where ${inRange(from, to, sql`x.created_at`)}) s`;

type CostSums = Omit<CostTotals, "orders">;

/**
 * Cost and margin of one order or of a range: its price and refunds, and the delegation sums of
 * `partSums` (`burned`, `rental`, `after`) in `parts`.
 */
function costSums(price: unknown, refunded: unknown, parts: Row, aprBps: number): CostSums {
  const burnedSun = big(parts.burned);
  const rentalSunSeconds = big(parts.rental);
  const afterSunSeconds = big(parts.after);
  const opportunitySun = opportunityCost(rentalSunSeconds + afterSunSeconds, aprBps);
  const priceSun = big(price);
  const refundedSun = big(refunded);
  const costSun = burnedSun + opportunitySun;
  return {
    priceSun,
    refundedSun,
    burnedSun,
    rentalSunSeconds,
    afterSunSeconds,
    opportunitySun,
    costSun,
    marginSun: priceSun - refundedSun - costSun,
  };
}

function costOf(r: Row, aprBps: number): OrderCost {
  return {
    orderId: Number(r.id),
    createdAt: new Date(r.created_at as string),
    status: String(r.status),
    energy: big(r.energy),
    durationKey: String(r.duration_key),
    ...costSums(r.price_sun, r.refunded_sun, r, aprBps),
  };
}

/** Orders created in [from, to] (UTC days): the latest `limit` with their costs, and totals over all of them. */
export async function orderCosts(
  input: { from: string; to: string },
  aprBps: number,
  limit = 50,
): Promise<{ orders: OrderCost[]; totals: CostTotals }> {
  const { from, to } = financeRange(input);
  const db = await getDb();
  const [latest, [t]] = await Promise.all([
    db.execute(latestOrders(from, to, Math.min(Math.max(1, limit), 500))).then((r) => rowsOf<Row>(r)),
    db.execute(rangeTotals(from, to)).then((r) => rowsOf<Row>(r)),
  ]);
  return {
    orders: latest.map((r) => costOf(r, aprBps)),
    totals: { orders: Number(t.orders), ...costSums(t.price, t.refunded, t, aprBps) },
  };
}

/** Stake-hours in TRX·h (for display), from sun-seconds. */
export function trxHours(sunSeconds: bigint): bigint {
  return sunSeconds / 3_600_000_000n;
}
