import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env, reloadEnv } from "@/lib/env";
import { runHealthChecks } from "@/lib/health";
import { closeDb, MIGRATIONS_FOLDER } from "./index";
import { assertSchemaCurrent, journalMigrations, migrationState } from "./migration-state";

/**
 * The start-up schema check against real PostgreSQL databases of its own (created beside the one at
 * DATABASE_URL, dropped afterwards), migrated by drizzle's own migrator as `npm run db:migrate` does.
 */
const code = journalMigrations();
const last = code[code.length - 1];
const scratch = `teh_migstate_${process.pid}_${Date.now().toString(36)}`;
let admin: postgres.Sql;
let client: postgres.Sql;

function scratchUrl(): string {
  const url = new URL(env.DATABASE_URL!);
  url.pathname = `/${scratch}`;
  return url.toString();
}

/** A copy of db/migrations whose journal ends before the last migration (the previous release). */
function previousRelease(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "teh-migrations-"));
  fs.cpSync(MIGRATIONS_FOLDER, dir, { recursive: true });
  const journalPath = path.join(dir, "meta", "_journal.json");
  const journal = JSON.parse(fs.readFileSync(journalPath, "utf8"));
  journal.entries = journal.entries.slice(0, -1);
  fs.writeFileSync(journalPath, JSON.stringify(journal));
  return dir;
}

describe.skipIf(!env.DATABASE_URL)(
  "schema check at start — needs PostgreSQL (DATABASE_URL): it creates and drops a database of its own",
  () => {
    beforeAll(async () => {
      admin = postgres(env.DATABASE_URL!, { max: 1, onnotice: () => {} });
      await admin.unsafe(`create database "${scratch}"`);
      client = postgres(scratchUrl(), { max: 2, onnotice: () => {} });
    });
    afterAll(async () => {
      await client?.end();
      await admin?.unsafe(`drop database if exists "${scratch}"`);
      await admin?.end();
    });

    it("an empty database: every migration pending, and the refusal names npm run db:migrate", async () => {
      const db = drizzle(client);
      expect(await migrationState(db)).toEqual({ status: "pending", pending: code.map((m) => m.tag) });
      await expect(assertSchemaCurrent(db)).rejects.toThrow("npm run db:migrate");
    });

    it("migrated to all but the last migration: refuses, naming the pending one and npm run db:migrate", async () => {
      const db = drizzle(client);
      await migrate(db, { migrationsFolder: previousRelease() });
      expect(await migrationState(db)).toEqual({ status: "pending", pending: [last.tag] });
      const refusal = assertSchemaCurrent(db);
      await expect(refusal).rejects.toThrow(
        `Refusing to start: The database has 1 migration(s) pending (${last.tag}). Run \`npm run db:migrate\``,
      );
    });

    it("/api/health reports the same: schema fails while a migration is pending", async () => {
      const saved = process.env.DATABASE_URL;
      await closeDb();
      process.env.DATABASE_URL = scratchUrl();
      reloadEnv();
      try {
        const { checks } = await runHealthChecks();
        expect(checks.db).toBe("ok");
        expect(checks.schema).toBe(
          `fail: The database has 1 migration(s) pending (${last.tag}). Run \`npm run db:migrate\` (or the image with APP_ROLE=migrate) with this version's code, then start the app.`,
        );
      } finally {
        await closeDb();
        process.env.DATABASE_URL = saved;
        reloadEnv();
      }
      expect((await runHealthChecks()).checks.schema).toBe("ok");
    });

    it("fully migrated: passes", async () => {
      const db = drizzle(client);
      await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
      expect(await migrationState(db)).toEqual({ status: "current", applied: code.length });
      await expect(assertSchemaCurrent(db)).resolves.toBeUndefined();
    });

    it("a migration this code does not know (a newer release ran db:migrate): refuses, the database is newer", async () => {
      const db = drizzle(client);
      const future = last.when + 86_400_000;
      await client`insert into drizzle.__drizzle_migrations (hash, created_at) values ('f00d', ${future})`;
      try {
        expect(await migrationState(db)).toEqual({ status: "newer", unknown: [future] });
        await expect(assertSchemaCurrent(db)).rejects.toThrow(
          "Refusing to start: The database is newer than this code: 1 applied migration(s) unknown to this version",
        );
      } finally {
        await client`delete from drizzle.__drizzle_migrations where created_at = ${future}`;
      }
    });

    it("an applied migration whose file was edited since: refuses", async () => {
      const db = drizzle(client);
      await client`update drizzle.__drizzle_migrations set hash = 'edited' where created_at = ${last.when}`;
      expect(await migrationState(db)).toEqual({ status: "changed", changed: [last.tag] });
      await expect(assertSchemaCurrent(db)).rejects.toThrow(
        `Migration(s) ${last.tag} were applied from a different file`,
      );
    });

    it("an unreachable database: refuses, saying the schema could not be checked", async () => {
      const down = postgres("postgres://postgres@127.0.0.1:1/none", { max: 1, connect_timeout: 1 });
      try {
        await expect(assertSchemaCurrent(drizzle(down))).rejects.toThrow(
          "Could not check the database schema against db/migrations",
        );
      } finally {
        await down.end();
      }
    });
  },
);
