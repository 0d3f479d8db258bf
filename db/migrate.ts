/** `npm run db:migrate`: applies db/migrations to DATABASE_URL (or creates/migrates the PGlite folder). */
import { announceTarget } from "@/scripts/load-env";
import { closeDb, getDb, getDbKind, MIGRATIONS_FOLDER } from "@/db";
import { env } from "@/lib/env";

async function main() {
  await announceTarget("db:migrate", { network: false });
  if (env.DATABASE_URL) {
    const { default: postgres } = await import("postgres");
    const { drizzle } = await import("drizzle-orm/postgres-js");
    const { migrate } = await import("drizzle-orm/postgres-js/migrator");
    const client = postgres(env.DATABASE_URL, { max: 1, onnotice: () => {} });
    await migrate(drizzle(client), { migrationsFolder: MIGRATIONS_FOLDER });
    await client.end();
    console.log("Migrated PostgreSQL at DATABASE_URL.");
  } else {
    await getDb(); // PGlite migrates on open
    console.log(`Migrated the embedded database (${await getDbKind()}) at ${env.PGLITE_DIR}.`);
    await closeDb();
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
