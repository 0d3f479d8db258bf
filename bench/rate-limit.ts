export {};
/**
 * `npm run bench:ratelimit`: what one hit of the shared rate limiter costs (lib/security/rate-limit,
 * rate-limiter-flexible's Drizzle store: one upsert per hit) against real PostgreSQL (DATABASE_URL),
 * sequentially and with 20 in flight, on one hot key and over 1,000 keys. The ceiling from the same
 * run: a bare `select 1` and the same upsert written by hand, on the same pool.
 */
process.env.DATABASE_POOL_SIZE ??= "20";
const { env } = await import("@/lib/env");
if (!env.DATABASE_URL) {
  console.error(
    "bench:ratelimit needs DATABASE_URL (a real PostgreSQL), e.g. postgres://postgres@127.0.0.1:5432/teh_bench",
  );
  process.exit(1);
}
const { sql } = await import("drizzle-orm");
const { closeDb, getDb } = await import("@/db");
const { SharedLimiter } = await import("@/lib/security/rate-limit");
const { runConcurrent, fmt } = await import("./util");

const db = await getDb();
const N = Number(process.env.BENCH_HITS ?? 5000);
const limiter = new SharedLimiter(`bench-${Date.now().toString(36)}`, 60);
const big = 1_000_000_000; // never over the limit: every hit reaches the store
const bare = () => db.execute(sql`select 1`);
const upsert = (key: string) =>
  db.execute(sql`insert into rate_limits (key, points, expire) values (${key}, 1, now() + interval '60 seconds')
    on conflict (key) do update set
      points = case when rate_limits.expire <= now() then 1 else rate_limits.points + 1 end,
      expire = case when rate_limits.expire <= now() then now() + interval '60 seconds' else rate_limits.expire end
    returning points, expire`);

const rows: [string, Awaited<ReturnType<typeof runConcurrent>>][] = [];
for (const c of [1, 20]) {
  rows.push([`select 1 (ceiling), ${c} in flight`, await runConcurrent(N, c, bare)]);
  rows.push([
    `hand-written upsert, 1 key, ${c} in flight`,
    await runConcurrent(N, c, () => upsert("bench-raw:hot")),
  ]);
  rows.push([`limiter hit, 1 key, ${c} in flight`, await runConcurrent(N, c, () => limiter.hit("hot", big))]);
  rows.push([
    `limiter hit, 1,000 keys, ${c} in flight`,
    await runConcurrent(N, c, (i) => limiter.hit(`k${i % 1000}`, big)),
  ]);
}
console.log(`shared rate limiter, ${N} hits per row, PostgreSQL pool of ${env.DATABASE_POOL_SIZE}`);
for (const [name, r] of rows)
  console.log(
    `${name.padEnd(42)} ${fmt(r.perSecond).padStart(8)} /s  p50 ${r.p50.toFixed(2)} ms  p95 ${r.p95.toFixed(2)} ms  errors ${r.errors}`,
  );
await limiter.reset();
await db.execute(sql`delete from rate_limits where key like 'bench-raw:%'`);
await closeDb();
