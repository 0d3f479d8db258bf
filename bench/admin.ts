/**
 * `npm run bench:admin`: dashboard, orders-table and finance server time with 10,000 users and
 * 100,000 orders (+ ledger rows and delegations) on a real PostgreSQL (DATABASE_URL; use a
 * database of its own: the seed writes synthetic rows straight into the tables). Prints p50/p95 over
 * 50 runs per query and the plans of the slowest ones. Seeds once; `--reseed` starts over.
 */
import { sql } from "drizzle-orm";
import { closeDb, getDb, getDbKind, rowsOf } from "@/db";
import { orderCosts } from "@/lib/admin/costs";
import { financeByDay } from "@/lib/admin/finance";
import { getDashboardStats } from "@/lib/admin/dashboard";
import { searchOrders } from "@/lib/admin/queries";
import { fmt, percentile } from "./util";

const USERS = 10_000;
const ORDERS = 100_000;
const RUNS = 50;

async function seed() {
  const db = await getDb();
  const [{ n }] = rowsOf<{ n: string }>(await db.execute(sql`select count(*) as n from orders`));
  if (Number(n) >= ORDERS && !process.argv.includes("--reseed")) {
    console.log(`Seed present (${n} orders).`);
    return;
  }
  console.log("Seeding…");
  const t0 = performance.now();
  await db.execute(
    sql`truncate delegations, order_events, orders, ledger_entries, ledger_daily, supplier_wallets, users restart identity cascade`,
  );
  // The ledger's ids restart, so its daily rollup starts over too.
  await db.execute(sql`update ledger_rollup_state set through_id = 0`);
  await db.execute(sql`
    insert into users (telegram_id, username, first_name, language, referral_code, balance_sun, created_at)
    select 5000000000 + g, 'user' || g, 'User ' || g, (case when g % 3 = 0 then 'zh' else 'en' end)::language,
      'bench' || g, 0, now() - (random() * interval '90 days')
    from generate_series(1, ${USERS}) g`);
  await db.execute(sql`
    insert into supplier_wallets (address, label, mode, encrypted_key, key_id, status, trx_sun, staked_energy_sun, delegatable_sun)
    select 'TBenchWallet' || g, 'bench-' || g, 'key', 'bench-not-a-key', 'k1', 'enabled', 1000000000, 200000000000, 100000000000
    from generate_series(1, 5) g`);
  await db.execute(sql`
    insert into orders (user_id, receiver_address, energy, duration_key, duration_seconds, unit_price_sun, price_sun,
      burn_sun, refunded_sun, status, source, idempotency_key, fingerprint, failure_reason, created_at, delivered_at,
      expires_at, completed_at, updated_at)
    select 1 + (g % ${USERS}), 'TReceiver' || (g % 20000), 65000, '1h', 3600, 45, 65000 * 45, 6500000,
      case when s = 'refunded' then 65000 * 45 else 0 end,
      s::order_status, (array['bot','portal','api'])[1 + g % 3]::order_source, 'bench-' || g, 'fp',
      case when s = 'refunded' then 'bench failure' end,
      c, case when s in ('active','reclaiming','completed') then c + (3 + random() * 20) * interval '1 second' end,
      case when s in ('active','reclaiming','completed') then c + interval '1 hour' end,
      case when s = 'completed' then c + interval '1 hour 1 minute' end, c
    from (
      select g, now() - ((${ORDERS} - g)::float / ${ORDERS}) * interval '60 days' as c,
        case when g % 100 < 90 then 'completed' when g % 100 < 94 then 'refunded' when g % 100 < 97 then 'cancelled'
             when g % 100 < 98 then 'active' when g % 100 < 99 then 'delegating' else 'paid' end as s
      from generate_series(1, ${ORDERS}) g) x`);
  await db.execute(sql`
    insert into ledger_entries (user_id, type, amount_sun, balance_after_sun, reference_type, reference_id, idempotency_key, fingerprint, created_at)
    select user_id, 'order_payment', -price_sun, 0, 'order', id::text, 'pay:' || id, 'fp', created_at from orders`);
  await db.execute(sql`
    insert into ledger_entries (user_id, type, amount_sun, balance_after_sun, reference_type, reference_id, idempotency_key, fingerprint, created_at)
    select user_id, 'refund', refunded_sun, refunded_sun, 'order', id::text, 'refund:order:' || id, 'fp', updated_at + interval '1 minute'
    from orders where refunded_sun > 0`);
  await db.execute(sql`
    insert into delegations (order_id, supplier_wallet_id, receiver_address, sun, energy, lock_period_blocks, status,
      txid, fee_sun, confirmed_at, expires_at, reclaim_txid, reclaim_fee_sun, reclaimed_at, created_at)
    select o.id, 1 + o.id % 5, o.receiver_address, 7000000000, 65000, 1200,
      (case when o.status = 'completed' then 'reclaimed' else 'confirmed' end)::delegation_status,
      md5('d' || o.id) || md5('x' || o.id), 280000, o.delivered_at, o.expires_at,
      case when o.status = 'completed' then md5('r' || o.id) || md5('y' || o.id) end,
      case when o.status = 'completed' then 280000 else 0 end, o.completed_at, o.created_at
    from orders o where o.status in ('active', 'reclaiming', 'completed')`);
  // A table that has been live for 60 days has been vacuumed by autovacuum (which also sets the
  // visibility map that index-only scans rely on); do the same for the freshly bulk-loaded one.
  await db.execute(sql`vacuum analyze`);
  console.log(`Seeded in ${fmt((performance.now() - t0) / 1000)} s.`);
}

async function time(name: string, fn: () => Promise<unknown>) {
  await fn(); // warm
  const lat: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const s = performance.now();
    await fn();
    lat.push(performance.now() - s);
  }
  lat.sort((a, b) => a - b);
  const p95 = percentile(lat, 95);
  console.log(
    `${name.padEnd(44)} p50 ${fmt(percentile(lat, 50)).padStart(7)} ms   p95 ${fmt(p95).padStart(7)} ms ${p95 < 200 ? "" : "  ← over 200 ms"}`,
  );
  return p95;
}

async function explain(label: string, q: ReturnType<typeof sql>) {
  const db = await getDb();
  const rows = rowsOf<Record<string, string>>(await db.execute(sql`explain (analyze, buffers off) ${q}`));
  console.log(`\n-- ${label}`);
  for (const r of rows) console.log(`   ${Object.values(r)[0]}`);
}

async function main() {
  if ((await getDbKind()) !== "postgres")
    throw new Error("Set DATABASE_URL to a PostgreSQL database of its own.");
  await seed();
  const db = await getDb();
  const [some] = rowsOf<{ user_id: number; receiver_address: string; txid: string }>(
    await db.execute(
      sql`select o.user_id, o.receiver_address, d.txid from orders o join delegations d on d.order_id = o.id order by o.id desc limit 1`,
    ),
  );
  const today = new Date().toISOString().slice(0, 10);
  const monthAgo = new Date(Date.now() - 29 * 86_400_000).toISOString().slice(0, 10);
  const weekAgo = new Date(Date.now() - 6 * 86_400_000).toISOString().slice(0, 10);
  console.log(`\n${USERS} users, ${ORDERS} orders; ${RUNS} runs each (server time of the query functions)\n`);
  await time("dashboard (3 windows, alerts, in-flight, chart)", () => getDashboardStats(400));
  await time("orders table: newest 50", () => searchOrders({}));
  await time("orders table: status=failed", () => searchOrders({ status: "failed" }));
  await time("orders table: status=paid", () => searchOrders({ status: "paid" }));
  await time("orders table: user=@name", () => searchOrders({ user: `@user${some.user_id}` }));
  await time("orders table: receiver", () => searchOrders({ receiver: some.receiver_address }));
  await time("orders table: txid", () => searchOrders({ txid: some.txid }));
  await time("orders table: 7-day range, status=completed", () =>
    searchOrders({ from: weekAgo, to: today, status: "completed" }),
  );
  await time("orders table: page 200 (cursor)", () => searchOrders({ cursor: "20000" }));
  await time("finance: 30 days per day", () => financeByDay({ from: monthAgo, to: today }, 400));
  await time("finance: supplier cost per order, 30 days", () =>
    orderCosts({ from: monthAgo, to: today }, 400),
  );
  await time("ceiling: one SQL statement (select 1)", () => db.execute(sql`select 1`));

  const since = new Date(Date.now() - 30 * 86_400_000);
  await explain(
    "30-day window, orders aggregate",
    sql`select count(*), percentile_cont(0.5) within group (order by extract(epoch from (delivered_at - created_at)))
      filter (where delivered_at is not null) from orders where created_at >= ${since.toISOString()}::timestamptz`,
  );
  await explain(
    "orders table, status=paid (rare status, newest first)",
    sql`select * from orders where status = 'paid' order by id desc limit 51`,
  );
  await closeDb();
}

main().catch(async (e) => {
  console.error(e);
  await closeDb().catch(() => {});
  process.exit(1);
});
