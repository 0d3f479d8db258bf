import { runScript } from "@/test/run-script";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, MIGRATIONS_FOLDER } from "@/db";
import { env, reloadEnv } from "@/lib/env";
import { adjust, debit, getBalance } from "@/lib/ledger";
import { cancelOrder, createOrder } from "@/lib/orders";
import {
  freshReceiver,
  fundedUser,
  importPool,
  type OrderKit,
  resetPoolForTests,
  startOrderKit,
} from "@/lib/orders/testing";

/** `npm run db:restore-drill` as a separate process, as CI and an operator run it. */
async function drill(databaseUrl: string | undefined) {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: "warn" };
  delete childEnv.DATABASE_URL;
  if (databaseUrl) childEnv.DATABASE_URL = databaseUrl;
  else childEnv.PGLITE_DIR = "memory://restore-drill";
  return runScript("scripts/restore-drill.ts", childEnv);
}

describe("npm run db:restore-drill without PostgreSQL", () => {
  it("refuses the embedded database, saying it needs DATABASE_URL", async () => {
    const { code, err } = await drill(undefined);
    expect(code).toBe(1);
    expect(err).toMatch(/db:restore-drill needs DATABASE_URL set to a PostgreSQL database/);
  });
});

const scratch = `teh_drill_${process.pid}_${Date.now().toString(36)}`;
let admin: postgres.Sql;
let source: postgres.Sql;
let kit: OrderKit;
const TRX = 1_000_000n;

function scratchUrl(): string {
  const url = new URL(env.DATABASE_URL!);
  url.pathname = `/${scratch}`;
  return url.toString();
}

async function drillDatabases(): Promise<string[]> {
  const rows = await admin`select datname from pg_database where datname like ${`${scratch}%`}`;
  return rows.map((r) => r.datname as string);
}

describe.skipIf(!env.DATABASE_URL)(
  "npm run db:restore-drill — needs PostgreSQL (DATABASE_URL): it creates and drops a database of its own",
  () => {
    let savedUrl: string | undefined;
    let userId: number;

    beforeAll(async () => {
      admin = postgres(env.DATABASE_URL!, { max: 1, onnotice: () => {} });
      await admin.unsafe(`create database "${scratch}"`);
      source = postgres(scratchUrl(), { max: 1, onnotice: () => {} });
      await migrate(drizzle(source), { migrationsFolder: MIGRATIONS_FOLDER });
      // The app's own code writes the rows: the lib functions, pointed at the scratch database.
      savedUrl = process.env.DATABASE_URL;
      await closeDb();
      process.env.DATABASE_URL = scratchUrl();
      reloadEnv();
      kit = await startOrderKit({ autoMine: true });
      try {
        await resetPoolForTests();
        await importPool([1]);
        userId = await fundedUser(200n * TRX);
        const other = await fundedUser(50n * TRX);
        await debit({ userId: other, amountSun: 7n * TRX, idempotencyKey: "drill-debit" });
        await adjust({ userId: other, amountSun: -TRX, idempotencyKey: "drill-adjust", memo: "drill" });
        const receiver = await freshReceiver(kit);
        const base = { userId, receiver, energy: 65_000, duration: "1h", source: "bot" as const };
        await createOrder({ ...base, idempotencyKey: "drill-kept" });
        const { order } = await createOrder({ ...base, idempotencyKey: "drill-cancelled" });
        await cancelOrder({ orderId: order.id, userId, reason: "drill" });
        expect(await getBalance(userId)).toBe(200n * TRX - 65_000n * 45n);
      } finally {
        await kit.close();
        await closeDb();
        process.env.DATABASE_URL = savedUrl;
        reloadEnv();
      }
    });
    afterAll(async () => {
      await source?.end();
      if (admin) {
        for (const name of await drillDatabases())
          await admin.unsafe(`drop database if exists "${name}" with (force)`);
        await admin.end();
      }
    });

    it("a faithful backup: restores complete and consistent, reports what it did, leaves no database", async () => {
      const [{ n: orders }] = await source`select count(*)::int as n from orders`;
      const [{ n: entries }] = await source`select count(*)::int as n from ledger_entries`;
      expect({ orders, entries }).toEqual({ orders: 2, entries: 7 });
      const { code, out, err } = await drill(scratchUrl());
      if (code !== 0) console.error(out, err);
      expect(code).toBe(0);
      expect(out).toMatch(
        new RegExp(
          `dumped ${scratch} \\([\\d.]+ MB on disk, \\d+ tables, \\d+ rows\\) with pg_dump --format=custom: [\\d.]+ MB in \\d+ ms`,
        ),
      );
      const drillDb = out.match(
        new RegExp(`restored into (${scratch}_restore_drill_\\d{14}) with pg_restore`),
      )?.[1];
      expect(drillDb).toBeTruthy();
      expect(out).toMatch(/checked in \d+ ms: 0 balance\(s\) differing from the ledger/);
      expect(out).toMatch(`dropped ${drillDb}`);
      expect(out).toMatch(/restore drill passed in \d+ ms/);
      expect(await drillDatabases()).toEqual([scratch]);
    });

    it("a balance that differs from its ledger in the source: fails naming the user, still drops its database", async () => {
      await source`update users set balance_sun = balance_sun + 1 where id = ${userId}`;
      const { code, out, err } = await drill(scratchUrl());
      expect(code).toBe(1);
      expect(err).toMatch("restore drill FAILED (1 problem(s))");
      expect(err).toMatch(
        `user ${userId}: balance ${200n * TRX - 65_000n * 45n + 1n} sun, but its ledger rows sum to ${200n * TRX - 65_000n * 45n} sun`,
      );
      expect(out).toMatch(/dropped \S+_restore_drill_\d{14}/);
      expect(await drillDatabases()).toEqual([scratch]);
    });
  },
);
