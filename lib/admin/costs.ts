import { sql } from "drizzle-orm";
import { getDb, rowsOf } from "@/db";
import { financeRange } from "./finance";
import { opportunityCost, ownStakeOnly } from "./dashboard";

/** Timestamps go to raw SQL as ISO text (postgres.js does not serialize a Date in every parameter position). */
const iso = (d: Date) => d.toISOString();

/**
 * What each order really cost, beside its price (docs/design.md, Finance):
 * - bandwidth burned: the TRX our delegate and undelegate transactions burned (fee_sun +
 *   reclaim_fee_sun; each is ~280 bytes, free for the first two a day, then ~0.28 TRX) — on a
 *   supplier's wallet too, since the platform repays it;
 * - stake blocked: sun × seconds the platform's own stake could not be delegated again — while
 *   delegated (confirmation to reclaim, or now), plus after the reclaim: java-tron moves the energy
 *   the customer used to the supplier wallet, where it keeps `reclaim_blocked_sun` of stake busy
 *   while it recovers linearly over about 24 h (on average half of it for 24 h: blocked × 43,200 s).
 *   A third-party supplier's stake is theirs and is left out;
 * - the opportunity cost of that stake at the finance APR;
 * - what suppliers earned on the order, and the referral commission it paid (less what was taken back).
 * Sales = price − refunds, or nothing for a package's prepaid supply (the package is the sale);
 * margin = sales − bandwidth burned − opportunity cost − suppliers − referral. All bigint sun.
 */
type OrderCost = {
  orderId: number;
  createdAt: Date;
  status: string;
  energy: bigint;
  durationKey: string;
  priceSun: bigint;
  refundedSun: bigint;
  /** price − refunds; 0 for a package's prepaid supply. */
  salesSun: bigint;
  burnedSun: bigint;
  /** Stake blocked while delegated and after the reclaim, in sun-seconds. */
  rentalSunSeconds: bigint;
  afterSunSeconds: bigint;
  opportunitySun: bigint;
  supplierSun: bigint;
  referralSun: bigint;
  costSun: bigint;
  marginSun: bigint;
  /** Set for a package's prepaid supply. */
  packageId: number | null;
};

type CostTotals = Omit<
  OrderCost,
  "orderId" | "createdAt" | "status" | "energy" | "durationKey" | "packageId"
> & {
  orders: number;
};

/** The energy window over which moved usage recovers; the stake it holds averages half of it. */
export const AFTER_RECLAIM_SECONDS = 43_200n;

type Row = Record<string, unknown>;
const big = (v: unknown): bigint => (v == null ? 0n : BigInt(String(v).split(".")[0]));

/** The delegation sums of one order (`d` joined on the order); stake only of the platform's own wallets. */
const partSums = sql`
  coalesce(sum(d.fee_sun + d.reclaim_fee_sun), 0) as burned,
  coalesce(sum(case when d.confirmed_at is null or not ${ownStakeOnly} then 0 else d.sun::numeric
    * greatest(0, floor(extract(epoch from (coalesce(d.reclaimed_at, now()) - d.confirmed_at)))) end), 0) as rental,
  coalesce(sum(case when ${ownStakeOnly} then coalesce(d.reclaim_blocked_sun, 0) else 0 end), 0)::numeric
    * ${AFTER_RECLAIM_SECONDS.toString()}::numeric as after`;

/** What suppliers earned on order `o` and its referral commission net of what was taken back. */
const orderShares = sql`
  (select coalesce(sum(e.earning_sun), 0) from supplier_earnings e where e.order_id = o.id) as suppliers,
  (select coalesce(sum(r.commission_sun - r.reversed_sun - r.owed_sun), 0) from referral_commissions r
    where r.order_id = o.id) as referrals`;

const inRange = (from: Date, to: Date, col = sql`created_at`) =>
  sql`${col} >= ${iso(from)}::timestamptz and ${col} < ${iso(to)}::timestamptz`;

/** The latest `limit` orders of the range first, then only their delegations. */
const latestOrders = (from: Date, to: Date, limit: number) => sql`
  with o as (
    select id, created_at, status, energy, duration_key, price_sun, refunded_sun, package_id from orders
    where ${inRange(from, to)} order by id desc limit ${limit}
  )
  select o.id, o.created_at, o.status, o.energy, o.duration_key, o.price_sun, o.refunded_sun, o.package_id,
    ${partSums}, ${orderShares}
  from o left join delegations d on d.order_id = o.id
  group by o.id, o.created_at, o.status, o.energy, o.duration_key, o.price_sun, o.refunded_sun, o.package_id
  order by o.id desc`;

/** Totals over the whole range: the orders once, their delegations summed in one hash join. */
const rangeTotals = (from: Date, to: Date) => sql`
  select o.orders, o.price, o.refunded, o.prepaid, s.burned, s.rental, s.after, e.suppliers, r.referrals
  from (select count(*) as orders, coalesce(sum(price_sun), 0) as price, coalesce(sum(refunded_sun), 0) as refunded,
          coalesce(sum(price_sun - refunded_sun) filter (where package_id is not null), 0) as prepaid
        from orders where ${inRange(from, to)}) o,
    (select ${partSums} from delegations d join orders x on x.id = d.order_id
     where ${inRange(from, to, sql`x.created_at`)}) s,
    (select coalesce(sum(e.earning_sun), 0) as suppliers from supplier_earnings e join orders x on x.id = e.order_id
     where ${inRange(from, to, sql`x.created_at`)}) e,
    (select coalesce(sum(r.commission_sun - r.reversed_sun - r.owed_sun), 0) as referrals
     from referral_commissions r join orders x on x.id = r.order_id
     where ${inRange(from, to, sql`x.created_at`)}) r`;

type CostSums = Omit<CostTotals, "orders">;

/**
 * Cost and margin of one order or of a range: its price and refunds, the part of them that was a
 * package's prepaid supply (`prepaid`: not a sale), the delegation sums of `partSums` (`burned`,
 * `rental`, `after`) and the shares of `orderShares` (`suppliers`, `referrals`) in `parts`.
 */
function costSums(price: unknown, refunded: unknown, prepaid: bigint, parts: Row, aprBps: number): CostSums {
  const burnedSun = big(parts.burned);
  const rentalSunSeconds = big(parts.rental);
  const afterSunSeconds = big(parts.after);
  const opportunitySun = opportunityCost(rentalSunSeconds + afterSunSeconds, aprBps);
  const supplierSun = big(parts.suppliers);
  const referralSun = big(parts.referrals);
  const priceSun = big(price);
  const refundedSun = big(refunded);
  const salesSun = priceSun - refundedSun - prepaid;
  const costSun = burnedSun + opportunitySun + supplierSun + referralSun;
  return {
    priceSun,
    refundedSun,
    salesSun,
    burnedSun,
    rentalSunSeconds,
    afterSunSeconds,
    opportunitySun,
    supplierSun,
    referralSun,
    costSun,
    marginSun: salesSun - costSun,
  };
}

function costOf(r: Row, aprBps: number): OrderCost {
  const packageId = r.package_id == null ? null : Number(r.package_id);
  const prepaid = packageId === null ? 0n : big(r.price_sun) - big(r.refunded_sun);
  return {
    orderId: Number(r.id),
    createdAt: new Date(r.created_at as string),
    status: String(r.status),
    energy: big(r.energy),
    durationKey: String(r.duration_key),
    packageId,
    ...costSums(r.price_sun, r.refunded_sun, prepaid, r, aprBps),
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
    totals: { orders: Number(t.orders), ...costSums(t.price, t.refunded, big(t.prepaid), t, aprBps) },
  };
}

/** Stake-hours in TRX·h (for display), from sun-seconds. */
export function trxHours(sunSeconds: bigint): bigint {
  return sunSeconds / 3_600_000_000n;
}
