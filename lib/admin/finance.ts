import { sql } from "drizzle-orm";
import { z } from "zod";
import { getDb, rowsOf } from "@/db";
import { AppError, fieldErrorsFromZod } from "@/lib/errors";
import { formatAmount } from "@/lib/money";
import { opportunityCost } from "./queries";

/** Timestamps go to raw SQL as ISO text (postgres.js does not serialize a Date in every parameter position). */
const iso = (d: Date) => d.toISOString();

/**
 * Finance per UTC day: revenue = order payments − refunds (from the ledger), chain costs we paid
 * (fees of our delegate / undelegate / collection transactions), the opportunity cost of delegated
 * TRX at the configured APR, and profit. All bigint sun.
 */
export type FinanceDay = {
  day: string;
  paymentsSun: bigint;
  refundsSun: bigint;
  revenueSun: bigint;
  chainCostSun: bigint;
  opportunityCostSun: bigint;
  profitSun: bigint;
};

export const financeRangeSchema = z
  .object({ from: z.iso.date(), to: z.iso.date() })
  .refine((r) => r.from <= r.to, { message: "The start must not be after the end.", path: ["from"] })
  .refine((r) => Date.parse(r.to) - Date.parse(r.from) <= 366 * 86_400_000, {
    message: "Choose at most one year.",
    path: ["to"],
  });

type Row = Record<string, unknown>;
const big = (v: unknown): bigint => (v == null ? 0n : BigInt(String(v).split(".")[0]));

export async function financeByDay(
  input: { from: string; to: string },
  aprBps: number,
): Promise<FinanceDay[]> {
  const p = financeRangeSchema.safeParse(input);
  if (!p.success)
    throw new AppError("bad_request", "Choose a valid date range.", {
      fields: fieldErrorsFromZod(p.error.issues),
    });
  const from = new Date(`${p.data.from}T00:00:00Z`);
  const to = new Date(Date.parse(`${p.data.to}T00:00:00Z`) + 86_400_000);
  const db = await getDb();
  const rows = rowsOf<Row>(
    await db.execute(sql`
      with days as (
        select g as day_start, g + interval '1 day' as day_end
        from generate_series(${iso(from)}::timestamptz, ${iso(to)}::timestamptz - interval '1 day', interval '1 day') g
      ),
      l as (
        select date_trunc('day', created_at, 'UTC') as day,
          sum(-amount_sun) filter (where type = 'order_payment') as payments,
          sum(amount_sun) filter (where type = 'refund') as refunds
        from ledger_entries
        where created_at >= ${iso(from)}::timestamptz and created_at < ${iso(to)}::timestamptz and type in ('order_payment', 'refund')
        group by 1
      ),
      fees as (
        select date_trunc('day', created_at, 'UTC') as day, sum(fee_sun) as fee
          from delegations where created_at >= ${iso(from)}::timestamptz and created_at < ${iso(to)}::timestamptz group by 1
        union all
        select date_trunc('day', reclaimed_at, 'UTC'), sum(reclaim_fee_sun)
          from delegations where reclaimed_at >= ${iso(from)}::timestamptz and reclaimed_at < ${iso(to)}::timestamptz group by 1
        union all
        select date_trunc('day', created_at, 'UTC'), sum(fee_sun)
          from collections where created_at >= ${iso(from)}::timestamptz and created_at < ${iso(to)}::timestamptz group by 1
      ),
      f as (select day, sum(fee) as fee from fees group by day),
      d as (
        select sun, greatest(confirmed_at, ${iso(from)}::timestamptz) as s,
          least(coalesce(reclaimed_at, expires_at, now()), ${iso(to)}::timestamptz, now()) as e
        from delegations
        where confirmed_at is not null and confirmed_at < ${iso(to)}::timestamptz
          and coalesce(reclaimed_at, expires_at, now()) > ${iso(from)}::timestamptz
      ),
      opp as (
        select day, sum(d.sun::numeric * floor(extract(epoch from (
            least(d.e, day + interval '1 day') - greatest(d.s, day))))) as sun_seconds
        from d cross join lateral generate_series(date_trunc('day', d.s, 'UTC'), d.e, interval '1 day') as day
        where d.e > d.s and least(d.e, day + interval '1 day') > greatest(d.s, day)
        group by day
      )
      select to_char(days.day_start at time zone 'UTC', 'YYYY-MM-DD') as day,
        coalesce(l.payments, 0) as payments, coalesce(l.refunds, 0) as refunds,
        coalesce(f.fee, 0) as fee, coalesce(opp.sun_seconds, 0) as sun_seconds
      from days
        left join l on l.day = days.day_start
        left join f on f.day = days.day_start
        left join opp on opp.day = days.day_start
      order by days.day_start`),
  );
  return rows.map((r) => {
    const payments = big(r.payments);
    const refunds = big(r.refunds);
    const revenue = payments - refunds;
    const cost = big(r.fee);
    const opp = opportunityCost(big(r.sun_seconds), aprBps);
    return {
      day: String(r.day),
      paymentsSun: payments,
      refundsSun: refunds,
      revenueSun: revenue,
      chainCostSun: cost,
      opportunityCostSun: opp,
      profitSun: revenue - cost - opp,
    };
  });
}

export function financeTotals(days: FinanceDay[]): Omit<FinanceDay, "day"> {
  const sum = (k: keyof Omit<FinanceDay, "day">) => days.reduce((a, d) => a + d[k], 0n);
  return {
    paymentsSun: sum("paymentsSun"),
    refundsSun: sum("refundsSun"),
    revenueSun: sum("revenueSun"),
    chainCostSun: sum("chainCostSun"),
    opportunityCostSun: sum("opportunityCostSun"),
    profitSun: sum("profitSun"),
  };
}

const trx = (v: bigint) => formatAmount(v, { decimals: 6, grouping: false });

/** CSV (RFC 4180, TRX with 6 exact decimals) of the finance rows. */
export function financeCsv(days: FinanceDay[]): string {
  const head = "date,payments_trx,refunds_trx,revenue_trx,chain_cost_trx,opportunity_cost_trx,profit_trx";
  const lines = days.map((d) =>
    [
      d.day,
      trx(d.paymentsSun),
      trx(d.refundsSun),
      trx(d.revenueSun),
      trx(d.chainCostSun),
      trx(d.opportunityCostSun),
      trx(d.profitSun),
    ].join(","),
  );
  return `${[head, ...lines].join("\r\n")}\r\n`;
}
