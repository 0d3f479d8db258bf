import { createHash } from "node:crypto";
import { and, desc, eq, lt, sql } from "drizzle-orm";
import { type Executor, fromRow, getDb, isUniqueViolation, rowsOf, type Tx } from "@/db";
import { type LedgerEntry, ledgerEntries, users } from "@/db/schema";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { formatTrx } from "@/lib/money";

/**
 * The balance ledger. Every balance change is one ledger row written by the same SQL statement
 * that changes the balance: a conditional `UPDATE users … WHERE balance + amount >= 0` feeding the
 * ledger `INSERT` in a CTE. The row lock taken by the UPDATE serialises changes per user; the
 * unique idempotency key makes a retry find the first result (and a violation undoes both halves).
 */
export type LedgerType = LedgerEntry["type"];

type PostInput = {
  userId: number;
  type: LedgerType;
  /** Signed: positive credits, negative debits. Never zero. */
  amountSun: bigint;
  idempotencyKey: string;
  referenceType?: string | null;
  referenceId?: string | null;
  usdtRateSun?: bigint | null;
  memo?: string | null;
  adminId?: number | null;
};

type PostResult = { entry: LedgerEntry; replayed: boolean };

const KEY_RE = /^[\x21-\x7e]{1,200}$/;

function fingerprintOf(i: PostInput): string {
  return createHash("sha256")
    .update(
      JSON.stringify([
        i.userId,
        i.type,
        i.amountSun.toString(),
        i.referenceType ?? null,
        i.referenceId ?? null,
        i.usdtRateSun?.toString() ?? null,
      ]),
    )
    .digest("hex")
    .slice(0, 32);
}

function validate(i: PostInput) {
  if (!Number.isSafeInteger(i.userId) || i.userId <= 0) throw new AppError("bad_request", "Invalid user.");
  if (typeof i.amountSun !== "bigint" || i.amountSun === 0n)
    throw new AppError("invalid_amount", "A ledger amount must be a non-zero integer of sun.");
  if (!KEY_RE.test(i.idempotencyKey)) throw new AppError("bad_request", "Invalid idempotency key.");
  const sign = i.amountSun > 0n ? 1 : -1;
  const expected: Record<LedgerType, 1 | -1 | 0> = {
    deposit: 1,
    refund: 1,
    order_payment: -1,
    adjustment: 0,
    referral_commission: 1,
    referral_reversal: -1,
    supplier_earning: 1,
    supplier_payout: -1,
    supplier_payout_return: 1,
    supplier_fee_refund: 1,
  };
  if (expected[i.type] !== 0 && expected[i.type] !== sign)
    throw new AppError("invalid_amount", `A ${i.type} cannot have that sign.`);
  if (i.type === "adjustment" && !i.memo?.trim())
    throw new AppError("bad_request", "An adjustment needs a reason.", { fields: { reason: "Required." } });
}

type Row = Record<string, any>;

async function findByKey(ex: Executor, key: string): Promise<LedgerEntry | undefined> {
  const [row] = await ex.select().from(ledgerEntries).where(eq(ledgerEntries.idempotencyKey, key)).limit(1);
  return row;
}

function replayOrConflict(existing: LedgerEntry, input: PostInput, fp: string): PostResult {
  if (existing.fingerprint !== fp)
    throw new AppError(
      "idempotency_conflict",
      "This request id was already used for a different operation.",
      {
        details: { idempotencyKey: input.idempotencyKey },
      },
    );
  return { entry: existing, replayed: true };
}

function postingCtesWith(i: PostInput, fp: string) {
  return sql`
    ledger_u as (
      update users set balance_sun = balance_sun + ${i.amountSun}, updated_at = now()
      where id = ${i.userId} and balance_sun + ${i.amountSun} >= 0
      returning id, balance_sun
    ),
    ledger_e as (
      insert into ledger_entries
        (user_id, type, amount_sun, balance_after_sun, reference_type, reference_id,
         idempotency_key, fingerprint, usdt_rate_sun, memo, admin_id)
      select ledger_u.id, ${i.type}, ${i.amountSun}, ledger_u.balance_sun, ${i.referenceType ?? null},
         ${i.referenceId ?? null}, ${i.idempotencyKey}, ${fp}, ${i.usdtRateSun ?? null}, ${i.memo ?? null},
         ${i.adminId ?? null}
      from ledger_u
      returning *
    )`;
}

function applyStatement(i: PostInput, fp: string) {
  return sql`with ${postingCtesWith(i, fp)} select * from ledger_e`;
}

/**
 * One posting as two CTEs, for a caller that writes its own rows in the same statement (one
 * commit, one round trip): `ledger_u`, the conditional balance UPDATE, and `ledger_e`, the new
 * entry — no row when the balance is short or the user does not exist. Rows the caller inserts
 * `from ledger_e` exist exactly when the posting does; a key already used aborts the whole
 * statement with a unique violation (the caller looks up what it replays). Validated like `post`.
 */
export function postingCtes(input: PostInput) {
  validate(input);
  return postingCtesWith(input, fingerprintOf(input));
}

async function explainMiss(ex: Executor, i: Pick<PostInput, "userId" | "amountSun">): Promise<never> {
  const [u] = await ex.select({ balance: users.balanceSun }).from(users).where(eq(users.id, i.userId));
  if (!u) throw new AppError("not_found", "User not found.");
  const needed = -i.amountSun;
  throw new AppError(
    "insufficient_balance",
    `Insufficient balance: you need ${formatTrx(needed)}, you have ${formatTrx(u.balance)}.`,
    { details: { balanceSun: u.balance.toString(), neededSun: needed.toString() } },
  );
}

/** Throws why a debit of `amountSun` (positive) from `userId` could not be made: `insufficient_balance` or `not_found`. */
export async function explainShortBalance(userId: number, amountSun: bigint): Promise<never> {
  return explainMiss(await getDb(), { userId, amountSun: -amountSun });
}

/**
 * Posts one ledger entry atomically. With `tx`, it joins that transaction (inside a savepoint so a
 * duplicate key can be resolved without aborting the caller's work); without, it is one statement.
 * The same key with the same content returns the first entry (`replayed: true`) and changes nothing;
 * the same key with other content throws `idempotency_conflict`; too little balance throws
 * `insufficient_balance` and changes nothing.
 */
export async function post(input: PostInput, tx?: Tx): Promise<PostResult> {
  validate(input);
  const fp = fingerprintOf(input);
  if (tx) {
    const existing = await findByKey(tx, input.idempotencyKey);
    if (existing) return replayOrConflict(existing, input, fp);
    try {
      const rows = await tx.transaction(async (sp) =>
        rowsOf<Row>(await sp.execute(applyStatement(input, fp))),
      );
      if (rows.length === 0) return explainMiss(tx, input);
      return { entry: fromRow(ledgerEntries, rows[0]), replayed: false };
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      const raced = await findByKey(tx, input.idempotencyKey);
      if (!raced) throw e;
      return replayOrConflict(raced, input, fp);
    }
  }
  const outcome = await enqueue(input, fp);
  const db = await getDb();
  if (outcome.status === "ok") return { entry: outcome.entry, replayed: false };
  // 'dup': the key exists (maybe from this very batch); 'miss': too little balance, or no such user.
  const existing = await findByKey(db, input.idempotencyKey);
  if (existing) return replayOrConflict(existing, input, fp);
  if (outcome.status === "dup") throw new AppError("internal", "Ledger key conflict could not be resolved.");
  return explainMiss(db, input);
}

/*
 * Group commit. Standalone postings are queued and applied by `ledger_post_batch` (migration 0001):
 * whatever arrived while earlier batches were in flight goes into the next one, so under load many
 * postings share one transaction and one commit (the hot-user case is bound by commit latency
 * otherwise), while a lone posting is sent at once. Per-posting semantics are those of the single
 * statement: a duplicate key or a short balance affects only that posting.
 */
type Outcome = { status: "ok"; entry: LedgerEntry } | { status: "dup" | "miss" };
type Pending = { input: PostInput; fp: string; resolve: (o: Outcome) => void; reject: (e: unknown) => void };

const MAX_BATCH = 200;
const queue: Pending[] = [];
let inflight = 0;

function enqueue(input: PostInput, fp: string): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    queue.push({ input, fp, resolve, reject });
    schedulePump();
  });
}

/*
 * Batches are cut one macrotask later, not at once: when a batch returns, its callers resume (in
 * microtasks) and post again before the next cut, so they travel together instead of the first of
 * them going alone.
 */
let pumpScheduled = false;
function schedulePump() {
  if (pumpScheduled) return;
  pumpScheduled = true;
  setImmediate(() => {
    pumpScheduled = false;
    pump();
  });
}

function maxInflight(): number {
  return env.DATABASE_URL ? Math.min(env.LEDGER_BATCH_CONCURRENCY, env.DATABASE_POOL_SIZE) : 1;
}

function pump() {
  while (inflight < maxInflight() && queue.length > 0) {
    const batch = queue.splice(0, MAX_BATCH);
    inflight++;
    flush(batch).finally(() => {
      inflight--;
      schedulePump();
    });
  }
}

async function flush(batch: Pending[]): Promise<void> {
  try {
    const db = await getDb();
    const items = batch.map((p, i) => ({
      i,
      user_id: p.input.userId,
      type: p.input.type,
      amount: p.input.amountSun.toString(),
      key: p.input.idempotencyKey,
      fingerprint: p.fp,
      reference_type: p.input.referenceType ?? null,
      reference_id: p.input.referenceId ?? null,
      usdt_rate: p.input.usdtRateSun?.toString() ?? null,
      memo: p.input.memo ?? null,
      admin_id: p.input.adminId ?? null,
    }));
    const rows = rowsOf<Row>(
      await db.execute(sql`select * from ledger_post_batch(${JSON.stringify(items)}::jsonb)`),
    );
    for (const r of rows) {
      const p = batch[Number(r.o_idx)];
      if (r.o_status === "ok") {
        p.resolve({
          status: "ok",
          entry: {
            id: Number(r.o_entry_id),
            userId: p.input.userId,
            type: p.input.type,
            amountSun: p.input.amountSun,
            balanceAfterSun: BigInt(r.o_balance_after),
            referenceType: p.input.referenceType ?? null,
            referenceId: p.input.referenceId ?? null,
            idempotencyKey: p.input.idempotencyKey,
            fingerprint: p.fp,
            usdtRateSun: p.input.usdtRateSun ?? null,
            memo: p.input.memo ?? null,
            adminId: p.input.adminId ?? null,
            createdAt: r.o_created_at instanceof Date ? r.o_created_at : new Date(r.o_created_at),
          },
        });
      } else p.resolve({ status: r.o_status });
    }
    for (const p of batch) p.reject(new Error("ledger batch returned no result for a posting"));
  } catch (e) {
    if (batch.length === 1) {
      batch[0].reject(e);
      return;
    }
    // Something unexpected failed the whole batch: apply each posting alone so one bad posting
    // cannot fail the others.
    await Promise.all(batch.map((p) => flush([p])));
  }
}

type Common = Omit<PostInput, "type" | "amountSun"> & { amountSun: bigint };

const positive = (a: bigint) => {
  if (typeof a !== "bigint" || a <= 0n) throw new AppError("invalid_amount", "Amount must be positive.");
  return a;
};

/** Adds money (a deposit). */
export const credit = async (i: Common, tx?: Tx) =>
  post({ ...i, type: "deposit", amountSun: positive(i.amountSun) }, tx);
/** Takes money for an order; `insufficient_balance` when short. */
export const debit = async (i: Common, tx?: Tx) =>
  post({ ...i, type: "order_payment", amountSun: -positive(i.amountSun) }, tx);
/** Gives money back (failed or cancelled orders). */
export const refund = async (i: Common, tx?: Tx) =>
  post({ ...i, type: "refund", amountSun: positive(i.amountSun) }, tx);
/** A manual correction by an operator, signed, with a required reason in `memo`. */
export const adjust = async (i: Common, tx?: Tx) => post({ ...i, type: "adjustment" }, tx);

export async function getBalance(userId: number, ex?: Executor): Promise<bigint> {
  const db = ex ?? (await getDb());
  const [u] = await db.select({ b: users.balanceSun }).from(users).where(eq(users.id, userId));
  if (!u) throw new AppError("not_found", "User not found.");
  return u.b;
}

export async function listLedgerEntries(opts: {
  userId: number;
  limit?: number;
  beforeId?: number;
}): Promise<LedgerEntry[]> {
  const db = await getDb();
  return db
    .select()
    .from(ledgerEntries)
    .where(
      and(
        eq(ledgerEntries.userId, opts.userId),
        opts.beforeId ? lt(ledgerEntries.id, opts.beforeId) : undefined,
      ),
    )
    .orderBy(desc(ledgerEntries.id))
    .limit(Math.min(opts.limit ?? 50, 500));
}

/** Users whose balance differs from the sum of their ledger rows (should always be empty). */
export async function findLedgerMismatches(
  ex?: Executor,
): Promise<{ userId: number; balance: bigint; sum: bigint }[]> {
  const db = ex ?? (await getDb());
  const rows = rowsOf<Row>(
    await db.execute(sql`
      select u.id, u.balance_sun, coalesce(sum(l.amount_sun), 0) as total
      from users u left join ledger_entries l on l.user_id = u.id
      group by u.id having u.balance_sun <> coalesce(sum(l.amount_sun), 0)`),
  );
  return rows.map((r) => ({ userId: Number(r.id), balance: BigInt(r.balance_sun), sum: BigInt(r.total) }));
}
