import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, rowsOf } from "@/db";
import { ledgerEntries, users } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { createUser } from "@/lib/users";
import { adjust, credit, debit, findLedgerMismatches, getBalance, refund } from "./index";

const uniq = () => `${Date.now()}-${Math.random().toString(36).slice(2)}`;

async function entriesOf(userId: number) {
  const db = await getDb();
  return db.select().from(ledgerEntries).where(eq(ledgerEntries.userId, userId));
}

async function expectCode(p: Promise<unknown>, code: string) {
  const e = await p.then(
    () => undefined,
    (x) => x,
  );
  expect(e).toBeInstanceOf(AppError);
  expect((e as AppError).code).toBe(code);
}

describe("ledger", () => {
  it("credits, debits, refunds and adjusts with the balance after each", async () => {
    const u = await createUser();
    const k = uniq();
    const c = await credit({
      userId: u.id,
      amountSun: 20_500_000n,
      idempotencyKey: `c:${k}`,
      referenceType: "deposit",
      referenceId: "1",
    });
    expect(c.replayed).toBe(false);
    expect(c.entry.balanceAfterSun).toBe(20_500_000n);
    const d = await debit({
      userId: u.id,
      amountSun: 5_895_000n,
      idempotencyKey: `d:${k}`,
      referenceType: "order",
      referenceId: "10001",
    });
    expect(d.entry.amountSun).toBe(-5_895_000n);
    expect(d.entry.balanceAfterSun).toBe(14_605_000n);
    const r = await refund({ userId: u.id, amountSun: 5_895_000n, idempotencyKey: `r:${k}` });
    expect(r.entry.balanceAfterSun).toBe(20_500_000n);
    const a = await adjust({
      userId: u.id,
      amountSun: -500_000n,
      idempotencyKey: `a:${k}`,
      memo: "goodwill correction",
    });
    expect(a.entry.balanceAfterSun).toBe(20_000_000n);
    expect(await getBalance(u.id)).toBe(20_000_000n);
    const rows = await entriesOf(u.id);
    expect(rows.reduce((s, x) => s + x.amountSun, 0n)).toBe(20_000_000n);
  });

  it("replays the same key with the same content and changes nothing", async () => {
    const u = await createUser();
    const key = `c:${uniq()}`;
    const first = await credit({ userId: u.id, amountSun: 1_000_000n, idempotencyKey: key });
    const second = await credit({ userId: u.id, amountSun: 1_000_000n, idempotencyKey: key });
    expect(second.replayed).toBe(true);
    expect(second.entry.id).toBe(first.entry.id);
    expect(await getBalance(u.id)).toBe(1_000_000n);
    expect(await entriesOf(u.id)).toHaveLength(1);
  });

  it("refuses the same key with other content and changes nothing", async () => {
    const u = await createUser();
    const key = `c:${uniq()}`;
    await credit({ userId: u.id, amountSun: 1_000_000n, idempotencyKey: key });
    await expectCode(
      credit({ userId: u.id, amountSun: 2_000_000n, idempotencyKey: key }),
      "idempotency_conflict",
    );
    await expectCode(
      debit({ userId: u.id, amountSun: 1_000_000n, idempotencyKey: key }),
      "idempotency_conflict",
    );
    expect(await getBalance(u.id)).toBe(1_000_000n);
    expect(await entriesOf(u.id)).toHaveLength(1);
  });

  it("refuses insufficient balance with a typed error and changes nothing", async () => {
    const u = await createUser();
    await credit({ userId: u.id, amountSun: 3_900_000n, idempotencyKey: `c:${uniq()}` });
    const e = await debit({ userId: u.id, amountSun: 5_895_000n, idempotencyKey: `d:${uniq()}` }).catch(
      (x) => x,
    );
    expect(e).toBeInstanceOf(AppError);
    expect(e.code).toBe("insufficient_balance");
    expect(e.status).toBe(402);
    expect(e.details).toEqual({ balanceSun: "3900000", neededSun: "5895000" });
    expect(await getBalance(u.id)).toBe(3_900_000n);
    expect(await entriesOf(u.id)).toHaveLength(1);
  });

  it("refuses bad input and changes nothing", async () => {
    const u = await createUser();
    await expectCode(
      credit({ userId: u.id, amountSun: 0n, idempotencyKey: `c:${uniq()}` }),
      "invalid_amount",
    );
    await expectCode(
      credit({ userId: u.id, amountSun: -5n, idempotencyKey: `c:${uniq()}` }),
      "invalid_amount",
    );
    await expectCode(
      credit({ userId: u.id, amountSun: 5 as any, idempotencyKey: `c:${uniq()}` }),
      "invalid_amount",
    );
    await expectCode(credit({ userId: u.id, amountSun: 5n, idempotencyKey: "" }), "bad_request");
    await expectCode(credit({ userId: u.id, amountSun: 5n, idempotencyKey: "has space" }), "bad_request");
    await expectCode(adjust({ userId: u.id, amountSun: 5n, idempotencyKey: `a:${uniq()}` }), "bad_request");
    await expectCode(
      credit({ userId: 999_999_999, amountSun: 5n, idempotencyKey: `c:${uniq()}` }),
      "not_found",
    );
    expect(await getBalance(u.id)).toBe(0n);
    expect(await entriesOf(u.id)).toHaveLength(0);
  });

  it("joins a caller's transaction and rolls back with it", async () => {
    const u = await createUser();
    await credit({ userId: u.id, amountSun: 10_000_000n, idempotencyKey: `c:${uniq()}` });
    const db = await getDb();
    const key = `d:${uniq()}`;
    await expect(
      db.transaction(async (tx) => {
        await debit({ userId: u.id, amountSun: 4_000_000n, idempotencyKey: key }, tx);
        throw new Error("caller failed");
      }),
    ).rejects.toThrow("caller failed");
    expect(await getBalance(u.id)).toBe(10_000_000n);
    // inside a transaction, a replay and a conflict are resolved without aborting it
    await db.transaction(async (tx) => {
      const a = await debit({ userId: u.id, amountSun: 4_000_000n, idempotencyKey: key }, tx);
      const b = await debit({ userId: u.id, amountSun: 4_000_000n, idempotencyKey: key }, tx);
      expect(b.replayed).toBe(true);
      expect(b.entry.id).toBe(a.entry.id);
      await expectCode(
        debit({ userId: u.id, amountSun: 1n, idempotencyKey: key }, tx),
        "idempotency_conflict",
      );
    });
    expect(await getBalance(u.id)).toBe(6_000_000n);
  });

  it("the database itself refuses a negative balance", async () => {
    const u = await createUser();
    const db = await getDb();
    await expect(db.update(users).set({ balanceSun: -1n }).where(eq(users.id, u.id))).rejects.toThrow();
    expect(await getBalance(u.id)).toBe(0n);
  });
});

// On PGlite the transactions are queued one at a time, so the property is checked without real
// interleaving; DATABASE_URL runs the same suite with 20 connections racing.
describe("ledger concurrency (PostgreSQL races them; PGlite queues them)", () => {
  it("200 concurrent debits on one user and 400 over 50 users: no negative balance, sums match, each key once", async () => {
    const db = await getDb();
    const run = uniq();
    const hot = await createUser();
    // enough for 150 of the 200 debits of 1 TRX: 50 must fail cleanly
    await credit({ userId: hot.id, amountSun: 150_000_000n, idempotencyKey: `seed:${run}:hot` });
    const spread = await Promise.all(Array.from({ length: 50 }, () => createUser()));
    for (const u of spread)
      await credit({ userId: u.id, amountSun: 5_000_000n, idempotencyKey: `seed:${run}:${u.id}` });

    const jobs: Promise<unknown>[] = [];
    // 200 distinct debits on the hot user, plus 50 replays of some of those keys racing the first attempts
    for (let i = 0; i < 250; i++) {
      const key = `hot:${run}:${i < 200 ? i : (i - 200) * 4}`;
      jobs.push(debit({ userId: hot.id, amountSun: 1_000_000n, idempotencyKey: key }).catch((e) => e));
    }
    for (let i = 0; i < 400; i++) {
      const u = spread[i % 50];
      // 8 distinct debits of 1 TRX per user against 5 TRX: 3 per user must be refused
      const key = `spread:${run}:${u.id}:${Math.floor(i / 50) % 8}`;
      jobs.push(debit({ userId: u.id, amountSun: 1_000_000n, idempotencyKey: key }).catch((e) => e));
    }
    const results = await Promise.all(jobs);
    const errors = results.filter((r) => r instanceof Error) as AppError[];
    for (const e of errors) expect(e.code).toBe("insufficient_balance");

    expect(await findLedgerMismatches()).toEqual([]);
    const balances = rowsOf<{ id: number; balance_sun: bigint }>(
      await db.execute(
        sql`select id, balance_sun from users where id in (${sql.join(
          [hot.id, ...spread.map((u) => u.id)].map((x) => sql`${x}`),
          sql`, `,
        )})`,
      ),
    );
    for (const b of balances) expect(BigInt(b.balance_sun) >= 0n).toBe(true);
    expect(await getBalance(hot.id)).toBe(0n); // 200 distinct keys, 150 affordable
    for (const u of spread) expect(await getBalance(u.id)).toBe(0n);
    // every key charged exactly once
    const dup = rowsOf(
      await db.execute(
        sql`select idempotency_key, count(*) from ledger_entries where idempotency_key like ${`%:${run}:%`} group by 1 having count(*) > 1`,
      ),
    );
    expect(dup).toEqual([]);
    const hotRows = await entriesOf(hot.id);
    expect(hotRows.filter((r) => r.type === "order_payment")).toHaveLength(150);
    // spread: exactly 3 refusals per user; hot: at least the 50 distinct debits beyond the balance
    expect(errors.length).toBeGreaterThanOrEqual(50 + 50 * 3);
    const hotKeys = new Set(hotRows.filter((r) => r.type === "order_payment").map((r) => r.idempotencyKey));
    expect(hotKeys.size).toBe(150);
  }, 60_000);
});
