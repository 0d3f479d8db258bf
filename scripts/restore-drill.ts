/**
 * `npm run db:restore-drill`: proves that a backup of the PostgreSQL database at DATABASE_URL
 * restores into a complete, consistent copy. It
 *
 *  1. dumps the database with `pg_dump --format=custom` (as an operator backs up) to a temporary file;
 *  2. creates a fresh database beside it (`<name>_restore_drill_<time>`) and restores the dump there
 *     with `pg_restore --no-owner --exit-on-error`;
 *  3. checks the restored copy: every balance equals the sum of its ledger rows
 *     (`findLedgerMismatches`), and against the source, the same tables with the same row counts,
 *     the same sum of balances and of ledger amounts, the same applied migrations;
 *  4. drops the drill database (also when a step fails) and exits 1 on any difference.
 *
 * The source's figures are read in the transaction whose snapshot pg_dump dumps (`--snapshot`), so
 * the comparison is exact while the app keeps writing. Connection details go to pg_dump and
 * pg_restore through the environment (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGSSLMODE), never on the
 * command line. Needs the `createdb` privilege, and pg_dump / pg_restore at least as new as the server.
 */
import { announceTarget, redactDatabaseUrl } from "@/scripts/load-env";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "@/db/schema";
import { env } from "@/lib/env";
import { findLedgerMismatches } from "@/lib/ledger";

/** What the drill compares between the source and its restored copy. */
type Figures = {
  /** Row count per table, keyed `schema.table`. */
  rows: Map<string, bigint>;
  balanceSum: bigint;
  ledgerSum: bigint;
  /** Applied migrations (`drizzle.__drizzle_migrations`) as `id hash created_at`, in order. */
  migrations: string[];
};

const MAX_IDENTIFIER = 63;

/** `<name>_restore_drill_<UTC time>`, the name shortened so the whole fits PostgreSQL's 63 bytes. */
function drillDatabaseName(source: string, now = new Date()): string {
  const suffix = `_restore_drill_${now.toISOString().replace(/[-:T]/g, "").slice(0, 14)}`;
  let base = source;
  while (Buffer.byteLength(base + suffix) > MAX_IDENTIFIER) base = base.slice(0, -1);
  return base + suffix;
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** libpq environment for pg_dump / pg_restore: everything from the URL, the password included. */
function libpqEnv(url: URL): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ["PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE", "PGSSLMODE", "PGSERVICE"])
    delete out[k];
  const host = decodeURIComponent(url.hostname).replace(/^\[(.*)\]$/, "$1");
  if (host) out.PGHOST = host;
  else if (url.searchParams.get("host")) out.PGHOST = url.searchParams.get("host")!;
  if (url.port) out.PGPORT = url.port;
  if (url.username) out.PGUSER = decodeURIComponent(url.username);
  if (url.password) out.PGPASSWORD = decodeURIComponent(url.password);
  const ssl = url.searchParams.get("sslmode");
  if (ssl) out.PGSSLMODE = ssl;
  return out;
}

function run(cmd: string, args: string[], envVars: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: envVars, stdio: ["ignore", "inherit", "pipe"] });
    let err = "";
    child.stderr.on("data", (c) => {
      err += c;
    });
    child.on("error", (e: NodeJS.ErrnoException) =>
      reject(
        e.code === "ENOENT"
          ? new Error(
              `${cmd} was not found: install the PostgreSQL client tools (the server's version or newer).`,
            )
          : e,
      ),
    );
    child.on("exit", (code, signal) => {
      if (code === 0) return resolve();
      reject(new Error(`${cmd} failed (${signal ?? `exit ${code}`}): ${err.trim() || "no message"}`));
    });
  });
}

async function figures(sql: postgres.Sql | postgres.ReservedSql): Promise<Figures> {
  const tables = await sql<{ schema: string; name: string }[]>`
    select table_schema as schema, table_name as name from information_schema.tables
    where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')
    order by 1, 2`;
  const rows = new Map<string, bigint>();
  for (const t of tables) {
    const [r] = await sql.unsafe(
      `select count(*)::text as n from ${quoteIdent(t.schema)}.${quoteIdent(t.name)}`,
    );
    rows.set(`${t.schema}.${t.name}`, BigInt(r.n));
  }
  const [sums] = await sql`
    select (select coalesce(sum(balance_sun), 0)::text from users) as balances,
           (select coalesce(sum(amount_sun), 0)::text from ledger_entries) as ledger`;
  const [{ has }] = await sql`select to_regclass('drizzle.__drizzle_migrations') is not null as has`;
  const migrations = has
    ? (await sql`select id, hash, created_at::text as at from drizzle.__drizzle_migrations order by id`).map(
        (m) => `${m.id} ${m.hash} ${m.at}`,
      )
    : [];
  return { rows, balanceSum: BigInt(sums.balances), ledgerSum: BigInt(sums.ledger), migrations };
}

/** Every way the restored copy differs from the source (empty when the restore is complete). */
function compareFigures(source: Figures, restored: Figures): string[] {
  const out: string[] = [];
  for (const [table, n] of source.rows) {
    const m = restored.rows.get(table);
    if (m === undefined) out.push(`table ${table} (${n} rows) is missing from the restored copy`);
    else if (m !== n) out.push(`table ${table}: ${n} rows in the source, ${m} restored`);
  }
  for (const table of restored.rows.keys())
    if (!source.rows.has(table)) out.push(`table ${table} is in the restored copy but not in the source`);
  if (source.balanceSum !== restored.balanceSum)
    out.push(`sum of balances: ${source.balanceSum} sun in the source, ${restored.balanceSum} restored`);
  if (source.ledgerSum !== restored.ledgerSum)
    out.push(`sum of ledger amounts: ${source.ledgerSum} sun in the source, ${restored.ledgerSum} restored`);
  if (source.migrations.join("\n") !== restored.migrations.join("\n"))
    out.push(
      `applied migrations differ: ${source.migrations.length} in the source, ${restored.migrations.length} restored`,
    );
  return out;
}

const ms = (since: number) => `${Math.round(performance.now() - since)} ms`;
const mb = (bytes: number | bigint) => `${(Number(bytes) / 1024 / 1024).toFixed(1)} MB`;

async function main(): Promise<number> {
  await announceTarget("db:restore-drill", { network: false });
  if (!env.DATABASE_URL) {
    console.error(
      "db:restore-drill needs DATABASE_URL set to a PostgreSQL database: it backs up and restores with " +
        "pg_dump and pg_restore. The embedded PGlite database (no DATABASE_URL) is for development only.",
    );
    return 1;
  }
  const sourceUrl = new URL(env.DATABASE_URL);
  const sourceName = decodeURIComponent(sourceUrl.pathname.replace(/^\//, ""));
  if (!sourceName) {
    console.error("DATABASE_URL names no database.");
    return 1;
  }
  const drillName = drillDatabaseName(sourceName);
  const drillUrl = new URL(sourceUrl);
  drillUrl.pathname = `/${encodeURIComponent(drillName)}`;
  const pgEnv = libpqEnv(sourceUrl);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "teh-restore-drill-"));
  const dumpFile = path.join(dir, `${sourceName}.dump`);
  const opts = { max: 1, onnotice: () => {} };
  const source = postgres(env.DATABASE_URL, opts);
  let restored: postgres.Sql | undefined;
  let created = false;
  const started = performance.now();
  const dropDrill = async () => {
    await restored?.end({ timeout: 5 }).catch(() => {});
    restored = undefined;
    if (!created) return;
    created = false;
    await source.unsafe(`drop database if exists ${quoteIdent(drillName)} with (force)`);
    console.log(`dropped ${drillName}`);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    console.error(`${signal}: stopping the drill`);
    dropDrill()
      .catch((e) => console.error(`could not drop ${drillName}: ${e instanceof Error ? e.message : e}`))
      .finally(() => {
        fs.rmSync(dir, { recursive: true, force: true });
        process.exit(1);
      });
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    // 1. The dump, taken from the snapshot the source's figures are read in.
    let t = performance.now();
    const snap = await source.reserve();
    let sourceFigures: Figures;
    let sourceBytes: bigint;
    try {
      await snap`begin isolation level repeatable read read only`;
      const [{ id }] = await snap`select pg_export_snapshot() as id`;
      const dump = run("pg_dump", ["--format=custom", `--snapshot=${id}`, `--file=${dumpFile}`], {
        ...pgEnv,
        PGDATABASE: sourceName,
      });
      dump.catch(() => {});
      sourceFigures = await figures(snap);
      [{ bytes: sourceBytes }] = await snap`select pg_database_size(current_database())::text as bytes`;
      await dump;
      await snap`commit`;
    } finally {
      await snap`rollback`.catch(() => {});
      snap.release();
    }
    const tables = sourceFigures.rows.size;
    const totalRows = [...sourceFigures.rows.values()].reduce((a, b) => a + b, 0n);
    console.log(
      `dumped ${sourceName} (${mb(sourceBytes)} on disk, ${tables} tables, ${totalRows} rows) with pg_dump --format=custom: ` +
        `${mb(fs.statSync(dumpFile).size)} in ${ms(t)}`,
    );

    // 2. A fresh database, the dump restored into it.
    t = performance.now();
    await source.unsafe(`create database ${quoteIdent(drillName)}`);
    created = true;
    await run("pg_restore", ["--no-owner", "--exit-on-error", `--dbname=${drillName}`, dumpFile], pgEnv);
    restored = postgres(drillUrl.toString(), opts);
    const [{ bytes: restoredBytes }] =
      await restored`select pg_database_size(current_database())::text as bytes`;
    console.log(
      `restored into ${drillName} with pg_restore --no-owner --exit-on-error: ${mb(restoredBytes)} in ${ms(t)}`,
    );

    // 3. The checks, on the restored copy.
    t = performance.now();
    const problems: string[] = [];
    const mismatches = await findLedgerMismatches(drizzle(restored, { schema }));
    for (const m of mismatches)
      problems.push(`user ${m.userId}: balance ${m.balance} sun, but its ledger rows sum to ${m.sum} sun`);
    const restoredFigures = await figures(restored);
    problems.push(...compareFigures(sourceFigures, restoredFigures));
    console.log(
      `checked in ${ms(t)}: ${mismatches.length} balance(s) differing from the ledger; ` +
        `${tables} tables, ${totalRows} rows, balances ${sourceFigures.balanceSum} sun, ` +
        `ledger ${sourceFigures.ledgerSum} sun, ${sourceFigures.migrations.length} migrations compared with the source`,
    );
    await dropDrill();
    if (problems.length > 0) {
      console.error(`restore drill FAILED (${problems.length} problem(s)):`);
      for (const p of problems) console.error(`  - ${p}`);
      return 1;
    }
    console.log(`restore drill passed in ${ms(started)}: the backup restores complete and consistent`);
    return 0;
  } finally {
    await dropDrill().catch((e) =>
      console.error(
        `could not drop ${drillName} on ${redactDatabaseUrl(env.DATABASE_URL!)}: ${e instanceof Error ? e.message : e}`,
      ),
    );
    await source.end({ timeout: 5 }).catch(() => {});
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`restore drill FAILED: ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  },
);
