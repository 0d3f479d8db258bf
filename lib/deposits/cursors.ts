import { eq, inArray, sql } from "drizzle-orm";
import { type Db, getDb, rowsOf, type Tx } from "@/db";
import { chainCursors } from "@/db/schema";
import { raiseAlert, resolveAlert } from "@/lib/alerts";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/log";

/**
 * The scanner's cursors in `chain_cursors`: `deposits:solid` (the crediting cursor, up to the
 * solidified head; it also holds why the scanner stopped, if it did) and `deposits:head` (display
 * only, the blocks above it). See scanner.ts for what each pass does with them.
 */

export const SOLID_CURSOR = "deposits:solid";
export const HEAD_CURSOR = "deposits:head";

/**
 * Where a fresh scanner starts: DEPOSIT_SCAN_START_BLOCK, else the block at which the first deposit
 * address was handed out (an address whose block was not recorded counts from its creation time,
 * with a margin), else the solidified head (no address yet: nothing can have been sent).
 */
export async function scanStartBlock(
  db: Db,
  head: { number: number; timestamp: number },
  solidHead: number,
): Promise<number> {
  if (env.DEPOSIT_SCAN_START_BLOCK !== undefined) return env.DEPOSIT_SCAN_START_BLOCK;
  const [r] = rowsOf<{ first: string | number | null; created: Date | string | null }>(
    await db.execute(sql`
      select min(first_block) as first,
             min(created_at) filter (where first_block is null) as created
        from deposit_addresses`),
  );
  let start = solidHead;
  if (r?.first !== null && r?.first !== undefined) start = Math.min(start, Number(r.first));
  if (r?.created) {
    const ageBlocks = Math.ceil((head.timestamp - new Date(r.created).getTime()) / 3000);
    start = Math.min(start, Math.max(0, head.number - ageBlocks - 20));
  }
  return Math.max(0, start);
}

/** Creates both cursors at `start() - 1` unless the crediting one exists already. */
export async function ensureCursors(db: Db, start: () => Promise<number>): Promise<void> {
  const [have] = await db
    .select({ n: chainCursors.name })
    .from(chainCursors)
    .where(eq(chainCursors.name, SOLID_CURSOR));
  if (have) return;
  const s = (await start()) - 1;
  await db
    .insert(chainCursors)
    .values([
      { name: SOLID_CURSOR, blockNumber: s },
      { name: HEAD_CURSOR, blockNumber: s },
    ])
    .onConflictDoNothing({ target: chainCursors.name });
}

export type CursorRow = { n: number; hash: string | null; problem: string | null };

export async function readCursor(db: Db | Tx, name: string): Promise<CursorRow> {
  const [c] = await db
    .select({ n: chainCursors.blockNumber, hash: chainCursors.blockHash, problem: chainCursors.problem })
    .from(chainCursors)
    .where(eq(chainCursors.name, name));
  if (!c) throw new AppError("internal", `Cursor ${name} is missing.`);
  return { n: Number(c.n), hash: c.hash, problem: c.problem };
}

/** Locks a cursor row; true when it still holds `expected` (no concurrent scan moved it). */
export async function lockCursor(tx: Tx, name: string, expected: number): Promise<boolean> {
  const rows = rowsOf<{ block_number: string | number | bigint }>(
    await tx.execute(sql`select block_number from chain_cursors where name = ${name} for update`),
  );
  return rows.length === 1 && Number(rows[0].block_number) === expected;
}

/**
 * Admin and tests: puts both cursors at `nextBlock - 1` (the next scan starts at `nextBlock`), or
 * deletes them (`null`: the next scan starts where a fresh one does, see scanStartBlock). Clears a
 * stopped scanner's problem. Rescanning is safe: everything is idempotent.
 */
export async function setScanCursor(nextBlock: number | null): Promise<void> {
  const db = await getDb();
  if (nextBlock === null) {
    await db.delete(chainCursors).where(inArray(chainCursors.name, [SOLID_CURSOR, HEAD_CURSOR]));
  } else {
    for (const name of [SOLID_CURSOR, HEAD_CURSOR]) {
      const set = { blockNumber: nextBlock - 1, blockHash: null, problem: null };
      await db
        .insert(chainCursors)
        .values({ name, ...set })
        .onConflictDoUpdate({ target: chainCursors.name, set });
    }
  }
  await resolveAlert("deposit-scanner-chain").catch(() => {});
}

/** Records why the scanner stopped (once per distinct problem): log, cursor row, alert. */
export async function stopScanner(db: Db, problem: string, details: Record<string, unknown>): Promise<void> {
  const cur = await readCursor(db, SOLID_CURSOR);
  if (cur.problem !== problem) {
    logger.error({ ...details, problem }, "deposit scanner stopped: the chain went backwards");
    await db
      .update(chainCursors)
      .set({ problem, lastRunAt: new Date() })
      .where(eq(chainCursors.name, SOLID_CURSOR));
  } else {
    await db.update(chainCursors).set({ lastRunAt: new Date() }).where(eq(chainCursors.name, SOLID_CURSOR));
  }
  try {
    await raiseAlert({
      rule: "deposit_scanner_chain",
      dedupeKey: "deposit-scanner-chain",
      severity: "critical",
      message: `The deposit scanner stopped: ${problem} Nothing is credited until it is restarted at the right block (console: any user page, Deposits → "Restart the scanner at this block").`,
      details,
    });
  } catch (e) {
    logger.error({ error: (e as Error).message }, "could not raise the scanner alert");
  }
}

// ---------------------------------------------------------------- status

type ScannerStatus = {
  cursor: number | null;
  head: number | null;
  solidifiedHead: number | null;
  lagBlocks: number | null;
  lastRunAt: Date | null;
  /** Why the scanner stopped (the chain went backwards under it), or null. */
  problem: string | null;
};

/** Scanner position for /api/health and the admin console (no chain call). */
export async function scannerStatus(): Promise<ScannerStatus> {
  const db = await getDb();
  const rows = await db
    .select()
    .from(chainCursors)
    .where(inArray(chainCursors.name, [SOLID_CURSOR, HEAD_CURSOR]));
  const solid = rows.find((r) => r.name === SOLID_CURSOR);
  const head = rows.find((r) => r.name === HEAD_CURSOR);
  if (env.DEPOSIT_SCAN_MODE === "accounts") {
    // account-endpoint mode has no block cursor: its runs are what the health check watches
    const [acc] = await db.select().from(chainCursors).where(eq(chainCursors.name, "deposits:accounts"));
    return {
      cursor: null,
      head: acc?.headBlockNumber != null ? Number(acc.headBlockNumber) : null,
      solidifiedHead: acc?.headBlockNumber != null ? Number(acc.headBlockNumber) : null,
      lagBlocks: null,
      lastRunAt: acc?.lastRunAt ?? null,
      problem: null,
    };
  }
  const cursor = solid ? Number(solid.blockNumber) : null;
  const headNum = head?.headBlockNumber != null ? Number(head.headBlockNumber) : null;
  const solidNum = solid?.headBlockNumber != null ? Number(solid.headBlockNumber) : null;
  return {
    cursor,
    head: headNum,
    solidifiedHead: solidNum,
    lagBlocks: cursor !== null && headNum !== null ? Math.max(0, headNum - cursor) : null,
    lastRunAt: solid?.lastRunAt ?? null,
    problem: solid?.problem ?? null,
  };
}

/** Moves the crediting cursor past a credited batch (inside its transaction) and clears any problem. */
export async function moveSolidCursor(
  tx: Tx,
  to: number,
  blockHash: string | null,
  solidifiedHead: number,
): Promise<void> {
  await tx
    .update(chainCursors)
    .set({
      blockNumber: to,
      blockHash,
      problem: null,
      lastRunAt: new Date(),
      headBlockNumber: solidifiedHead,
    })
    .where(eq(chainCursors.name, SOLID_CURSOR));
}

/** Moves the head cursor past a recorded batch (inside its transaction). */
export async function moveHeadCursor(tx: Tx, to: number, headBlock: number): Promise<void> {
  await tx
    .update(chainCursors)
    .set({ blockNumber: to, lastRunAt: new Date(), headBlockNumber: headBlock })
    .where(eq(chainCursors.name, HEAD_CURSOR));
}

/** A crediting pass with no new solidified block: the run and the node's head are still recorded. */
export async function markSolidPassIdle(db: Db, solidifiedHead: number): Promise<void> {
  await db
    .update(chainCursors)
    .set({ lastRunAt: new Date(), headBlockNumber: solidifiedHead, problem: null })
    .where(eq(chainCursors.name, SOLID_CURSOR));
}

/** A head pass with no new block: the run and the node's head are still recorded. */
export async function markHeadPassIdle(db: Db, headBlock: number): Promise<void> {
  await db
    .update(chainCursors)
    .set({ lastRunAt: new Date(), headBlockNumber: headBlock })
    .where(eq(chainCursors.name, HEAD_CURSOR));
}
