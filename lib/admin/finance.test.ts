import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb, rowsOf } from "@/db";
import { createUser } from "@/lib/users";
import { financeByDay, financeCsv, pageRange } from "./finance";
import { getDashboardStats, opportunityCost, windowStart } from "./dashboard";

const DAY = 86_400_000;
const H = 3_600_000;

/**
 * The straightforward recomputation, one day at a time: fees whose time falls in the day, and for
 * every confirmed delegation the whole seconds of [confirmed, reclaimed | expires | now) inside it.
 */
async function reference(from: Date, to: Date) {
  const db = await getDb();
  return rowsOf<{ day: string; fee: string; ss: string }>(
    await db.execute(sql`
      select to_char(g at time zone 'UTC', 'YYYY-MM-DD') as day,
        (coalesce((select sum(fee_sun) from delegations where created_at >= g and created_at < g + interval '24 hours'), 0)
          + coalesce((select sum(reclaim_fee_sun) from delegations where reclaimed_at >= g and reclaimed_at < g + interval '24 hours'), 0)
          + coalesce((select sum(fee_sun) from collections where created_at >= g and created_at < g + interval '24 hours'), 0))::text as fee,
        coalesce((select sum(sun::numeric * floor(extract(epoch from (
            least(coalesce(reclaimed_at, expires_at, now()), g + interval '24 hours', now()) - greatest(confirmed_at, g)))))
          from delegations where confirmed_at is not null
            and least(coalesce(reclaimed_at, expires_at, now()), g + interval '24 hours', now()) > greatest(confirmed_at, g)), 0)::text as ss
      from generate_series(${from.toISOString()}::timestamptz, ${to.toISOString()}::timestamptz - interval '24 hours', interval '24 hours') g
      order by g`),
  );
}

const today = Math.floor(Date.now() / DAY) * DAY;

beforeAll(async () => {
  const db = await getDb();
  const at = (ms: number) => new Date(ms).toISOString();
  const u = await createUser();
  const [w] = rowsOf<{ id: number }>(
    await db.execute(sql`
        insert into supplier_wallets (address, label, mode, encrypted_key, key_id, status, trx_sun, staked_energy_sun, delegatable_sun)
        values (${`TFinanceTest${randomUUID().slice(0, 8)}`}, 'finance-test', 'key', 'not-a-key', 'k1', 'disabled', 0, 0, 0)
        returning id`),
  );
  const [o] = rowsOf<{ id: number }>(
    await db.execute(sql`
        insert into orders (user_id, receiver_address, energy, duration_key, duration_seconds, unit_price_sun, price_sun,
          burn_sun, status, source, idempotency_key, fingerprint, created_at)
        values (${u.id}, 'TFinanceReceiver', 65000, '1h', 3600, 45, 2925000, 6500000, 'completed', 'admin', ${randomUUID()}, 'fp',
          ${at(today - 9 * DAY)}::timestamptz)
        returning id`),
  );
  // [confirmed, reclaimed, expires] offsets from today's midnight; odd sun and sub-second times on purpose.
  const parts: [number, number | null, number | null, bigint, bigint, bigint][] = [
    [-8 * DAY + 2 * H + 123, -8 * DAY + 3 * H + 999, -8 * DAY + 3 * H, 7_000_000_001n, 280_001n, 280_003n], // within a day
    [-7 * DAY - H + 500, -7 * DAY + H + 1, -7 * DAY + H, 1_234_567_891n, 1n, 2n], // across midnight
    [-6 * DAY + 5 * H, null, -3 * DAY + 7 * H + 250, 999_999_999_999n, 345_678n, 0n], // expired, not reclaimed, 3 days
    [-5 * DAY + 23 * H + 59 * 60_000, -2 * DAY + 11, -2 * DAY, 77_777_777n, 0n, 9n], // ends just after a midnight
    [-3 * DAY + H, null, null, 5_000_000_000n, 12n, 0n], // no end yet: counts to the end of the range
  ];
  for (const [c, r, e, sun, fee, rfee] of parts)
    await db.execute(sql`
        insert into delegations (order_id, supplier_wallet_id, receiver_address, sun, energy, lock_period_blocks, status,
          fee_sun, confirmed_at, expires_at, reclaim_fee_sun, reclaimed_at, created_at)
        values (${o.id}, ${w.id}, 'TFinanceReceiver', ${sun}, 65000, 1200, ${r === null ? "confirmed" : "reclaimed"},
          ${fee}, ${at(today + c)}::timestamptz, ${e === null ? null : at(today + e)}::timestamptz, ${rfee},
          ${r === null ? null : at(today + r)}::timestamptz, ${at(today + c - 20_000)}::timestamptz)`);
});

describe("finance by day", () => {
  it("chain costs and opportunity cost equal a day-by-day recomputation, to the sun", async () => {
    // A range that ends before today, so "now" does not move the figures between the two reads.
    const from = new Date(today - 10 * DAY);
    const to = new Date(today - DAY);
    const apr = 1_234;
    const got = await financeByDay(
      { from: from.toISOString().slice(0, 10), to: new Date(today - 2 * DAY).toISOString().slice(0, 10) },
      apr,
    );
    const want = await reference(from, to);
    expect(got.map((d) => d.day)).toEqual(want.map((d) => d.day));
    for (const [i, d] of got.entries()) {
      expect(d.chainCostSun, d.day).toBe(BigInt(want[i].fee));
      expect(d.opportunityCostSun, d.day).toBe(opportunityCost(BigInt(want[i].ss.split(".")[0]), apr));
      expect(d.profitSun).toBe(d.revenueSun - d.chainCostSun - d.opportunityCostSun);
    }
    // the test rows are really in there
    expect(got.some((d) => d.chainCostSun >= 345_678n)).toBe(true);
    expect(got.filter((d) => d.opportunityCostSun > 0n).length).toBeGreaterThanOrEqual(6);
  });
});

describe("dashboard windows", () => {
  it("orders, chain cost and opportunity cost equal a direct recomputation per window", async () => {
    const db = await getDb();
    const now = new Date(today - 2 * DAY + 5 * H + 321); // fixed: "now" is a parameter here
    const n = now.toISOString();
    const apr = 777;
    const stats = await getDashboardStats(apr, now);
    for (const w of stats.windows) {
      const t = windowStart(w.window, now).toISOString();
      const t30 = windowStart("30d", now).toISOString();
      const [r] = rowsOf<Record<string, string>>(
        await db.execute(sql`select
          (select count(*) from orders where created_at >= ${t}::timestamptz and created_at < ${n}::timestamptz)::text as orders,
          (select count(*) from orders where failure_reason is not null and created_at >= ${t}::timestamptz and created_at < ${n}::timestamptz)::text as failed,
          (select coalesce(sum(energy), 0) from orders
            where delivered_at >= ${t}::timestamptz and delivered_at < ${n}::timestamptz)::text as energy,
          (select coalesce(sum(price_sun - refunded_sun), 0) from orders
            where delivered_at >= ${t}::timestamptz and delivered_at < ${n}::timestamptz)::text as revenue,
          ((select coalesce(sum(fee_sun), 0) from delegations where created_at >= ${t}::timestamptz and created_at < ${n}::timestamptz)
            + (select coalesce(sum(reclaim_fee_sun), 0) from delegations where reclaimed_at >= ${t}::timestamptz and reclaimed_at < ${n}::timestamptz)
            + (select coalesce(sum(fee_sun), 0) from collections where created_at >= ${t}::timestamptz and created_at < ${n}::timestamptz))::text as fees,
          (select coalesce(sum(sun::numeric * floor(extract(epoch from (
              least(coalesce(reclaimed_at, expires_at, ${n}::timestamptz), ${n}::timestamptz) - greatest(confirmed_at, ${t}::timestamptz))))), 0)
            from delegations where confirmed_at is not null and confirmed_at < ${n}::timestamptz
              and coalesce(reclaimed_at, expires_at) > ${t30}::timestamptz
              and least(coalesce(reclaimed_at, expires_at, ${n}::timestamptz), ${n}::timestamptz) > ${t}::timestamptz)::text as ss`),
      );
      expect(w.orders, w.window).toBe(Number(r.orders));
      expect(w.failed, w.window).toBe(Number(r.failed));
      expect(w.energySold, w.window).toBe(BigInt(r.energy));
      expect(w.revenueSun, w.window).toBe(BigInt(r.revenue));
      expect(w.chainCostSun, w.window).toBe(BigInt(r.fees));
      expect(w.opportunityCostSun, w.window).toBe(opportunityCost(BigInt(r.ss.split(".")[0]), apr));
    }
    expect(stats.windows[2].chainCostSun).toBeGreaterThanOrEqual(345_678n);
    expect(stats.windows[1].opportunityCostSun).toBeGreaterThan(0n);
  });
});

describe("revenue is recognised on delivery", () => {
  // Four orders paid on day P (25 days ago); two delivered on day P+1. The figures are compared with
  // those read before the orders were written, so earlier runs on the same database do not count.
  const P = today - 25 * DAY;
  const price = 2_925_000n;
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const dashNow = new Date(P + DAY + 12 * H); // the delivery day, after both deliveries
  let ids: Record<string, number> = {};
  let fin0: Awaited<ReturnType<typeof financeByDay>>;
  let dash0: Awaited<ReturnType<typeof getDashboardStats>>;

  beforeAll(async () => {
    const db = await getDb();
    fin0 = await financeByDay({ from: day(P), to: day(P + DAY) }, 0);
    dash0 = await getDashboardStats(0, dashNow);
    const u = await createUser();
    const at = (ms: number) => new Date(ms).toISOString();
    // The user's money, as the ledger would have it: a deposit first, so the balance (which the
    // ledger checks elsewhere compare with the sum of its rows) never goes below zero.
    await db.execute(sql`
      insert into ledger_entries (user_id, type, amount_sun, balance_after_sun, idempotency_key, fingerprint, created_at)
      values (${u.id}, 'deposit', ${4n * price}, ${4n * price}, ${`dep:${u.id}:${randomUUID()}`}, 'fp',
        ${at(P + H)}::timestamptz)`);
    const mk = async (name: string, status: string, delivered: number | null, refunded: bigint) => {
      const [o] = rowsOf<{ id: number }>(
        await db.execute(sql`
          insert into orders (user_id, receiver_address, energy, duration_key, duration_seconds, unit_price_sun,
            price_sun, burn_sun, refunded_sun, status, source, idempotency_key, fingerprint, created_at, delivered_at)
          values (${u.id}, 'TRevenueReceiver', 65000, '1h', 3600, 45, ${price}, 6500000, ${refunded},
            ${status}::order_status, 'admin', ${randomUUID()}, 'fp', ${at(P + 2 * H)}::timestamptz,
            ${delivered === null ? null : at(delivered)}::timestamptz)
          returning id`),
      );
      ids[name] = o.id;
      await db.execute(sql`
        insert into ledger_entries (user_id, type, amount_sun, balance_after_sun, reference_type, reference_id,
          idempotency_key, fingerprint, created_at)
        values (${u.id}, 'order_payment', ${-price}, 0, 'order', ${String(o.id)}, ${`pay:${o.id}:${randomUUID()}`},
          'fp', ${at(P + 2 * H)}::timestamptz)`);
      if (refunded > 0n)
        await db.execute(sql`
          insert into ledger_entries (user_id, type, amount_sun, balance_after_sun, reference_type, reference_id,
            idempotency_key, fingerprint, created_at)
          values (${u.id}, 'refund', ${refunded}, ${refunded}, 'order', ${String(o.id)}, ${`refund:${o.id}:${randomUUID()}`},
            'fp', ${at(delivered ?? P + 3 * H)}::timestamptz)`);
    };
    ids = {};
    await mk("delivered", "completed", P + DAY + 5 * H, 0n);
    await mk("split", "active", P + DAY + 6 * H, 1_000_000n); // delivered in part; the rest refunded
    await mk("waiting", "paid", null, 0n); // paid, never delivered yet
    await mk("failed", "refunded", null, price); // failed and refunded in full
    await db.execute(sql`update users set balance_sun = (select sum(amount_sun) from ledger_entries
      where user_id = ${u.id}) where id = ${u.id}`);
  });

  type Day = Awaited<ReturnType<typeof financeByDay>>[number];
  const delta = (a: Day, b: Day) => ({
    paymentsSun: a.paymentsSun - b.paymentsSun,
    refundsSun: a.refundsSun - b.refundsSun,
    revenueSun: a.revenueSun - b.revenueSun,
    deliveredOrders: a.deliveredOrders - b.deliveredOrders,
    undeliveredSun: a.undeliveredSun - b.undeliveredSun,
  });

  it("finance: revenue on the delivery day net of the order's own refund; paid-not-delivered apart; cash as it moved", async () => {
    const [paidDay, deliveryDay] = await financeByDay({ from: day(P), to: day(P + DAY) }, 0);
    // Paid day: four payments, one full refund; no revenue; one order still waiting.
    expect(delta(paidDay, fin0[0])).toEqual({
      paymentsSun: 4n * price,
      refundsSun: price,
      revenueSun: 0n,
      deliveredOrders: 0,
      undeliveredSun: price,
    });
    // Delivery day: two orders delivered; the split order counts its price minus its own refund.
    expect(delta(deliveryDay, fin0[1])).toEqual({
      paymentsSun: 0n,
      refundsSun: 1_000_000n,
      revenueSun: price + (price - 1_000_000n),
      deliveredOrders: 2,
      undeliveredSun: 0n,
    });
    expect(deliveryDay.profitSun).toBe(
      deliveryDay.revenueSun - deliveryDay.chainCostSun - deliveryDay.opportunityCostSun,
    );
    // The old rule (payments − refunds on the payment day) would have shown 3 × price of revenue on
    // the paid day with nothing delivered.
    const d = delta(paidDay, fin0[0]);
    expect(d.paymentsSun - d.refundsSun).toBe(3n * price);
    expect(financeCsv([paidDay]).split("\r\n")[0]).toBe(
      "date,payments_trx,refunds_trx,revenue_trx,chain_cost_trx,opportunity_cost_trx,profit_trx,paid_not_delivered_trx,delivered_orders",
    );
    if (fin0[0].paymentsSun === 0n && fin0[0].undeliveredSun === 0n)
      expect(financeCsv([paidDay]).split("\r\n")[1]).toBe(`${day(P)},11.7,2.925,0,0,0,0,2.925,0`);
  });

  it("dashboard: the windows count delivered revenue; orders waiting are shown apart", async () => {
    const stats = await getDashboardStats(0, dashNow);
    const todayWindow = stats.windows[0];
    expect(todayWindow.revenueSun - dash0.windows[0].revenueSun).toBe(price + (price - 1_000_000n));
    expect(todayWindow.energySold - dash0.windows[0].energySold).toBe(130_000n);
    const revenueOn = (s: typeof stats) =>
      s.daily.find((x) => x.day === day(dashNow.getTime()))?.revenueSun ?? 0n;
    expect(revenueOn(stats) - revenueOn(dash0)).toBe(price + (price - 1_000_000n));
    expect(stats.undelivered.orders).toBeGreaterThanOrEqual(1);
    expect(stats.undelivered.sun).toBeGreaterThanOrEqual(price);
  });
});

describe("pageRange (the finance and referral pages' date range)", () => {
  it("keeps a valid range as typed, and falls back to the last 30 days with the reason otherwise", () => {
    expect(pageRange({ from: "2026-01-01", to: "2026-01-31" })).toEqual({
      range: { from: "2026-01-01", to: "2026-01-31" },
      error: null,
    });
    const bad = pageRange({ from: "2026-02-01", to: "2026-01-01" });
    expect(bad.error).toBe("The start must not be after the end.");
    expect(Date.parse(bad.range.to) - Date.parse(bad.range.from)).toBe(29 * 86_400_000);
    expect(pageRange({}).error).toBeNull();
  });
});
