export {};
/**
 * `npm run bench:ledger`: debits per second through lib/ledger against real PostgreSQL
 * (DATABASE_URL), 20 connections: one hot user, and spread over 100 users. Prints p50/p95.
 */
process.env.DATABASE_POOL_SIZE ??= "20";
const { env } = await import("@/lib/env");
if (!env.DATABASE_URL) {
  console.error(
    "bench:ledger needs DATABASE_URL (a real PostgreSQL), e.g. postgres://postgres@127.0.0.1:5432/teh_bench",
  );
  process.exit(1);
}
const { closeDb, getDb } = await import("@/db");
const { credit, debit, findLedgerMismatches } = await import("@/lib/ledger");
const { createUser } = await import("@/lib/users");
const { runConcurrent, fmt } = await import("./util");

await getDb();
const run = Date.now().toString(36);
const HOT = Number(process.env.BENCH_HOT ?? 6000);
const SPREAD = Number(process.env.BENCH_SPREAD ?? 20000);

const hot = await createUser();
await credit({
  userId: hot.id,
  amountSun: BigInt(HOT) * 1_000_000n,
  idempotencyKey: `bench:${run}:seed:hot`,
});
const users = await Promise.all(Array.from({ length: 100 }, () => createUser()));
for (const u of users)
  await credit({
    userId: u.id,
    amountSun: BigInt(SPREAD) * 10_000n,
    idempotencyKey: `bench:${run}:seed:${u.id}`,
  });

// warm-up
await runConcurrent(500, 20, (i) =>
  debit({ userId: users[i % 100].id, amountSun: 1n, idempotencyKey: `bench:${run}:w:${i}` }),
);

const h = await runConcurrent(HOT, 20, (i) =>
  debit({ userId: hot.id, amountSun: 1_000_000n, idempotencyKey: `bench:${run}:h:${i}` }),
);
const s = await runConcurrent(SPREAD, 20, (i) =>
  debit({ userId: users[i % 100].id, amountSun: 100n, idempotencyKey: `bench:${run}:s:${i}` }),
);
const mismatches = await findLedgerMismatches();
console.log(`ledger debits, 20 connections, real PostgreSQL`);
console.log(
  `  hot (1 user):      ${fmt(h.perSecond, 0)}/s  p50 ${fmt(h.p50, 2)} ms  p95 ${fmt(h.p95, 2)} ms  errors ${h.errors}`,
);
console.log(
  `  spread (100 users): ${fmt(s.perSecond, 0)}/s  p50 ${fmt(s.p50, 2)} ms  p95 ${fmt(s.p95, 2)} ms  errors ${s.errors}`,
);
console.log(`  ledger mismatches after the run: ${mismatches.length}`);
await closeDb();
