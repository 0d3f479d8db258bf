import { sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as price } from "@/app/api/v1/price/route";
import { POST as createRoute } from "@/app/api/v1/orders/route";
import { closeDb, getDb, rowsOf } from "@/db";
import { createApiKey } from "@/lib/api/keys";
import { env, reloadEnv } from "@/lib/env";
import { isDbTimeout } from "@/lib/errors";
import { getBalance } from "@/lib/ledger";
import {
  freshReceiver,
  fundedUser,
  importPool,
  type OrderKit,
  resetPoolForTests,
  startOrderKit,
} from "@/lib/orders/testing";

/**
 * Database timeouts on real PostgreSQL (PGlite accepts the settings but never fires them: one
 * statement at a time in one process, no lock to wait for). A row lock held by another connection
 * used to hang every API call for as long as it was held and exhaust the pool.
 */
const LOCK_MS = 400;
const saved = { ...process.env };
let kit: OrderKit;

describe.skipIf(!env.DATABASE_URL)(
  "database timeouts — needs PostgreSQL (DATABASE_URL): PGlite accepts the settings but never fires them",
  () => {
    beforeAll(async () => {
      kit = await startOrderKit({ autoMine: true });
      await resetPoolForTests();
      await importPool([1, 2, 3]); // quotes and orders are only taken when the pool can cover them
      await closeDb();
      Object.assign(process.env, {
        DATABASE_LOCK_TIMEOUT_MS: String(LOCK_MS),
        DATABASE_STATEMENT_TIMEOUT_MS: "600",
        DATABASE_IDLE_TX_TIMEOUT_MS: "500",
        DATABASE_POOL_SIZE: "4",
      });
      reloadEnv();
    });
    afterAll(async () => {
      await closeDb();
      process.env = { ...saved };
      reloadEnv();
      await kit?.close();
    });

    it("a long lock on users: order requests answer 503 busy within the lock timeout, the public price route keeps answering, nothing changes", async () => {
      const userId = await fundedUser(10_000_000_000n);
      const { key } = await createApiKey({ userId, name: "busy" });
      const receiver = await freshReceiver(kit);
      const before = await getBalance(userId);
      const holder = postgres(env.DATABASE_URL!, { max: 1, onnotice: () => {} });
      let release!: () => void;
      const held = new Promise<void>((r) => {
        release = r;
      });
      let locked!: () => void;
      const isLocked = new Promise<void>((r) => {
        locked = r;
      });
      const tx = holder.begin(async (t) => {
        await t`select id from users where id = ${userId} for update`;
        locked();
        await held;
      });
      await isLocked;
      try {
        const order = (i: number) =>
          createRoute(
            new Request("http://localhost/api/v1/orders", {
              method: "POST",
              headers: {
                authorization: `Bearer ${key}`,
                "content-type": "application/json",
                "idempotency-key": `busy-${i}`,
              },
              body: JSON.stringify({ receiver, energy: 65_000, duration: "1h" }),
            }),
          );
        const t0 = Date.now();
        // more requests than the pool has connections
        const pending = Array.from({ length: 12 }, (_, i) => order(i));
        // meanwhile the public price route answers
        const p0 = Date.now();
        const quote = await price(new Request("http://localhost/api/v1/price?energy=65000&duration=1h"));
        expect(quote.status).toBe(200);
        const priceMs = Date.now() - p0;
        const answers = await Promise.all(pending);
        const took = Date.now() - t0;
        for (const res of answers) {
          expect(res.status).toBe(503);
          expect(res.headers.get("retry-after")).toBe("1");
          const body = await res.json();
          expect(body.error.code).toBe("busy");
          expect(JSON.stringify(body)).not.toMatch(/lock|55P03|postgres/i);
        }
        // 12 requests over 4 connections, each wait capped at LOCK_MS: a few rounds, not "forever"
        expect(took).toBeLessThan(LOCK_MS * 12 + 2_000);
        expect(priceMs).toBeLessThan(LOCK_MS * 12 + 2_000);
      } finally {
        release();
        await tx;
        await holder.end();
      }
      expect(await getBalance(userId)).toBe(before);
      const db = await getDb();
      const [{ n }] = rowsOf<{ n: number }>(
        await db.execute(sql`select count(*)::int as n from orders where user_id = ${userId}`),
      );
      expect(Number(n)).toBe(0);
    });

    it("a statement past its timeout and a transaction left idle are ended by the server", async () => {
      const db = await getDb();
      const slow = await db.execute(sql`select pg_sleep(3)`).catch((e) => e);
      expect(isDbTimeout(slow)).toBe(true);
      const idle = await db
        .transaction(async (tx) => {
          await tx.execute(sql`select 1`);
          await new Promise((r) => setTimeout(r, 1_200));
          await tx.execute(sql`select 1`);
        })
        .catch((e) => e);
      expect(idle).toBeInstanceOf(Error);
      // the pool recovers
      expect(rowsOf(await db.execute(sql`select 1 as one`))[0]).toMatchObject({ one: 1 });
    });
  },
);
