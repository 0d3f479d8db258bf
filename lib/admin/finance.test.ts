import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb, rowsOf } from "@/db";
import { createUser } from "@/lib/users";
import { financeByDay, financeCsv, pageRange } from "./finance";
import { orderCosts } from "./costs";
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
            and supplier_wallet_id not in (select id from supplier_wallets where supplier_user_id is not null)
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
          ((select coalesce(sum(price_sun - refunded_sun), 0) from orders
            where delivered_at >= ${t}::timestamptz and delivered_at < ${n}::timestamptz and package_id is null)
            + (select coalesce(sum(price_sun), 0) from transfer_packages
              where created_at >= ${t}::timestamptz and created_at < ${n}::timestamptz)
            - (select coalesce(sum(refunded_sun), 0) from transfer_packages
              where ends_at >= ${t}::timestamptz and ends_at < ${n}::timestamptz))::text as revenue,
          ((select coalesce(sum(fee_sun), 0) from delegations where created_at >= ${t}::timestamptz and created_at < ${n}::timestamptz)
            + (select coalesce(sum(reclaim_fee_sun), 0) from delegations where reclaimed_at >= ${t}::timestamptz and reclaimed_at < ${n}::timestamptz)
            + (select coalesce(sum(fee_sun), 0) from collections where created_at >= ${t}::timestamptz and created_at < ${n}::timestamptz))::text as fees,
          (select coalesce(sum(sun::numeric * floor(extract(epoch from (
              least(coalesce(reclaimed_at, expires_at, ${n}::timestamptz), ${n}::timestamptz) - greatest(confirmed_at, ${t}::timestamptz))))), 0)
            from delegations where confirmed_at is not null and confirmed_at < ${n}::timestamptz
              and supplier_wallet_id not in (select id from supplier_wallets where supplier_user_id is not null)
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
      "date,payments_trx,refunds_trx,revenue_trx,chain_cost_trx,opportunity_cost_trx,profit_trx,paid_not_delivered_trx,delivered_orders,packages_trx,supplier_cost_trx,referral_cost_trx",
    );
    if (fin0[0].paymentsSun === 0n && fin0[0].undeliveredSun === 0n)
      expect(financeCsv([paidDay]).split("\r\n")[1]).toBe(`${day(P)},11.7,2.925,0,0,0,0,2.925,0,0,0,0`);
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

describe("suppliers, referrals and packages in the accounts", () => {
  // Day Q (20 days ago): one order sold, delivered by the platform's own wallet and a supplier's
  // wallet, with a referral commission partly taken back; one prepaid package supply; a package
  // bought and another that expired with a refund. Figures are compared with those read before the
  // rows were written (other suites share the database).
  const Q = today - 20 * DAY;
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const at = (ms: number) => new Date(ms).toISOString();
  const apr = 1_000;
  // sun × seconds chosen so that each delegation's opportunity cost is a whole number of sun at this APR
  const YEAR_BPS = 31_536_000n * 10_000n;
  const price = 3_000_000n;
  const supplyPrice = 2_000_000n;
  const earning = 1_200_000n;
  const commission = 150_000n;
  const reversed = 50_000n;
  const packagePrice = 30_000_000n;
  const packageRefund = 4_500_000n;
  const dashNow = new Date(Q + 20 * H);
  let sale = 0;
  let supply = 0;
  let fin0: Awaited<ReturnType<typeof financeByDay>>;
  let dash0: Awaited<ReturnType<typeof getDashboardStats>>;

  beforeAll(async () => {
    const db = await getDb();
    fin0 = await financeByDay({ from: day(Q), to: day(Q) }, apr);
    dash0 = await getDashboardStats(apr, dashNow);
    const buyer = await createUser();
    const supplier = await createUser();
    const referrer = await createUser();
    const wallet = async (supplierUserId: number | null) =>
      rowsOf<{ id: number }>(
        await db.execute(sql`
          insert into supplier_wallets (address, label, mode, encrypted_key, key_id, status, trx_sun, staked_energy_sun,
            delegatable_sun, supplier_user_id)
          values (${`TAccounts${randomUUID().slice(0, 8)}`}, 'accounts-test', 'key', 'not-a-key', 'k1', 'disabled', 0, 0, 0,
            ${supplierUserId})
          returning id`),
      )[0].id;
    const own = await wallet(null);
    const theirs = await wallet(supplier.id);
    const ledger = async (userId: number, type: string, amount: bigint, ref: string, ms: number) =>
      rowsOf<{ id: number }>(
        await db.execute(sql`
          insert into ledger_entries (user_id, type, amount_sun, balance_after_sun, reference_type, reference_id,
            idempotency_key, fingerprint, created_at)
          values (${userId}, ${type}::ledger_type, ${amount}, 0, 'test', ${ref}, ${`acct:${type}:${randomUUID()}`}, 'fp',
            ${at(ms)}::timestamptz)
          returning id`),
      )[0].id;
    const order = async (p: bigint, packageId: number | null) =>
      rowsOf<{ id: number | bigint }>(
        await db.execute(sql`
          insert into orders (user_id, receiver_address, energy, duration_key, duration_seconds, unit_price_sun,
            price_sun, burn_sun, status, source, idempotency_key, fingerprint, created_at, delivered_at, package_id)
          values (${buyer.id}, 'TAccountsReceiver', 65000, '1h', 3600, 45, ${p}, 6500000, 'completed', 'admin',
            ${randomUUID()}, 'fp', ${at(Q + 2 * H)}::timestamptz, ${at(Q + 2 * H + 5_000)}::timestamptz, ${packageId})
          returning id`),
      ).map((r) => Number(r.id))[0];
    await ledger(buyer.id, "deposit", 100n * price + packagePrice, "d", Q + H);
    const pkg = async (createdMs: number, endsMs: number, refunded: bigint, status: string) =>
      rowsOf<{ id: number }>(
        await db.execute(sql`
          insert into transfer_packages (user_id, address, transfers, price_sun, refund_percent, status, source,
            idempotency_key, ends_at, refunded_sun, created_at)
          values (${buyer.id}, 'TAccountsReceiver', 10, ${packagePrice}, 50, ${status}::package_status, 'portal',
            ${randomUUID()}, ${at(endsMs)}::timestamptz, ${refunded}, ${at(createdMs)}::timestamptz)
          returning id`),
      )[0].id;
    const bought = await pkg(Q + 3 * H, Q + 30 * DAY, 0n, "active");
    await ledger(buyer.id, "order_payment", -packagePrice, String(bought), Q + 3 * H);
    await pkg(Q - 30 * DAY, Q + 4 * H, packageRefund, "expired");
    await ledger(buyer.id, "refund", packageRefund, "expired", Q + 4 * H);
    sale = await order(price, null);
    await ledger(buyer.id, "order_payment", -price, String(sale), Q + 2 * H);
    supply = await order(supplyPrice, bought);
    // the sale: 7,200 TRX of our stake for 43,800 s, and a supplier's stake as long (not ours)
    const part = async (orderId: number, walletId: number, sun: bigint, seconds: number, fee: bigint) =>
      rowsOf<{ id: number }>(
        await db.execute(sql`
          insert into delegations (order_id, supplier_wallet_id, receiver_address, sun, energy, lock_period_blocks,
            status, fee_sun, confirmed_at, expires_at, reclaim_fee_sun, reclaimed_at, created_at)
          values (${orderId}, ${walletId}, 'TAccountsReceiver', ${sun}, 32500, 1200, 'reclaimed', ${fee},
            ${at(Q + 2 * H)}::timestamptz, ${at(Q + 2 * H + seconds * 1000)}::timestamptz, 0,
            ${at(Q + 2 * H + seconds * 1000)}::timestamptz, ${at(Q + 2 * H - 1000)}::timestamptz)
          returning id`),
      )[0].id;
    await part(sale, own, 7_200_000_000n, 43_800, 100n);
    const supplied = await part(sale, theirs, 9_000_000_000n, 43_800, 280_000n);
    const credit = await ledger(
      supplier.id,
      "supplier_earning",
      earning,
      String(supplied),
      Q + 2 * H + 6_000,
    );
    await db.execute(sql`
      insert into supplier_earnings (delegation_id, order_id, supplier_user_id, supplier_wallet_id, energy, gross_sun,
        commission_bps, commission_sun, earning_sun, credit_entry_id, created_at)
      values (${supplied}, ${sale}, ${supplier.id}, ${theirs}, 32500, 1500000, 2000, 300000, ${earning}, ${credit},
        ${at(Q + 2 * H + 6_000)}::timestamptz)`);
    const c = await ledger(referrer.id, "referral_commission", commission, String(sale), Q + 2 * H + 6_000);
    await ledger(referrer.id, "referral_reversal", -reversed, String(sale), Q + 5 * H);
    await db.execute(sql`
      insert into referral_commissions (order_id, referrer_user_id, referee_user_id, base_sun, rate_bps, commission_sun,
        credit_entry_id, reversed_sun, created_at)
      values (${sale}, ${referrer.id}, ${buyer.id}, ${price}, 500, ${commission}, ${c}, ${reversed},
        ${at(Q + 2 * H + 6_000)}::timestamptz)`);
    for (const u of [buyer.id, supplier.id, referrer.id])
      await db.execute(sql`update users set balance_sun = (select sum(amount_sun) from ledger_entries
        where user_id = ${u}) where id = ${u}`);
  });

  const ownOpportunity = opportunityCost(7_200_000_000n * 43_800n, apr);

  it("finance: packages on purchase less their refunds, not their supplies; supplier and referral costs; only our own stake's opportunity", async () => {
    expect((7_200_000_000n * 43_800n * BigInt(apr)) % YEAR_BPS).toBe(0n);
    const [d] = await financeByDay({ from: day(Q), to: day(Q) }, apr);
    const b = fin0[0];
    expect({
      revenue: d.revenueSun - b.revenueSun,
      packages: d.packagesSun - b.packagesSun,
      delivered: d.deliveredOrders - b.deliveredOrders,
      chain: d.chainCostSun - b.chainCostSun,
      opportunity: d.opportunityCostSun - b.opportunityCostSun,
      suppliers: d.supplierCostSun - b.supplierCostSun,
      referrals: d.referralCostSun - b.referralCostSun,
      profit: d.profitSun - b.profitSun,
    }).toEqual({
      revenue: price + packagePrice - packageRefund,
      packages: packagePrice - packageRefund,
      delivered: 1,
      chain: 100n + 280_000n,
      opportunity: ownOpportunity,
      suppliers: earning,
      referrals: commission - reversed,
      profit:
        price + packagePrice - packageRefund - 280_100n - ownOpportunity - earning - (commission - reversed),
    });
    expect(d.profitSun).toBe(
      d.revenueSun - d.chainCostSun - d.opportunityCostSun - d.supplierCostSun - d.referralCostSun,
    );
  });

  it("dashboard: the same figures for the day's window", async () => {
    const stats = await getDashboardStats(apr, dashNow);
    const [w, b] = [stats.windows[0], dash0.windows[0]];
    expect({
      revenue: w.revenueSun - b.revenueSun,
      packages: w.packagesSun - b.packagesSun,
      opportunity: w.opportunityCostSun - b.opportunityCostSun,
      suppliers: w.supplierCostSun - b.supplierCostSun,
      referrals: w.referralCostSun - b.referralCostSun,
      energy: w.energySold - b.energySold,
    }).toEqual({
      revenue: price + packagePrice - packageRefund,
      packages: packagePrice - packageRefund,
      opportunity: ownOpportunity,
      suppliers: earning,
      referrals: commission - reversed,
      // the supply delivered energy too
      energy: 130_000n,
    });
    expect(w.profitSun).toBe(
      w.revenueSun - w.chainCostSun - w.opportunityCostSun - w.supplierCostSun - w.referralCostSun,
    );
  });

  it("costs per order: the sale carries its supplier and referral cost; the supply is no sale", async () => {
    const { orders } = await orderCosts({ from: day(Q), to: day(Q) }, apr, 500);
    const s = orders.find((o) => o.orderId === sale);
    const p = orders.find((o) => o.orderId === supply);
    expect(s).toMatchObject({
      packageId: null,
      salesSun: price,
      burnedSun: 280_100n,
      rentalSunSeconds: 7_200_000_000n * 43_800n,
      opportunitySun: ownOpportunity,
      supplierSun: earning,
      referralSun: commission - reversed,
      marginSun: price - 280_100n - ownOpportunity - earning - (commission - reversed),
    });
    expect(p).toMatchObject({ salesSun: 0n, priceSun: supplyPrice, marginSun: 0n, supplierSun: 0n });
    expect(p?.packageId).not.toBeNull();
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
