import { sql } from "drizzle-orm";
import { type Executor, getDb, rowsOf } from "@/db";
import type { LedgerType } from "./index";

/**
 * Ledger totals per UTC day, exact to the sun, served from a rollup (`ledger_daily`) plus a live
 * sum of whatever the rollup has not counted yet.
 *
 * The ledger is append-only (rows are never updated or deleted), so a sum over rows never goes
 * stale. The rollup counts every row with `id <= through_id` under the UTC day of its
 * `created_at`; a report adds the rows with `id > through_id` live. That stays exact for today,
 * for rows back-dated into an old day (they get a new, larger id), and whatever the report's range.
 *
 * `through_id` only moves to an id below which every row is committed: `rollUpLedger` reads
 * `max(id)` while holding a SHARE lock on `ledger_entries`, which waits for every open
 * inserting transaction to finish (identity ids are taken in order, so no smaller id can
 * appear afterwards). No trigger and nothing on the write path. This relies on two properties of
 * lib/ledger that must stay true: ledger rows are only ever inserted (never updated or deleted),
 * and their ids come from the INSERT itself (never a `nextval` taken ahead of it, which would let
 * a row with a smaller id commit after the watermark passed it).
 */
export type DayTotals = Partial<Record<LedgerType, bigint>>;

const DAY_MS = 86_400_000;
/** Roll up on read once this many ledger rows wait beyond the rollup. */
const ROLLUP_LAG_ROWS = 2_000;

const iso = (d: Date) => d.toISOString();
const dayFloor = (ms: number) => Math.floor(ms / DAY_MS) * DAY_MS;
const dayCeil = (ms: number) => Math.ceil(ms / DAY_MS) * DAY_MS;

type Row = Record<string, unknown>;

/**
 * Signed `amount_sun` sums per UTC day ("YYYY-MM-DD") and type, for ledger rows with
 * `from <= created_at < to`. Whole UTC days inside the range come from the rollup plus the rows
 * it has not counted; a partial day at either end is summed live from the ledger.
 */
export async function ledgerTotalsByDay(
  range: { from: Date; to: Date },
  opts: { types?: readonly LedgerType[]; db?: Executor; rollUp?: boolean } = {},
): Promise<Map<string, DayTotals>> {
  const out = new Map<string, DayTotals>();
  const from = range.from.getTime();
  const to = range.to.getTime();
  if (!(to > from)) return out;
  const db = opts.db ?? (await getDb());
  const types = opts.types?.length ? opts.types : null;
  const typeCond = types
    ? sql`and type in (${sql.join(
        types.map((t) => sql`${t}`),
        sql`, `,
      )})`
    : sql``;
  // Whole days [fullFrom, fullTo) use the rollup; [from, fullFrom) and [fullTo, to) are live.
  let fullFrom = dayCeil(from);
  let fullTo = dayFloor(to);
  if (fullTo <= fullFrom) fullFrom = fullTo = to;
  const liveRange = (a: number, b: number) =>
    b > a
      ? sql`union all
        select ((created_at at time zone 'UTC')::date)::text as day, type::text as type, amount_sun as amount
        from ledger_entries
        where created_at >= ${iso(new Date(a))}::timestamptz and created_at < ${iso(new Date(b))}::timestamptz ${typeCond}`
      : sql``;
  let w = await rollupWatermark(db, opts.rollUp !== false && !opts.db);
  for (let attempt = 0; ; attempt++) {
    // The watermark goes in as a value (so the planner reads only the few rows past it by id),
    // and the statement returns the watermark it saw (`#through` row): if a concurrent roll-up
    // moved it in between, the day rows and the live rows would overlap, so read again.
    const full =
      fullTo > fullFrom
        ? sql`union all
        select day::text, type::text, amount_sun from ledger_daily
        where day >= ${iso(new Date(fullFrom)).slice(0, 10)}::date and day < ${iso(new Date(fullTo)).slice(0, 10)}::date ${typeCond}
        union all
        select ((created_at at time zone 'UTC')::date)::text, type::text, amount_sun
        from ledger_entries
        where id > ${w} and created_at >= ${iso(new Date(fullFrom))}::timestamptz
          and created_at < ${iso(new Date(fullTo))}::timestamptz ${typeCond}`
        : sql``;
    const rows = rowsOf<Row>(
      await db.execute(sql`
        select day, type, sum(amount) as amount from (
          select '#through' as day, '' as type, coalesce((select through_id from ledger_rollup_state where id = 1), 0) as amount
          ${liveRange(from, fullFrom)}
          ${full}
          ${liveRange(fullTo, to)}
        ) x group by day, type`),
    );
    const seen = Number(rows.find((r) => r.day === "#through")?.amount ?? 0);
    if (seen !== w && fullTo > fullFrom) {
      if (attempt >= 5) throw new Error("The ledger rollup kept moving while it was read.");
      w = seen;
      continue;
    }
    for (const r of rows) {
      if (r.day === "#through") continue;
      const day = String(r.day);
      const t = out.get(day) ?? {};
      t[String(r.type) as LedgerType] = BigInt(String(r.amount));
      out.set(day, t);
    }
    return out;
  }
}

/** The rollup's `through_id`; first rolls up when more than ROLLUP_LAG_ROWS rows wait beyond it. */
async function rollupWatermark(db: Executor, rollUp: boolean): Promise<number> {
  const [r] = rowsOf<Row>(
    await db.execute(sql`select
      coalesce((select through_id from ledger_rollup_state where id = 1), 0) as through_id,
      coalesce((select max(id) from ledger_entries), 0) as max_id`),
  );
  const w = Number(r.through_id);
  if (rollUp && Number(r.max_id) - w > ROLLUP_LAG_ROWS) return (await rollUpLedger()).throughId;
  return w;
}
/**
 * Adds the ledger rows written since the last roll-up to `ledger_daily` and moves `through_id`.
 * Safe to run concurrently (the state row is locked while adding) and cheap to run often. Returns
 * the new `through_id`, or the old one when the ledger could not be locked within `lockTimeoutMs`
 * (a long-open ledger transaction): the reports stay exact either way, only a little slower.
 */
export async function rollUpLedger(
  opts: { lockTimeoutMs?: number; maxRows?: number } = {},
): Promise<{ throughId: number; added: number }> {
  const db = await getDb();
  const lockTimeoutMs = Math.max(1, Math.floor(opts.lockTimeoutMs ?? 200));
  const maxRows = Math.max(1, Math.floor(opts.maxRows ?? 1_000_000));
  // 1. A settled watermark: with the SHARE lock held no transaction has an uncommitted ledger row.
  let settled: number;
  try {
    settled = await db.transaction(async (tx) => {
      await tx.execute(sql.raw(`set local lock_timeout = '${lockTimeoutMs}ms'`));
      await tx.execute(sql`lock table ledger_entries in share mode`);
      const [m] = rowsOf<Row>(await tx.execute(sql`select coalesce(max(id), 0) as id from ledger_entries`));
      return Number(m.id);
    });
  } catch (e) {
    if (sqlState(e) !== "55P03") throw e; // lock_not_available
    const [s] = rowsOf<Row>(
      await db.execute(
        sql`select coalesce((select through_id from ledger_rollup_state where id = 1), 0) as id`,
      ),
    );
    return { throughId: Number(s.id), added: 0 };
  }
  // 2. Count (through_id, settled] into the day rows, under the state row's lock.
  return db.transaction(async (tx) => {
    await tx.execute(
      sql`insert into ledger_rollup_state (id, through_id) values (1, 0) on conflict (id) do nothing`,
    );
    const [s] = rowsOf<Row>(
      await tx.execute(sql`select through_id from ledger_rollup_state where id = 1 for update`),
    );
    const from = Number(s.through_id);
    const upTo = Math.min(settled, from + maxRows);
    if (upTo <= from) return { throughId: from, added: 0 };
    const [n] = rowsOf<Row>(
      await tx.execute(sql`
        with add as (
          select (created_at at time zone 'UTC')::date as day, type, sum(amount_sun) as amount, count(*) as n
          from ledger_entries where id > ${from} and id <= ${upTo}
          group by 1, 2
        ), up as (
          insert into ledger_daily (day, type, amount_sun, entries)
          select day, type, amount, n from add
          on conflict (day, type) do update set
            amount_sun = ledger_daily.amount_sun + excluded.amount_sun,
            entries = ledger_daily.entries + excluded.entries
          returning 1
        )
        select coalesce((select sum(n) from add), 0) as added, (select count(*) from up) as days`),
    );
    await tx.execute(
      sql`update ledger_rollup_state set through_id = ${upTo}, updated_at = now() where id = 1`,
    );
    return { throughId: upTo, added: Number(n.added) };
  });
}

function sqlState(e: unknown): string | undefined {
  let cur: any = e;
  for (let i = 0; i < 4 && cur; i++) {
    if (typeof cur.code === "string" && /^[0-9A-Z]{5}$/.test(cur.code)) return cur.code;
    cur = cur.cause;
  }
  return undefined;
}
