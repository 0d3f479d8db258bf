import { and, eq, inArray, lte, sql } from "drizzle-orm";
import { type Db, getDb, rowsOf, type Tx } from "@/db";
import { chainCursors, type Deposit, depositAddresses, deposits } from "@/db/schema";
import { raiseAlert, resolveAlert } from "@/lib/alerts";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { credit } from "@/lib/ledger";
import { logger } from "@/lib/log";
import { depositsCredited, depositsCreditedSun } from "@/lib/metrics";
import { getSettings, type Settings } from "@/lib/settings";
import { tron, TRANSFER_TOPIC, type TronClient } from "@/lib/tron/client";
import { type AddressEntry, type AddressMaps, refreshAddressSet } from "./addresses";
import { publishCreditedDeposits, publishDepositsSeen } from "./notify";
import {
  b58,
  type LeanBlock,
  type LeanInfo,
  RateLimitedError,
  ScanReader,
  scannerPausedUntil,
} from "./reader";

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
 */

export const SOLID_CURSOR = "deposits:solid";
/**
 * A `seen` deposit (recorded from a head block) whose block the solidified chain has passed by this
 * many blocks (about 5 minutes) without containing its transfer was dropped by a fork: its row is
 * removed (it never moved money). Should the transfer still land later, it is recorded afresh.
 */
export const DROPPED_AFTER_BLOCKS = 100;
export const HEAD_CURSOR = "deposits:head";
export { MAX_BLOCKS_PER_REQUEST } from "./reader";
const INFO_CONCURRENCY = 8;
/** A USDT amount converts to sun as amountBase × rate / 1e6. */
const USDT_UNIT = 1_000_000n;
/** Blocks one rescan request may cover (about 8 hours of mainnet). */
export const MAX_RESCAN_BLOCKS = 10_000;
const TRANSFER_SELECTOR = "a9059cbb";

export type ScanHooks = {
  /** Tests: runs inside the crediting transaction after the credits, before the cursor moves. */
  beforeCommit?: (info: { from: number; to: number; credited: number }) => void | Promise<void>;
};

export type ScanResult = {
  /** Crediting pass (solidified blocks): range read, deposits found, credited now. */
  from: number;
  to: number;
  found: number;
  credited: number;
  belowMinimum: number;
  /** Transfers to our addresses of what the product does not accept (TRC10): not credited. */
  notAccepted: number;
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

export type Found = {
  txid: string;
  logIndex: number;
  currency: "TRX" | "USDT";
  amount: bigint;
  to: string;
  from: string | null;
  blockNumber: number;
  blockTime: Date;
  entry: AddressEntry;
};

/**
 * USDT → sun at `rateSun` sun per 1 USDT: amountBase × rateSun / 1,000,000, the remainder ROUNDED
 * DOWN (integer division; in the operator's favour, at most 1 sun per deposit).
 */
export function usdtToSun(amountBase: bigint, rateSun: bigint): bigint {
  if (amountBase < 0n || rateSun <= 0n) throw new AppError("invalid_amount", "Invalid USDT conversion.");
  return (amountBase * rateSun) / USDT_UNIT;
}

// ---------------------------------------------------------------- chain reads

export function scanReader(client: TronClient): ScanReader {
  return new ScanReader(client, { maxBytes: env.DEPOSIT_SCAN_MAX_BYTES, maxMs: env.DEPOSIT_SCAN_MAX_MS });
}

/** The latest solidified block (walletsolidity/getnowblock); block 0 (no `number` field) is 0. */
export async function getSolidifiedHead(
  client: TronClient,
): Promise<{ number: number; timestamp: number; blockId: string }> {
  return scanReader(client).nowBlock(true);
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export type FindResult = { found: Found[]; blocks: LeanBlock[]; notAccepted: number };

/**
 * Reads blocks [from, to] and returns the transfers to our addresses, in chain order. `receipts`:
 * read the receipts of blocks with contract calls (USDT logs, TRX sent by contracts) — the crediting
 * pass; without them (the head pass) only native TRX and direct USDT `transfer` calls are seen.
 */
export async function findDeposits(
  client: TronClient,
  from: number,
  to: number,
  m: AddressMaps,
  opts: { receipts?: boolean; reader?: ScanReader } = {},
): Promise<FindResult> {
  const reader = opts.reader ?? scanReader(client);
  const receipts = opts.receipts ?? true;
  const usdtBody = client.usdtHex.slice(-40).toLowerCase();
  const found: Found[] = [];
  let notAccepted = 0;
  const blocks = from <= to ? await reader.blocks(from, to) : [];
  const ours = (hex: string | null) => (hex ? m.byEvmHex.get(hex.slice(2)) : undefined);
  const withCalls: LeanBlock[] = [];
  for (const b of blocks) {
    const time = new Date(b.timestamp);
    let calls = false;
    for (const t of b.txs) {
      if (t.type === "TransferContract") {
        if (t.ret !== "SUCCESS" || t.amount <= 0n) continue;
        const e = ours(t.to);
        if (!e) continue;
        found.push({
          txid: t.txid,
          logIndex: -1,
          currency: "TRX",
          amount: t.amount,
          to: b58(t.to!),
          from: t.owner ? b58(t.owner) : null,
          blockNumber: b.number,
          blockTime: time,
          entry: e,
        });
      } else if (t.type === "TriggerSmartContract") {
        calls = true;
        if (receipts) continue;
        // head pass, display only: a direct USDT transfer(to, amount) that succeeded
        if (t.ret !== "SUCCESS" || t.contract?.slice(2) !== usdtBody || !t.data) continue;
        const d = t.data.toLowerCase();
        if (!d.startsWith(TRANSFER_SELECTOR) || d.length < 8 + 128) continue;
        const e = m.byEvmHex.get(d.slice(8 + 24, 8 + 64));
        const amount = BigInt(`0x${d.slice(8 + 64, 8 + 128)}`);
        if (!e || amount <= 0n) continue;
        found.push({
          txid: t.txid,
          logIndex: 0,
          currency: "USDT",
          amount,
          to: b58(`41${d.slice(8 + 24, 8 + 64)}`),
          from: t.owner ? b58(t.owner) : null,
          blockNumber: b.number,
          blockTime: time,
          entry: e,
        });
      } else if (t.type === "TransferAssetContract" && t.ret === "SUCCESS" && ours(t.to)) {
        notAccepted++;
        logger.info(
          { txid: t.txid, asset: t.assetId, to: b58(t.to!), block: b.number },
          "deposit address received a TRC10 token: not accepted, not credited, not swept",
        );
      }
    }
    if (calls) withCalls.push(b);
  }
  if (!receipts) return { found, blocks, notAccepted };
  const infos = await mapLimit(withCalls, INFO_CONCURRENCY, (b) => reader.infos(b.number, false));
  withCalls.forEach((b, i) => {
    const time = new Date(b.timestamp);
    for (const info of infos[i]) found.push(...depositsInReceipt(info, b.number, time, m, usdtBody));
  });
  // chain order: block, then as found (tx order within a block is kept per kind)
  found.sort((x, y) => x.blockNumber - y.blockNumber);
  return { found, blocks, notAccepted };
}

/** USDT Transfer logs and TRX internal transactions to our addresses in one successful receipt. */
export function depositsInReceipt(
  info: LeanInfo,
  blockNumber: number,
  blockTime: Date,
  m: AddressMaps,
  usdtBody: string,
): Found[] {
  const out: Found[] = [];
  if (info.failed) return out; // a reverted call moved nothing (its internal transfers are rejected)
  info.logs.forEach((l, logIndex) => {
    if (l.topics.length !== 3 || l.topics[0] !== TRANSFER_TOPIC || l.address.slice(-40) !== usdtBody) return;
    const toBody = l.topics[2].slice(-40);
    const e = m.byEvmHex.get(toBody);
    if (!e || !/^[0-9a-f]{1,64}$/.test(l.data)) return;
    const amount = BigInt(`0x${l.data}`);
    if (amount <= 0n) return;
    out.push({
      txid: info.id,
      logIndex,
      currency: "USDT",
      amount,
      to: b58(`41${toBody}`),
      from: b58(`41${l.topics[1].slice(-40)}`),
      blockNumber,
      blockTime,
      entry: e,
    });
  });
  for (const it of info.internal) {
    if (it.rejected || it.tokenId !== "" || it.callValue <= 0n || !it.to) continue;
    const e = m.byEvmHex.get(it.to.slice(2));
    if (!e) continue;
    out.push({
      txid: info.id,
      logIndex: -2 - it.index,
      currency: "TRX",
      amount: it.callValue,
      to: b58(it.to),
      from: it.caller ? b58(it.caller) : null,
      blockNumber,
      blockTime,
      entry: e,
    });
  }
  return out;
}

// ---------------------------------------------------------------- cursors

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

async function ensureCursors(db: Db, start: () => Promise<number>): Promise<void> {
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

type CursorRow = { n: number; hash: string | null; problem: string | null };

async function readCursor(db: Db | Tx, name: string): Promise<CursorRow> {
  const [c] = await db
    .select({ n: chainCursors.blockNumber, hash: chainCursors.blockHash, problem: chainCursors.problem })
    .from(chainCursors)
    .where(eq(chainCursors.name, name));
  if (!c) throw new AppError("internal", `Cursor ${name} is missing.`);
  return { n: Number(c.n), hash: c.hash, problem: c.problem };
}

/** Locks a cursor row; true when it still holds `expected` (no concurrent scan moved it). */
async function lockCursor(tx: Tx, name: string, expected: number): Promise<boolean> {
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
async function stopScanner(db: Db, problem: string, details: Record<string, unknown>): Promise<void> {
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

// ---------------------------------------------------------------- recording and crediting

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

function countCredited(list: Credited[]): void {
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

// ---------------------------------------------------------------- the scan

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
    return await scanSteps(client, reader, db, maxBlocks, opts.hooks);
  } catch (e) {
    if (e instanceof RateLimitedError) return emptyScanResult({ pausedUntil: e.until, caughtUp: false });
    throw e;
  }
}

async function scanSteps(
  client: TronClient,
  reader: ScanReader,
  db: Db,
  maxBlocks: number,
  hooks?: ScanHooks,
): Promise<ScanResult> {
  const [maps, head, solid] = await Promise.all([
    refreshAddressSet(),
    reader.nowBlock(false),
    reader.nowBlock(true),
  ]);
  await ensureCursors(db, () => scanStartBlock(db, head, solid.number));

  // ---- crediting pass (solidified blocks)
  const cur = await readCursor(db, SOLID_CURSOR);
  const solidCursor = cur.n;
  const base = {
    from: solidCursor + 1,
    to: solidCursor,
    found: 0,
    credited: 0,
    belowMinimum: 0,
    notAccepted: 0,
    head: { from: 0, to: 0, seen: 0 },
    headBlock: head.number,
    solidifiedHead: solid.number,
  };
  if (solidCursor > solid.number) {
    const problem = `the node's solidified head (block ${solid.number}) is behind the scanner's cursor (block ${solidCursor}): the chain went backwards (a reset devnet, or a node of another chain).`;
    await stopScanner(db, problem, { cursor: solidCursor, solidifiedHead: solid.number });
    return { ...base, caughtUp: true, problem };
  }
  if (cur.problem) {
    // a cursor ahead of the node may be a node catching up; anything else waits for an operator
    if (!cur.problem.includes("is behind the scanner's cursor"))
      return { ...base, caughtUp: true, problem: cur.problem };
  }
  const from = solidCursor + 1;
  const to = Math.min(solid.number, solidCursor + maxBlocks);
  let found = 0;
  let credited = 0;
  let belowMinimum = 0;
  let notAccepted = 0;
  const newlySeen: Deposit[] = [];
  let solidAfter = solidCursor;
  if (to >= from) {
    const r = await findDeposits(client, from, to, maps, { receipts: true, reader });
    const first = r.blocks[0];
    if (cur.hash && first?.parentHash && first.parentHash !== cur.hash) {
      const problem = `block ${from} does not continue block ${solidCursor} as the scanner read it (parent …${first.parentHash.slice(16, 32)}…, read …${cur.hash.slice(16, 32)}…): the chain under the scanner changed (a reset devnet, or a node of another chain).`;
      await stopScanner(db, problem, { cursor: solidCursor, expected: cur.hash, parent: first.parentHash });
      return { ...base, caughtUp: true, problem };
    }
    const list = r.found;
    found = list.length;
    notAccepted = r.notAccepted;
    const lastHash = r.blocks[r.blocks.length - 1]?.blockId ?? null;
    const s = await getSettings();
    const out = await db.transaction(async (tx) => {
      if (!(await lockCursor(tx, SOLID_CURSOR, solidCursor))) return null; // another scan did it
      let c = 0;
      let b = 0;
      const seen: Deposit[] = [];
      const sums: Credited[] = [];
      for (const f of list) {
        const rec = await record(tx, f, true);
        if (rec.inserted) seen.push(rec.row);
        const outcome = await settle(tx, f, rec.row, s, sums);
        if (outcome === "credited") c++;
        else if (outcome === "below_minimum") b++;
      }
      const dropped = await tx
        .delete(deposits)
        .where(and(eq(deposits.status, "seen"), lte(deposits.blockNumber, to - DROPPED_AFTER_BLOCKS)))
        .returning({ id: deposits.id, txid: deposits.txid, userId: deposits.userId });
      if (dropped.length)
        logger.warn(
          { dropped },
          "head-seen deposits never reached a solidified block (dropped by a fork): removed",
        );
      await hooks?.beforeCommit?.({ from, to, credited: c });
      await tx
        .update(chainCursors)
        .set({
          blockNumber: to,
          blockHash: lastHash,
          problem: null,
          lastRunAt: new Date(),
          headBlockNumber: solid.number,
        })
        .where(eq(chainCursors.name, SOLID_CURSOR));
      return { c, b, seen, sums };
    });
    if (out) {
      countCredited(out.sums);
      credited = out.c;
      belowMinimum = out.b;
      newlySeen.push(...out.seen);
      solidAfter = to;
    } else {
      solidAfter = (await readCursor(db, SOLID_CURSOR)).n;
    }
  } else {
    await db
      .update(chainCursors)
      .set({ lastRunAt: new Date(), headBlockNumber: solid.number, problem: null })
      .where(eq(chainCursors.name, SOLID_CURSOR));
  }
  if (cur.problem) await resolveAlert("deposit-scanner-chain").catch(() => {});

  // ---- head pass (unsolidified blocks, display only, no receipt calls)
  const headCursor = (await readCursor(db, HEAD_CURSOR)).n;
  const hBase = Math.max(headCursor, solidAfter);
  const hFrom = hBase + 1;
  const hTo = Math.min(head.number, hBase + maxBlocks);
  let seenCount = 0;
  if (hTo >= hFrom) {
    const { found: list } = await findDeposits(client, hFrom, hTo, maps, { receipts: false, reader });
    const out = await db.transaction(async (tx) => {
      if (!(await lockCursor(tx, HEAD_CURSOR, headCursor))) return null;
      const seen: Deposit[] = [];
      for (const f of list) {
        const rec = await record(tx, f, false);
        if (rec.inserted) seen.push(rec.row);
      }
      await tx
        .update(chainCursors)
        .set({ blockNumber: hTo, lastRunAt: new Date(), headBlockNumber: head.number })
        .where(eq(chainCursors.name, HEAD_CURSOR));
      return seen;
    });
    if (out) {
      seenCount = out.length;
      newlySeen.push(...out);
    }
  } else {
    await db
      .update(chainCursors)
      .set({ lastRunAt: new Date(), headBlockNumber: head.number })
      .where(eq(chainCursors.name, HEAD_CURSOR));
  }

  // ---- notifications (after commit; never fail the scan)
  await publishDepositsSeen(newlySeen);
  await publishCreditedDeposits(db);

  const result: ScanResult = {
    from,
    to: Math.max(to, solidCursor),
    found,
    credited,
    belowMinimum,
    notAccepted,
    head: { from: hFrom, to: Math.max(hTo, hBase), seen: seenCount },
    headBlock: head.number,
    solidifiedHead: solid.number,
    caughtUp: solidAfter >= solid.number && Math.max(hTo, hBase) >= head.number,
  };
  if (found || seenCount || notAccepted) logger.info({ ...result }, "deposit scan");
  await updateLagAlert(head.number - solidAfter, solidAfter, head.number);
  return result;
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

// ---------------------------------------------------------------- rescan of one address

export type RescanResult = {
  from: number;
  to: number;
  found: number;
  credited: number;
  belowMinimum: number;
};

/**
 * Reads solidified blocks [from, to] again for ONE deposit address and records and credits what it
 * finds, exactly once (the same (txid, log index) keys as the scanner: a deposit already credited is
 * left alone). For deposits the scanner could not see (it started later, a node without internal
 * transactions, …). At most MAX_RESCAN_BLOCKS per call; `to` must be solidified.
 */
export async function rescanAddress(p: {
  depositAddressId: number;
  from: number;
  to: number;
  client?: TronClient;
}): Promise<RescanResult> {
  const client = p.client ?? tron();
  if (!Number.isSafeInteger(p.from) || !Number.isSafeInteger(p.to) || p.from < 0 || p.to < p.from)
    throw new AppError("bad_request", "Give a block range: from ≤ to, both whole block numbers.");
  if (p.to - p.from + 1 > MAX_RESCAN_BLOCKS)
    throw new AppError("bad_request", `Rescan at most ${MAX_RESCAN_BLOCKS} blocks at a time.`);
  const db = await getDb();
  const [a] = await db.select().from(depositAddresses).where(eq(depositAddresses.id, p.depositAddressId));
  if (!a) throw new AppError("not_found", "No such deposit address.");
  const reader = scanReader(client);
  const solid = await reader.nowBlock(true);
  if (p.to > solid.number)
    throw new AppError(
      "bad_request",
      `Block ${p.to} is not solidified yet (solidified head ${solid.number}).`,
    );
  const entry: AddressEntry = { id: a.id, userId: a.userId, index: a.derivationIndex };
  const hex = client.tronWeb.address.toHex(a.address).toLowerCase();
  const maps: AddressMaps = {
    byAddress: new Map([[a.address, entry]]),
    byEvmHex: new Map([[hex.slice(2), entry]]),
  };
  const out: RescanResult = { from: p.from, to: p.to, found: 0, credited: 0, belowMinimum: 0 };
  const s = await getSettings();
  for (let start = p.from; start <= p.to; start += 500) {
    const end = Math.min(p.to, start + 499);
    const { found } = await findDeposits(client, start, end, maps, { receipts: true, reader });
    out.found += found.length;
    const r = await recordAndSettle(db, found, s);
    out.credited += r.credited;
    out.belowMinimum += r.belowMinimum;
  }
  logger.info({ depositAddressId: a.id, ...out }, "deposit rescan");
  await publishCreditedDeposits(db);
  return out;
}

// ---------------------------------------------------------------- status

export type ScannerStatus = {
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
