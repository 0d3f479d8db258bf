import { type Db, getDb } from "@/db";
import type { Deposit } from "@/db/schema";
import { raiseAlert, resolveAlert } from "@/lib/alerts";
import { logger } from "@/lib/log";
import { getSettings } from "@/lib/settings";
import { type TronClient, tron } from "@/lib/tron/client";
import { type AddressMaps, refreshAddressSet } from "./addresses";
import { countCredited, creditSolidBatch, recordHeadBatch, type ScanHooks } from "./credit";
import {
  type CursorRow,
  ensureCursors,
  markHeadPassIdle,
  markSolidPassIdle,
  readCursor,
  HEAD_CURSOR,
  SOLID_CURSOR,
  scanStartBlock,
  stopScanner,
} from "./cursors";
import { recordPackageUses } from "@/lib/packages";
import { markSenders } from "@/lib/watch";
import { findDeposits, scanReader } from "./find";
import { publishCreditedDeposits, publishDepositsSeen } from "./notify";
import { announceRentalTransfers, recordRentalTransfers } from "@/lib/transfers/record";
import { type LeanBlock, RateLimitedError, type ScanReader, scannerPausedUntil } from "./reader";
/**
 * The deposit block scanner. Two cursors in `chain_cursors`:
 *
 * - `deposits:solid` (the crediting cursor): reads blocks up to the SOLIDIFIED head, records every
 *   transfer to one of our deposit addresses and credits it. The deposits, the ledger credits and
 *   the cursor move in ONE database transaction per batch: a crash anywhere before the commit leaves
 *   nothing behind and the next run re-reads the same blocks; a crash after it resumes after them.
 *   Crediting is idempotent twice over: the deposit row is unique on (txid, log_index) and is only
 *   credited from status `seen`, and the ledger key is `deposit:<txid>:<logIndex>`.
 * - `deposits:head` (display only): reads the few blocks above the solidified head and records
 *   their deposits as `seen` at once, so users see a payment with its confirmations before it is
 *   final. It makes no receipt (info) calls: native TRX transfers and direct USDT `transfer` calls
 *   are read from the block itself. Nothing is ever credited from a head block: only what is found
 *   again in a solidified block is, so a deposit in a head block that is later dropped by a fork is
 *   never credited (and its `seen` row goes once the solidified chain is DROPPED_AFTER_BLOCKS past it).
 *
 * What is credited (the product accepts TRX and USDT):
 * - TRX: a successful TransferContract to the address (log_index −1), and TRX a contract sent to it
 *   inside a successful call (an internal transaction, not rejected; log_index −2 − its index in
 *   the receipt's `internal_transactions`; needs a node that keeps internal transactions, as
 *   TronGrid does).
 * - USDT: each `Transfer` log of the configured USDT contract to the address in a successful call
 *   (log_index = the log's index).
 * Anything else (TRC10, other tokens) is not credited and never swept: see collect.ts.
 *
 * The chain cost is one `getblockbylimitnext` per batch (sized by reader.ts to a byte and time
 * budget) plus, on the crediting pass only, one `gettransactioninfobyblocknum` per block that holds a
 * contract call: independent of the number of users.
 *
 * The scanner refuses to go on when the chain went backwards under it (the node's solidified head is
 * behind the cursor, or the next block does not continue the last one read: a devnet reset, a node
 * of another chain): it says so (log, health check, alert) and waits for an operator instead of
 * waiting silently or crediting from a different chain.
 *
 * The pass in steps (scanOnce): read the heads and the address set (startPass) → refuse a chain that
 * went backwards (chainProblem) → credit the next solidified blocks (creditSolidified: read and match
 * in find.ts, record and credit in credit.ts, one transaction with the cursor, cursors.ts) → record
 * the head blocks as seen (recordHeadBlocks) → notify (notify.ts, after commit) → the lag alert.
 */

/** Crediting pass (solidified blocks): range read, deposits found, credited now. */
type CreditCounts = {
  from: number;
  to: number;
  found: number;
  credited: number;
  belowMinimum: number;
  /** Transfers to our addresses of what the product does not accept (TRC10): not credited. */
  notAccepted: number;
};

export type ScanResult = CreditCounts & {
  /** Head pass (unsolidified blocks): range read and deposits newly recorded as seen. */
  head: { from: number; to: number; seen: number };
  headBlock: number;
  solidifiedHead: number;
  /** True when both cursors reached their heads (no need to run again right away). */
  caughtUp: boolean;
  /** Set when the chain went backwards under the scanner: nothing was read or credited. */
  problem?: string;
  /** Set when the node rate-limited the scanner: no read before this time (ms). */
  pausedUntil?: number;
  /** Watched addresses (lib/watch) the crediting pass marked as having sent a transaction. */
  watched?: number;
};

/** A pass that read nothing (paused, or nothing to read yet), with `extra` set. */
export function emptyScanResult(extra: Partial<ScanResult> = {}): ScanResult {
  return {
    from: 0,
    to: 0,
    found: 0,
    credited: 0,
    belowMinimum: 0,
    notAccepted: 0,
    head: { from: 0, to: 0, seen: 0 },
    headBlock: 0,
    solidifiedHead: 0,
    caughtUp: true,
    ...extra,
  };
}

/** A scan pass: its chain reads and the cursor it starts from. */
type Pass = {
  client: TronClient;
  reader: ScanReader;
  db: Db;
  maxBlocks: number;
  maps: AddressMaps;
  head: { number: number };
  solid: { number: number };
  /** The crediting cursor as the pass found it. */
  cursor: CursorRow;
};

/** What the crediting pass did. */
type SolidOutcome = CreditCounts & {
  seen: Deposit[];
  /** Where the crediting cursor stands after the pass. */
  cursorAfter: number;
  /** Set when the read blocks do not continue the cursor's: nothing was credited. */
  problem?: string;
  /** Watched addresses (lib/watch) marked as having sent a transaction in these blocks. */
  watched?: number;
};

/** What the head pass did. */
type HeadOutcome = { from: number; to: number; seen: Deposit[] };

const BEHIND_CURSOR = "is behind the scanner's cursor";

/**
 * One scan step: up to `maxBlocks` solidified blocks (recorded and credited) and up to `maxBlocks`
 * head blocks (recorded as seen). Call again while `caughtUp` is false.
 */
export async function scanOnce(
  opts: { client?: TronClient; maxBlocks?: number; hooks?: ScanHooks } = {},
): Promise<ScanResult> {
  const client = opts.client ?? tron();
  const maxBlocks = Math.max(1, Math.min(opts.maxBlocks ?? 100, 10_000));
  const db = await getDb();
  const paused = scannerPausedUntil(client);
  if (paused) return emptyScanResult({ pausedUntil: paused, caughtUp: false });
  const reader = scanReader(client);
  try {
    const pass = await startPass(client, reader, db, maxBlocks);
    const problem = await chainProblem(pass);
    if (problem) return stoppedResult(pass, problem);
    const solid = await creditSolidified(pass, opts.hooks);
    if (solid.problem) return stoppedResult(pass, solid.problem);
    if (pass.cursor.problem) await resolveAlert("deposit-scanner-chain").catch(() => {});
    const head = await recordHeadBlocks(pass, solid.cursorAfter);
    await notifyDeposits(db, [...solid.seen, ...head.seen]);
    const result = passResult(pass, solid, head);
    if (result.found || result.head.seen || result.notAccepted) logger.info({ ...result }, "deposit scan");
    await updateLagAlert(pass.head.number - solid.cursorAfter, solid.cursorAfter, pass.head.number);
    return result;
  } catch (e) {
    if (e instanceof RateLimitedError) return emptyScanResult({ pausedUntil: e.until, caughtUp: false });
    throw e;
  }
}

/** Reads the address set and both heads, creates the cursors on a first run, reads the crediting one. */
async function startPass(client: TronClient, reader: ScanReader, db: Db, maxBlocks: number): Promise<Pass> {
  const [maps, head, solid] = await Promise.all([
    refreshAddressSet(),
    reader.nowBlock(false),
    reader.nowBlock(true),
  ]);
  await ensureCursors(db, () => scanStartBlock(db, head, solid.number));
  const cursor = await readCursor(db, SOLID_CURSOR);
  return { client, reader, db, maxBlocks, maps, head, solid, cursor };
}

/**
 * Why this pass must not read: the node's solidified head is behind the cursor (recorded: log,
 * cursor row, alert), or the scanner already stopped on a problem an operator has to clear. A
 * cursor ahead of the node may be a node catching up, so that one problem does not keep it stopped.
 */
async function chainProblem(p: Pass): Promise<string | null> {
  if (p.cursor.n > p.solid.number) {
    const problem = `the node's solidified head (block ${p.solid.number}) ${BEHIND_CURSOR} (block ${p.cursor.n}): the chain went backwards (a reset devnet, or a node of another chain).`;
    await stopScanner(p.db, problem, { cursor: p.cursor.n, solidifiedHead: p.solid.number });
    return problem;
  }
  if (p.cursor.problem && !p.cursor.problem.includes(BEHIND_CURSOR)) return p.cursor.problem;
  return null;
}

/** The result of a pass that read nothing because of `problem`. */
function stoppedResult(p: Pass, problem: string): ScanResult {
  return emptyScanResult({
    from: p.cursor.n + 1,
    to: p.cursor.n,
    headBlock: p.head.number,
    solidifiedHead: p.solid.number,
    problem,
  });
}

/**
 * The crediting pass: reads the next solidified blocks (receipts included), checks they continue the
 * block the cursor was left on, then records and credits their deposits and moves the cursor in one
 * transaction.
 */
async function creditSolidified(p: Pass, hooks?: ScanHooks): Promise<SolidOutcome> {
  const cursor = p.cursor.n;
  const from = cursor + 1;
  const to = Math.min(p.solid.number, cursor + p.maxBlocks);
  const out: SolidOutcome = {
    from,
    to,
    found: 0,
    credited: 0,
    belowMinimum: 0,
    notAccepted: 0,
    seen: [],
    cursorAfter: cursor,
  };
  if (to < from) {
    await markSolidPassIdle(p.db, p.solid.number);
    return out;
  }
  const r = await findDeposits(p.client, from, to, p.maps, { receipts: true, reader: p.reader });
  const problem = await checkContinuity(p, from, r.blocks[0]);
  if (problem) return { ...out, problem };
  out.found = r.found.length;
  out.notAccepted = r.notAccepted;
  const settings = await getSettings();
  let rental: number[] = [];
  let watched = 0;
  const batch = await p.db.transaction(async (tx) => {
    const b = await creditSolidBatch(tx, {
      found: r.found,
      cursor,
      from,
      to,
      lastHash: r.blocks[r.blocks.length - 1]?.blockId ?? null,
      solidifiedHead: p.solid.number,
      settings,
      hooks,
    });
    // pay by transfer (lib/transfers): payments to the rental address, with the same cursor move
    if (b) rental = await recordRentalTransfers(tx, r, "solid", to);
    // per-transfer packages (lib/packages): their addresses' USDT transfers counted once by txid
    if (b) await recordPackageUses(tx, r.blocks, p.client.config.usdtContract);
    // watched addresses that sent something in these blocks (lib/watch), with the cursor move
    if (b) watched = await markSenders(tx, r.blocks);
    return b;
  });
  if (!batch) return { ...out, cursorAfter: (await readCursor(p.db, SOLID_CURSOR)).n }; // another scan did it
  await announceRentalTransfers(rental, "solid");
  countCredited(batch.sums);
  return {
    ...out,
    credited: batch.credited,
    belowMinimum: batch.belowMinimum,
    seen: batch.seen,
    cursorAfter: to,
    watched,
  };
}

/**
 * Whether the first block read continues the block the cursor was left on; if not (a reset devnet,
 * a node of another chain), the scanner stops and the problem is returned.
 */
async function checkContinuity(p: Pass, from: number, first: LeanBlock | undefined): Promise<string | null> {
  const { hash } = p.cursor;
  if (!hash || !first?.parentHash || first.parentHash === hash) return null;
  const problem = `block ${from} does not continue block ${p.cursor.n} as the scanner read it (parent …${first.parentHash.slice(16, 32)}…, read …${hash.slice(16, 32)}…): the chain under the scanner changed (a reset devnet, or a node of another chain).`;
  await stopScanner(p.db, problem, { cursor: p.cursor.n, expected: hash, parent: first.parentHash });
  return problem;
}

/**
 * The head pass (display only, no receipt calls): the blocks above both cursors up to the head,
 * their deposits recorded as seen and the head cursor moved, in one transaction.
 */
async function recordHeadBlocks(p: Pass, solidCursor: number): Promise<HeadOutcome> {
  const headCursor = (await readCursor(p.db, HEAD_CURSOR)).n;
  const base = Math.max(headCursor, solidCursor);
  const from = base + 1;
  const to = Math.min(p.head.number, base + p.maxBlocks);
  if (to < from) {
    await markHeadPassIdle(p.db, p.head.number);
    return { from, to: base, seen: [] };
  }
  const r = await findDeposits(p.client, from, to, p.maps, { receipts: false, reader: p.reader });
  let rental: number[] = [];
  const seen = await p.db.transaction(async (tx) => {
    const s = await recordHeadBatch(tx, { found: r.found, cursor: headCursor, to, headBlock: p.head.number });
    // pay by transfer (lib/transfers): delivered from the head block when within the risk cap
    if (s) rental = await recordRentalTransfers(tx, r, "head");
    return s;
  });
  await announceRentalTransfers(rental, "head");
  return { from, to, seen: seen ?? [] };
}

/** Deposit events after commit (never failing the scan), and the re-send of credited ones not yet announced. */
async function notifyDeposits(db: Db, newlySeen: Deposit[]): Promise<void> {
  await publishDepositsSeen(newlySeen);
  await publishCreditedDeposits(db);
}

function passResult(p: Pass, solid: SolidOutcome, head: HeadOutcome): ScanResult {
  return {
    from: solid.from,
    to: Math.max(solid.to, p.cursor.n),
    found: solid.found,
    credited: solid.credited,
    belowMinimum: solid.belowMinimum,
    notAccepted: solid.notAccepted,
    head: { from: head.from, to: head.to, seen: head.seen.length },
    headBlock: p.head.number,
    solidifiedHead: p.solid.number,
    caughtUp: solid.cursorAfter >= p.solid.number && head.to >= p.head.number,
    watched: solid.watched ?? 0,
  };
}

async function updateLagAlert(lag: number, cursor: number, head: number): Promise<void> {
  const s = await getSettings();
  try {
    if (lag > s.alerts.scannerLagBlocks) {
      await raiseAlert({
        rule: "deposit_scanner_lag",
        dedupeKey: "deposit-scanner-lag",
        severity: "warning",
        message: `The deposit scanner is ${lag} blocks behind the chain head (threshold ${s.alerts.scannerLagBlocks}).`,
        details: { lag, cursor, head },
      });
    } else {
      await resolveAlert("deposit-scanner-lag");
    }
  } catch (e) {
    logger.error({ error: (e as Error).message }, "could not update the scanner lag alert");
  }
}
