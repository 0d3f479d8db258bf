import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env, reloadEnv } from "@/lib/env";
import { applyMigrations } from "./apply-migrations";
import { journalMigrations } from "./migration-state";

/**
 * What the image's migrate role (APP_ROLE=migrate) and `npm run db:migrate` do, on a PostgreSQL
 * database of its own (created beside the one at DATABASE_URL, dropped afterwards).
 */
const code = journalMigrations();
const scratch = `teh_apply_${process.pid}_${Date.now().toString(36)}`;
const savedUrl = process.env.DATABASE_URL;
let admin: postgres.Sql;

describe.skipIf(!env.DATABASE_URL)("applying migrations (migrate role) — needs PostgreSQL", () => {
  beforeAll(async () => {
    admin = postgres(env.DATABASE_URL!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${scratch}"`);
    const url = new URL(env.DATABASE_URL!);
    url.pathname = `/${scratch}`;
    process.env.DATABASE_URL = url.toString();
    reloadEnv();
  });
  afterAll(async () => {
    process.env.DATABASE_URL = savedUrl;
    reloadEnv();
    await admin?.unsafe(`drop database if exists "${scratch}" with (force)`);
    await admin?.end();
  });

  it("applies every pending migration once, names them, and a second run has nothing to do", async () => {
    expect(await applyMigrations()).toBe(
      `Migrated PostgreSQL at DATABASE_URL: applied ${code.map((m) => m.tag).join(", ")}.`,
    );
    expect(await applyMigrations()).toBe("PostgreSQL at DATABASE_URL is already current: nothing to apply.");
  });

  it("refuses a database newer than this code and changes nothing", async () => {
    const db = postgres(env.DATABASE_URL!, { max: 1, onnotice: () => {} });
    try {
      await db`insert into drizzle.__drizzle_migrations (hash, created_at) values ('future', 99999999999999)`;
      const [{ n: before }] = await db`select count(*)::int as n from drizzle.__drizzle_migrations`;
      await expect(applyMigrations()).rejects.toThrow(/newer than this code/);
      const [{ n: after }] = await db`select count(*)::int as n from drizzle.__drizzle_migrations`;
      expect(after).toBe(before);
    } finally {
      await db.end();
    }
  });
});
