import { closeDb, getDb, getDbKind, MIGRATIONS_FOLDER } from "@/db";
import { migrationState, schemaProblem } from "@/db/migration-state";
import { env } from "@/lib/env";

/**
 * Applies db/migrations to DATABASE_URL (drizzle's migrator, one connection, inside its own lock
 * and transaction), or opens — and so migrates — the embedded database. Returns what it did.
 * Used by `npm run db:migrate` and by the image's migrate role (APP_ROLE=migrate).
 */
export async function applyMigrations(): Promise<string> {
  if (env.DATABASE_URL) {
    const { default: postgres } = await import("postgres");
    const { drizzle } = await import("drizzle-orm/postgres-js");
    const { migrate } = await import("drizzle-orm/postgres-js/migrator");
    const client = postgres(env.DATABASE_URL, { max: 1, onnotice: () => {} });
    try {
      const db = drizzle(client);
      const before = await migrationState(db, MIGRATIONS_FOLDER);
      // A database newer than this code, or migrated from other files, is not touched.
      if (before.status === "newer" || before.status === "changed") throw new Error(schemaProblem(before)!);
      await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
      const after = await migrationState(db, MIGRATIONS_FOLDER);
      const problem = schemaProblem(after);
      if (problem) throw new Error(problem);
      const applied = before.status === "pending" ? before.pending : [];
      return applied.length
        ? `Migrated PostgreSQL at DATABASE_URL: applied ${applied.join(", ")}.`
        : "PostgreSQL at DATABASE_URL is already current: nothing to apply.";
    } finally {
      await client.end({ timeout: 5 });
    }
  }
  await getDb(); // PGlite migrates on open
  const kind = await getDbKind();
  await closeDb();
  return `Migrated the embedded database (${kind}) at ${env.PGLITE_DIR}.`;
}

/** The migrate role: apply, print, exit 0; or print why not and exit 1. */
export async function migrateAndExit(): Promise<never> {
  try {
    console.log(await applyMigrations());
    process.exit(0);
  } catch (e) {
    console.error(`Migration failed: ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  }
}
