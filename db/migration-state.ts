import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { type Executor, getDb, MIGRATIONS_FOLDER, rowsOf } from "./index";

/**
 * Whether the database's schema is the one this code was written for. Drizzle's migrator records
 * each applied migration in `drizzle.__drizzle_migrations` as the SHA-256 of its SQL file and its
 * journal timestamp (`when` in db/migrations/meta/_journal.json, stored as `created_at`); this
 * compares those rows with the journal. Production on PostgreSQL never migrates by itself
 * (`npm run db:migrate` does, before a new version starts) and refuses to serve on any other
 * state than `current` (instrumentation.ts); `/api/health` reports it as the `schema` check.
 */
export type MigrationState =
  | { status: "current"; applied: number }
  /** Migrations of this code the database has not had yet (their tags, oldest first). */
  | { status: "pending"; pending: string[] }
  /** Migrations recorded in the database that this code does not know (their `created_at`). */
  | { status: "newer"; unknown: number[] }
  /** Migrations applied from a file whose text differs from this code's file (their tags). */
  | { status: "changed"; changed: string[] };

export type JournalMigration = { tag: string; when: number; hash: string };

const byFolder = new Map<string, JournalMigration[]>();

/** The code's migrations, as drizzle's migrator reads them (journal order; hash of each file). */
export function journalMigrations(folder = MIGRATIONS_FOLDER): JournalMigration[] {
  let list = byFolder.get(folder);
  if (!list) {
    list = readJournal(folder);
    byFolder.set(folder, list);
  }
  return list;
}

function readJournal(folder: string): JournalMigration[] {
  const journal = JSON.parse(fs.readFileSync(path.join(folder, "meta", "_journal.json"), "utf8")) as {
    entries: { tag: string; when: number }[];
  };
  return journal.entries.map((e) => ({
    tag: e.tag,
    when: e.when,
    hash: crypto
      .createHash("sha256")
      .update(fs.readFileSync(path.join(folder, `${e.tag}.sql`)).toString())
      .digest("hex"),
  }));
}

export async function migrationState(
  db: Pick<Executor, "execute">,
  folder = MIGRATIONS_FOLDER,
): Promise<MigrationState> {
  const code = journalMigrations(folder);
  const [exists] = rowsOf<{ t: string | null }>(
    await db.execute(sql`select to_regclass('drizzle.__drizzle_migrations')::text as t`),
  );
  const applied = exists?.t
    ? rowsOf<{ hash: string; created_at: string | number | bigint | null }>(
        await db.execute(sql`select hash, created_at from drizzle.__drizzle_migrations order by id`),
      ).map((r) => ({ hash: r.hash, when: Number(r.created_at) }))
    : [];
  const known = new Map(code.map((m) => [m.when, m]));
  const unknown = applied.filter((a) => !known.has(a.when)).map((a) => a.when);
  if (unknown.length) return { status: "newer", unknown };
  const done = new Set(applied.map((a) => a.when));
  const pending = code.filter((m) => !done.has(m.when)).map((m) => m.tag);
  if (pending.length) return { status: "pending", pending };
  const changed = applied
    .filter((a) => known.get(a.when)!.hash !== a.hash)
    .map((a) => known.get(a.when)!.tag);
  if (changed.length) return { status: "changed", changed };
  return { status: "current", applied: applied.length };
}

/** Why this code must not serve this database, or null when the schema is current. */
export function schemaProblem(state: MigrationState): string | null {
  switch (state.status) {
    case "current":
      return null;
    case "pending":
      return (
        `The database has ${state.pending.length} migration(s) pending (${state.pending.join(", ")}). ` +
        "Run `npm run db:migrate` (or the image with APP_ROLE=migrate) with this version's code, then start the app."
      );
    case "newer":
      return (
        `The database is newer than this code: ${state.unknown.length} applied migration(s) unknown to ` +
        `this version (created_at ${state.unknown.join(", ")}). Deploy the version that applied them.`
      );
    case "changed":
      return (
        `Migration(s) ${state.changed.join(", ")} were applied from a different file than this code's ` +
        "db/migrations: the schema may not be what this code expects. Restore the original files."
      );
  }
}

/** Throws the reason when the schema is not current (the app's start-up check on PostgreSQL). */
export async function assertSchemaCurrent(
  db?: Pick<Executor, "execute">,
  folder = MIGRATIONS_FOLDER,
): Promise<void> {
  let state: MigrationState;
  try {
    state = await migrationState(db ?? (await getDb()), folder);
  } catch (e) {
    throw new Error(
      `Could not check the database schema against db/migrations: ${e instanceof Error ? e.message : e}`,
    );
  }
  const problem = schemaProblem(state);
  if (problem) throw new Error(`Refusing to start: ${problem}`);
}

/** The `schema` health check: fails with the same reason the start-up check gives. */
export async function checkSchema(): Promise<void> {
  const problem = schemaProblem(await migrationState(await getDb()));
  if (problem) throw new Error(problem);
}
