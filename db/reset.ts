/**
 * `npm run db:reset -- --yes`: empties the database and migrates it again, for starting afresh
 * together with `npm run devnet -- --reset` (a database that outlives its chain holds blocks,
 * deposits and orders the new chain never saw). PostgreSQL at DATABASE_URL: drops and recreates
 * the `public` and `drizzle` schemas. Embedded PGlite: deletes its folder (refused while the app
 * has it open). Refused when NODE_ENV=production or TRON_NETWORK=mainnet.
 */
import { announceTarget } from "@/scripts/load-env";
import fs from "node:fs";
import path from "node:path";
import { closeDb, getDb, lockDataDir } from "@/db";
import { applyMigrations } from "@/db/apply-migrations";
import { env } from "@/lib/env";

async function resetDatabase(): Promise<void> {
  if (env.DATABASE_URL) {
    const { default: postgres } = await import("postgres");
    const client = postgres(env.DATABASE_URL, { max: 1, onnotice: () => {} });
    try {
      await client.unsafe(
        "drop schema if exists drizzle cascade; drop schema public cascade; create schema public;",
      );
    } finally {
      await client.end();
    }
    await applyMigrations();
    return;
  }
  if (env.PGLITE_DIR.startsWith("memory://")) return;
  const dir = path.resolve(env.PGLITE_DIR);
  const release = lockDataDir(dir); // throws while another process (the app) has it open
  try {
    fs.rmSync(dir, { recursive: true, force: true });
  } finally {
    release();
  }
  await getDb(); // PGlite creates and migrates the folder on open
  await closeDb();
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  await announceTarget("db:reset", { network: false });
  if (env.NODE_ENV === "production" || env.TRON_NETWORK === "mainnet") {
    console.error("Refused: db:reset never runs with NODE_ENV=production or TRON_NETWORK=mainnet.");
    return 2;
  }
  if (!args.includes("--yes")) {
    console.error("This deletes every row in that database. Run again with --yes to go ahead.");
    return 2;
  }
  await resetDatabase();
  console.log("Database emptied and migrated. The next start of the app creates the first owner.");
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
