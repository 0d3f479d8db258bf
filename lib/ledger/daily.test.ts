import { eq, sql } from "drizzle-orm";
import { InngestTestEngine } from "@inngest/test";
import { describe, expect, it } from "vitest";
import { rollUpLedgerDaily } from "@/inngest/functions/roll-up-ledger";
import { getDb, getDbKind, rowsOf } from "@/db";
import { ledgerEntries } from "@/db/schema";
import { financeByDay } from "@/lib/admin/finance";
import { getDashboardStats, windowStart } from "@/lib/admin/dashboard";
import { createUser } from "@/lib/users";
import { type DayTotals, ledgerTotalsByDay, rollUpLedger } from "./daily";
import { credit, debit, refund } from "./index";

const DAY = 86_400_000;
const uniq = () => `${Date.now()}-${Math.random().toString(36).slice(2)}`;
const utcMidnight = (t = Date.now()) => Math.floor(t / DAY) * DAY;

/** The straightforward recomputation: a plain SUM over the ledger, no rollup involved. */
async function direct(from: Date, to: Date): Promise<Map<string, DayTotals>> {
  const db = await getDb();
  const rows = rowsOf<{ day: string; type: string; amount: string }>(
    await db.execute(sql`
      select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD') as day, type::text as type, sum(amount_sun)::text as amount
      from ledger_entries
      where created_at >= ${from.toISOString()}::timestamptz and created_at < ${to.toISOString()}::timestamptz
      group by 1, 2`),
  );
  const out = new Map<string, DayTotals>();
  for (const r of rows) out.set(r.day, { ...out.get(r.day), [r.type]: BigInt(r.amount) });
  return out;
}

const plain = (m: Map<string, DayTotals>) =>
  Object.fromEntries(
    [...m.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([d, t]) => [
        d,
        Object.fromEntries(
          Object.entries(t)
            .filter(([, v]) => v !== 0n)
            .sort()
            .map(([k, v]) => [k, String(v)]),
        ),
      ]),
  );

/** Ranges a report asks for: whole days, a partial today, a partial first day, one day. */
function ranges(): [Date, Date][] {
  const today = utcMidnight();
  return [
    [new Date(today - 45 * DAY), new Date(today + DAY)],
    [new Date(today - 29 * DAY), new Date()],
    [new Date(today - 3 * DAY + 3_600_000), new Date(today - DAY + 7_200_000)],
    [new Date(today - 3 * DAY), new Date(today - 2 * DAY)],
    [new Date(today), new Date(today + DAY)],
  ];
}

async function expectExact(opts: { rollUp?: boolean } = {}) {
  for (const [from, to] of ranges()) {
    const got = await ledgerTotalsByDay({ from, to }, { rollUp: opts.rollUp });
    expect(plain(got), `${from.toISOString()} → ${to.toISOString()}`).toEqual(plain(await direct(from, to)));
  }
}

/** Moves a ledger row to another day, as a row written back-dated would be. */
async function backdate(id: number, at: Date) {
  const db = await getDb();
  await db.update(ledgerEntries).set({ createdAt: at }).where(eq(ledgerEntries.id, id));
}

async function someRows(userId: number) {
  const k = uniq();
  await credit({ userId, amountSun: 500_000_001n, idempotencyKey: `roll:c:${k}` });
  const ids: number[] = [];
  for (let i = 0; i < 4; i++) {
    const d = await debit({
      userId,
      amountSun: 2_925_001n + BigInt(i),
      idempotencyKey: `roll:d:${k}:${i}`,
      referenceType: "order",
      referenceId: String(i),
    });
    ids.push(d.entry.id);
  }
  const r = await refund({ userId, amountSun: 1_000_003n, idempotencyKey: `roll:r:${k}` });
  ids.push(r.entry.id);
  return ids;
}

async function state() {
  const db = await getDb();
  const [r] = rowsOf<{ through_id: string; max_id: string }>(
    await db.execute(sql`select
      (select through_id from ledger_rollup_state where id = 1)::text as through_id,
      (select coalesce(max(id), 0) from ledger_entries)::text as max_id`),
  );
  return { throughId: Number(r.through_id), maxId: Number(r.max_id) };
}

describe("ledger daily rollup", () => {
  it("equals a direct SUM before, after and between roll-ups, with today and back-dated rows", async () => {
    const u = await createUser();
    const today = utcMidnight();
    const ids = await someRows(u.id);
    await backdate(ids[0], new Date(today - 3 * DAY + 5_000)); // 3 days ago
    await backdate(ids[1], new Date(today - 40 * DAY + 123)); // outside the 30-day window
    await expectExact({ rollUp: false }); // nothing rolled up for these rows yet: all live

    const r1 = await rollUpLedger();
    expect(r1.throughId).toBe((await state()).maxId);
    await expectExact({ rollUp: false });

    // Written after the roll-up: today, and one back-dated into a day the rollup already counted.
    const later = await someRows(u.id);
    await backdate(later[2], new Date(today - 3 * DAY + 60_000));
    await backdate(later[3], new Date(today - DAY - 1)); // the last ms of the day before yesterday
    expect((await state()).throughId).toBeLessThan(later[2]);
    await expectExact({ rollUp: false });

    // Rolling up again (and again: nothing new) changes no figure.
    await rollUpLedger();
    expect((await rollUpLedger()).added).toBe(0);
    expect((await state()).throughId).toBe((await state()).maxId);
    await expectExact();
  });

  it("concurrent roll-ups count every row once", async () => {
    const u = await createUser();
    await someRows(u.id);
    await someRows(u.id);
    await Promise.all([rollUpLedger({ maxRows: 3 }), rollUpLedger(), rollUpLedger({ maxRows: 7 })]);
    await rollUpLedger();
    await expectExact();
    const db = await getDb();
    const [c] = rowsOf<{ rolled: string; rows: string }>(
      await db.execute(sql`select
        (select coalesce(sum(entries), 0) from ledger_daily)::text as rolled,
        (select count(*) from ledger_entries where id <= (select through_id from ledger_rollup_state))::text as rows`),
    );
    expect(c.rolled).toBe(c.rows);
  });

  // Payments and refunds come from the rollup; revenue itself is recognised on delivery, from the
  // orders (lib/admin/finance.test.ts), so it is no longer payments − refunds.
  it("finance and dashboard payments and refunds equal the direct sums (today and a back-dated row included)", async () => {
    const u = await createUser();
    const today = utcMidnight();
    await rollUpLedger();
    const ids = await someRows(u.id);
    await backdate(ids[2], new Date(today - 5 * DAY + 42));
    const from = new Date(today - 29 * DAY);
    const fromDay = from.toISOString().slice(0, 10);
    const toDay = new Date(today).toISOString().slice(0, 10);
    for (const pass of ["live", "rolled up"]) {
      if (pass === "rolled up") await rollUpLedger();
      const want = await direct(from, new Date(today + DAY));
      const fin = await financeByDay({ from: fromDay, to: toDay }, 0);
      expect(fin).toHaveLength(30);
      for (const d of fin) {
        const w = want.get(d.day) ?? {};
        expect(d.paymentsSun, `${pass} ${d.day}`).toBe(-(w.order_payment ?? 0n));
        expect(d.refundsSun, `${pass} ${d.day}`).toBe(w.refund ?? 0n);
      }
      const now = new Date();
      const stats = await getDashboardStats(0, now);
      for (const win of stats.windows) {
        const sums = await direct(windowStart(win.window, now), now);
        let payments = 0n;
        let refunds = 0n;
        for (const t of sums.values()) {
          payments -= t.order_payment ?? 0n;
          refunds += t.refund ?? 0n;
        }
        expect(win.paymentsSun, `${pass} ${win.window}`).toBe(payments);
        expect(win.refundsSun, `${pass} ${win.window}`).toBe(refunds);
      }
    }
  });

  it("the roll-up-ledger Inngest function rolls the ledger up", async () => {
    const u = await createUser();
    await someRows(u.id);
    const t = new InngestTestEngine({ function: rollUpLedgerDaily });
    const { result, error } = await t.execute({ events: [{ name: "inngest/scheduled.timer", data: {} }] });
    expect(error).toBeUndefined();
    expect(result).toMatchObject({ throughId: (await state()).maxId });
  });

  it("does not wait for a long-open ledger transaction, and stays exact meanwhile", async () => {
    if ((await getDbKind()) === "pglite") return; // one connection: nothing can be open beside it
    const u = await createUser();
    await rollUpLedger();
    const db = await getDb();
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let inserted!: () => void;
    const open = new Promise<void>((r) => {
      inserted = r;
    });
    const tx = db
      .transaction(async (t) => {
        await credit({ userId: u.id, amountSun: 7n, idempotencyKey: `roll:open:${uniq()}` }, t);
        inserted();
        await held;
      })
      .catch(() => {});
    await open;
    await someRows((await createUser()).id); // another user: u's row is locked by the open transaction
    const before = (await state()).throughId;
    const r = await rollUpLedger({ lockTimeoutMs: 50 });
    expect(r).toEqual({ throughId: before, added: 0 });
    await expectExact({ rollUp: false });
    release();
    await tx;
    await rollUpLedger();
    await expectExact();
  });
});
