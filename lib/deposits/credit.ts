import { and, eq, lte } from "drizzle-orm";
import type { Db, Tx } from "@/db";
import { type Deposit, deposits } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { credit } from "@/lib/ledger";
import { logger } from "@/lib/log";
import { depositsCredited, depositsCreditedSun } from "@/lib/metrics";
import type { Settings } from "@/lib/settings";
import { HEAD_CURSOR, lockCursor, moveHeadCursor, moveSolidCursor, SOLID_CURSOR } from "./cursors";
import type { Found } from "./find";

/**
 * Recording and crediting what the scanner found. A deposit row is unique on (txid, log_index) and
 * only credited from status `seen`, and the ledger key is `deposit:<txid>:<logIndex>`: crediting is
 * exactly once however often the same block is read. The batch functions run inside the caller's
 * database transaction together with the cursor move, so a crash leaves either all or nothing.
 */

/** A USDT amount converts to sun as amountBase × rate / 1e6. */
const USDT_UNIT = 1_000_000n;
/**
 * A `seen` deposit (recorded from a head block) whose block the solidified chain has passed by this
 * many blocks (about 5 minutes) without containing its transfer was dropped by a fork: its row is
 * removed (it never moved money). Should the transfer still land later, it is recorded afresh.
 */
export const DROPPED_AFTER_BLOCKS = 100;

export type ScanHooks = {
  /** Tests: runs inside the crediting transaction after the credits, before the cursor moves. */
  beforeCommit?: (info: { from: number; to: number; credited: number }) => void | Promise<void>;
};

/**
 * USDT → sun at `rateSun` sun per 1 USDT: amountBase × rateSun / 1,000,000, the remainder ROUNDED
 * DOWN (integer division; in the operator's favour, at most 1 sun per deposit).
 */
export function usdtToSun(amountBase: bigint, rateSun: bigint): bigint {
  if (amountBase < 0n || rateSun <= 0n) throw new AppError("invalid_amount", "Invalid USDT conversion.");
  return (amountBase * rateSun) / USDT_UNIT;
}

type Recorded = { row: Deposit; inserted: boolean };

async function record(tx: Tx, f: Found, lock: boolean): Promise<Recorded> {
  const [ins] = await tx
    .insert(deposits)
    .values({
      userId: f.entry.userId,
      depositAddressId: f.entry.id,
      address: f.to,
      fromAddress: f.from,
      currency: f.currency,
      amountBase: f.amount,
      txid: f.txid,
      logIndex: f.logIndex,
      blockNumber: f.blockNumber,
      blockTime: f.blockTime,
      status: "seen",
    })
    .onConflictDoNothing({ target: [deposits.txid, deposits.logIndex] })
    .returning();
  if (ins) return { row: ins, inserted: true };
  const q = tx
    .select()
    .from(deposits)
    .where(and(eq(deposits.txid, f.txid), eq(deposits.logIndex, f.logIndex)));
  const [row] = lock ? await q.for("update") : await q;
  return { row, inserted: false };
}

/** What one transaction credited, counted into the metrics once it committed. */
type Credited = { currency: Found["currency"]; sun: bigint };

export function countCredited(list: Credited[]): void {
  for (const c of list) {
    depositsCredited.inc({ currency: c.currency });
    depositsCreditedSun.inc({ currency: c.currency }, Number(c.sun));
  }
}

/**
 * Credits one recorded deposit found in a solidified block (inside the batch transaction); a credit
 * is appended to `credited`.
 */
async function settle(
  tx: Tx,
  f: Found,
  row: Deposit,
  s: Settings,
  credited: Credited[],
): Promise<"credited" | "below_minimum" | "done"> {
  if (row.status !== "seen") return "done"; // already credited / below minimum: exactly once
  const min = f.currency === "TRX" ? s.minDepositTrxSun : s.minDepositUsdtBase;
  const rate = f.currency === "USDT" ? s.usdtRateSun : null;
  const creditSun = rate === null ? f.amount : usdtToSun(f.amount, rate);
  if (f.amount < min || creditSun <= 0n) {
    await tx
      .update(deposits)
      .set({ status: "below_minimum", blockNumber: f.blockNumber, blockTime: f.blockTime })
      .where(eq(deposits.id, row.id));
    return "below_minimum";
  }
  const { entry } = await credit(
    {
      userId: row.userId,
      amountSun: creditSun,
      idempotencyKey: `deposit:${f.txid}:${f.logIndex}`,
      referenceType: "deposit",
      referenceId: String(row.id),
      usdtRateSun: rate,
    },
    tx,
  );
  await tx
    .update(deposits)
    .set({
      status: "credited",
      creditedSun: creditSun,
      usdtRateSun: rate,
      creditedAt: new Date(),
      ledgerEntryId: entry.id,
      // A head-seen deposit may have moved to another block in a fork: keep the final one.
      blockNumber: f.blockNumber,
      blockTime: f.blockTime,
    })
    .where(eq(deposits.id, row.id));
  credited.push({ currency: f.currency, sun: creditSun });
  return "credited";
}

/**
 * Records and credits `found` in one database transaction (plus `inTx`, e.g. a cursor move), exactly
 * once per (txid, log index) like the block scanner. Used by the rescan and the account mode.
 */
export async function recordAndSettle(
  db: Db,
  found: Found[],
  s: Settings,
  inTx?: (tx: Tx) => Promise<void>,
): Promise<{ credited: number; belowMinimum: number; creditedRows: Deposit[] }> {
  const sums: Credited[] = [];
  const r = await db.transaction(async (tx) => {
    let credited = 0;
    let belowMinimum = 0;
    const creditedRows: Deposit[] = [];
    for (const f of found) {
      const rec = await record(tx, f, true);
      const o = await settle(tx, f, rec.row, s, sums);
      if (o === "credited") {
        credited++;
        creditedRows.push(rec.row);
      } else if (o === "below_minimum") belowMinimum++;
    }
    await inTx?.(tx);
    return { credited, belowMinimum, creditedRows };
  });
  countCredited(sums);
  return r;
}

/** What the crediting batch did; null from creditSolidBatch when another scan moved the cursor first. */
type SolidBatch = { credited: number; belowMinimum: number; seen: Deposit[]; sums: Credited[] };

/**
 * The crediting pass's transaction for solidified blocks [from, to]: records and credits `found`,
 * removes head-seen deposits a fork dropped, and moves the crediting cursor to `to`. Null (nothing
 * written) when the cursor no longer holds `cursor`: another scan did this batch.
 */
export async function creditSolidBatch(
  tx: Tx,
  p: {
    found: Found[];
    cursor: number;
    from: number;
    to: number;
    lastHash: string | null;
    solidifiedHead: number;
    settings: Settings;
    hooks?: ScanHooks;
  },
): Promise<SolidBatch | null> {
  if (!(await lockCursor(tx, SOLID_CURSOR, p.cursor))) return null;
  let credited = 0;
  let belowMinimum = 0;
  const seen: Deposit[] = [];
  const sums: Credited[] = [];
  for (const f of p.found) {
    const rec = await record(tx, f, true);
    if (rec.inserted) seen.push(rec.row);
    const outcome = await settle(tx, f, rec.row, p.settings, sums);
    if (outcome === "credited") credited++;
    else if (outcome === "below_minimum") belowMinimum++;
  }
  await dropForkedDeposits(tx, p.to);
  await p.hooks?.beforeCommit?.({ from: p.from, to: p.to, credited });
  await moveSolidCursor(tx, p.to, p.lastHash, p.solidifiedHead);
  return { credited, belowMinimum, seen, sums };
}

/** Removes `seen` deposits whose block the solidified chain passed DROPPED_AFTER_BLOCKS ago. */
async function dropForkedDeposits(tx: Tx, solidTo: number): Promise<void> {
  const dropped = await tx
    .delete(deposits)
    .where(and(eq(deposits.status, "seen"), lte(deposits.blockNumber, solidTo - DROPPED_AFTER_BLOCKS)))
    .returning({ id: deposits.id, txid: deposits.txid, userId: deposits.userId });
  if (dropped.length)
    logger.warn(
      { dropped },
      "head-seen deposits never reached a solidified block (dropped by a fork): removed",
    );
}

/**
 * The head pass's transaction: records `found` as seen (nothing is credited from a head block) and
 * moves the head cursor to `to`. Returns the newly recorded rows, or null when the cursor no longer
 * holds `cursor` (another scan did this batch).
 */
export async function recordHeadBatch(
  tx: Tx,
  p: { found: Found[]; cursor: number; to: number; headBlock: number },
): Promise<Deposit[] | null> {
  if (!(await lockCursor(tx, HEAD_CURSOR, p.cursor))) return null;
  const seen: Deposit[] = [];
  for (const f of p.found) {
    const rec = await record(tx, f, false);
    if (rec.inserted) seen.push(rec.row);
  }
  await moveHeadCursor(tx, p.to, p.headBlock);
  return seen;
}
