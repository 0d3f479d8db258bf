import { and, asc, eq, inArray, isNull, lte, sql } from "drizzle-orm";
import { z } from "zod";
import { type Db, getDb, rowsOf, type Tx } from "@/db";
import { chainCursors, type Deposit, deposits } from "@/db/schema";
import { raiseAlert, resolveAlert } from "@/lib/alerts";
import { env } from "@/lib/env";
import { leanFetch } from "@/lib/http/fetch";
import { AppError } from "@/lib/errors";
import { credit } from "@/lib/ledger";
import { logger } from "@/lib/log";
import { getSettings, type Settings } from "@/lib/settings";
import { getTronClient, TRANSFER_TOPIC, type TronClient, trc20Transfers } from "@/lib/tron/client";
import { type AddressEntry, type AddressMaps, refreshAddressSet } from "./addresses";
import { hasDepositListeners, notifyDepositCredited, notifyDepositSeen } from "./notify";

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
 *   final. Nothing is ever credited from a head block: only what is found again in a solidified
 *   block is, so a deposit in a head block that is later dropped by a fork is never credited (and
 *   its `seen` row goes once the solidified chain is DROPPED_AFTER_BLOCKS past it).
 *
 * Matching costs one Map lookup per transfer (in-memory address set, see addresses.ts), and the
 * chain cost is one `getblockbylimitnext` per 100 blocks plus one `gettransactioninfobyblocknum` per
 * block that contains a smart-contract call: independent of the number of users.
 */

export const SOLID_CURSOR = "deposits:solid";
/**
 * A `seen` deposit (recorded from a head block) whose block the solidified chain has passed by this
 * many blocks (about 5 minutes) without containing its transfer was dropped by a fork: its row is
 * removed (it never moved money). Should the transfer still land later, it is recorded afresh.
 */
export const DROPPED_AFTER_BLOCKS = 100;
export const HEAD_CURSOR = "deposits:head";
/** java-tron serves at most 100 blocks per getblockbylimitnext. */
export const MAX_BLOCKS_PER_REQUEST = 100;
const INFO_CONCURRENCY = 8;
/** A USDT amount converts to sun as amountBase × rate / 1e6. */
const USDT_UNIT = 1_000_000n;

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
  /** Head pass (unsolidified blocks): range read and deposits newly recorded as seen. */
  head: { from: number; to: number; seen: number };
  headBlock: number;
  solidifiedHead: number;
  /** True when both cursors reached their heads (no need to run again right away). */
  caughtUp: boolean;
};

type Found = {
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

const solidBlockSchema = z.object({
  blockID: z.string(),
  block_header: z.object({
    raw_data: z.object({ number: z.coerce.number().int().nonnegative(), timestamp: z.coerce.number() }),
  }),
});

/**
 * The latest solidified block number (walletsolidity/getnowblock), read here rather than added to
 * lib/tron. Parsed with zod; any failure → AppError("provider_unavailable").
 */
export async function getSolidifiedHead(client: TronClient): Promise<{ number: number; timestamp: number }> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (client.config.apiKey) headers["TRON-PRO-API-KEY"] = client.config.apiKey;
  let body: unknown;
  try {
    const res = await (client.config.fetch ?? leanFetch)(
      `${client.config.fullHost}/walletsolidity/getnowblock`,
      {
        method: "GET",
        headers,
        signal: AbortSignal.timeout(client.config.timeoutMs),
      },
    );
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    body = JSON.parse(await res.text());
  } catch (e) {
    throw new AppError("provider_unavailable", "The TRON node is not answering right now.", {
      details: { path: "walletsolidity/getnowblock", error: (e as Error).message },
    });
  }
  const parsed = solidBlockSchema.safeParse(body);
  if (!parsed.success) {
    throw new AppError("provider_unavailable", "The TRON node returned an unexpected solidified block.");
  }
  return {
    number: parsed.data.block_header.raw_data.number,
    timestamp: parsed.data.block_header.raw_data.timestamp,
  };
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

/** Reads blocks [from, to] and returns the transfers to our addresses, in chain order. */
export async function findDeposits(
  client: TronClient,
  from: number,
  to: number,
  m: AddressMaps,
): Promise<Found[]> {
  const usdt = client.config.usdtContract;
  const usdtBody = client.usdtHex.slice(-40).toLowerCase();
  const found: Found[] = [];
  for (let start = from; start <= to; start += MAX_BLOCKS_PER_REQUEST) {
    const end = Math.min(to, start + MAX_BLOCKS_PER_REQUEST - 1);
    const blocks = await client.getBlockByLimitNext(start, end + 1);
    blocks.sort((a, b) => a.number - b.number);
    if (blocks.length !== end - start + 1 || blocks.some((b, i) => b.number !== start + i)) {
      // Never move a cursor over a block we did not see.
      throw new AppError("provider_unavailable", "The TRON node returned an incomplete block range.", {
        details: { start, end, got: blocks.length },
      });
    }
    const withCalls: { number: number; time: Date }[] = [];
    for (const b of blocks) {
      const time = new Date(b.timestamp);
      let calls = false;
      for (const t of b.transactions) {
        if (t.type === "TransferContract") {
          if (t.contractRet !== "SUCCESS" || !t.toAddress || !t.amountSun || t.amountSun <= 0n) continue;
          const e = m.byAddress.get(t.toAddress);
          if (!e) continue;
          found.push({
            txid: t.txid,
            logIndex: -1,
            currency: "TRX",
            amount: t.amountSun,
            to: t.toAddress,
            from: t.ownerAddress,
            blockNumber: b.number,
            blockTime: time,
            entry: e,
          });
        } else if (t.type === "TriggerSmartContract") {
          calls = true;
        }
      }
      if (calls) withCalls.push({ number: b.number, time });
    }
    const infos = await mapLimit(withCalls, INFO_CONCURRENCY, (b) =>
      client.getTransactionInfoByBlockNum(b.number),
    );
    withCalls.forEach((b, i) => {
      for (const info of infos[i]) {
        if (info.result === "FAILED" || info.receipt.result !== "SUCCESS") continue;
        // Cheap pre-filter on raw logs: a USDT Transfer to one of our address bodies.
        let hit = false;
        for (const l of info.logs) {
          if (
            l.topics[0] === TRANSFER_TOPIC &&
            l.address.slice(-40) === usdtBody &&
            l.topics.length === 3 &&
            m.byEvmHex.has(l.topics[2].slice(-40))
          ) {
            hit = true;
            break;
          }
        }
        if (!hit) continue;
        for (const tr of trc20Transfers(info)) {
          if (tr.token !== usdt || tr.amount <= 0n) continue;
          const e = m.byAddress.get(tr.to);
          if (!e) continue;
          found.push({
            txid: info.id,
            logIndex: tr.logIndex,
            currency: "USDT",
            amount: tr.amount,
            to: tr.to,
            from: tr.from,
            blockNumber: b.number,
            blockTime: b.time,
            entry: e,
          });
        }
      }
    });
  }
  return found;
}

// ---------------------------------------------------------------- cursors

async function ensureCursors(db: Db, solidHead: number): Promise<void> {
  const start = (env.DEPOSIT_SCAN_START_BLOCK ?? solidHead) - 1;
  await db
    .insert(chainCursors)
    .values([
      { name: SOLID_CURSOR, blockNumber: start },
      { name: HEAD_CURSOR, blockNumber: start },
    ])
    .onConflictDoNothing({ target: chainCursors.name });
}

async function readCursor(db: Db | Tx, name: string): Promise<number> {
  const [c] = await db
    .select({ n: chainCursors.blockNumber })
    .from(chainCursors)
    .where(eq(chainCursors.name, name));
  if (!c) throw new AppError("internal", `Cursor ${name} is missing.`);
  return Number(c.n);
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
 * deletes them (`null`: the next scan starts at DEPOSIT_SCAN_START_BLOCK / the solidified head).
 * Rescanning is safe: everything is idempotent.
 */
export async function setScanCursor(nextBlock: number | null): Promise<void> {
  const db = await getDb();
  if (nextBlock === null) {
    await db.delete(chainCursors).where(inArray(chainCursors.name, [SOLID_CURSOR, HEAD_CURSOR]));
    return;
  }
  for (const name of [SOLID_CURSOR, HEAD_CURSOR]) {
    await db
      .insert(chainCursors)
      .values({ name, blockNumber: nextBlock - 1 })
      .onConflictDoUpdate({ target: chainCursors.name, set: { blockNumber: nextBlock - 1 } });
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

/** Credits one recorded deposit found in a solidified block (inside the batch transaction). */
async function settle(
  tx: Tx,
  f: Found,
  row: Deposit,
  s: Settings,
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
  const client = opts.client ?? getTronClient();
  const maxBlocks = Math.max(1, Math.min(opts.maxBlocks ?? MAX_BLOCKS_PER_REQUEST, 10_000));
  const db = await getDb();
  const [maps, head, solid] = await Promise.all([
    refreshAddressSet(),
    client.getNowBlock(),
    getSolidifiedHead(client),
  ]);
  await ensureCursors(db, solid.number);

  // ---- crediting pass (solidified blocks)
  const solidCursor = await readCursor(db, SOLID_CURSOR);
  const from = solidCursor + 1;
  const to = Math.min(solid.number, solidCursor + maxBlocks);
  let found = 0;
  let credited = 0;
  let belowMinimum = 0;
  const newlySeen: Deposit[] = [];
  let solidAfter = solidCursor;
  if (to >= from) {
    const list = await findDeposits(client, from, to, maps);
    found = list.length;
    const s = await getSettings();
    const out = await db.transaction(async (tx) => {
      if (!(await lockCursor(tx, SOLID_CURSOR, solidCursor))) return null; // another scan did it
      let c = 0;
      let b = 0;
      const seen: Deposit[] = [];
      for (const f of list) {
        const r = await record(tx, f, true);
        if (r.inserted) seen.push(r.row);
        const outcome = await settle(tx, f, r.row, s);
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
      await opts.hooks?.beforeCommit?.({ from, to, credited: c });
      await tx
        .update(chainCursors)
        .set({ blockNumber: to, lastRunAt: new Date(), headBlockNumber: solid.number })
        .where(eq(chainCursors.name, SOLID_CURSOR));
      return { c, b, seen };
    });
    if (out) {
      credited = out.c;
      belowMinimum = out.b;
      newlySeen.push(...out.seen);
      solidAfter = to;
    } else {
      solidAfter = await readCursor(db, SOLID_CURSOR);
    }
  } else {
    await db
      .update(chainCursors)
      .set({ lastRunAt: new Date(), headBlockNumber: solid.number })
      .where(eq(chainCursors.name, SOLID_CURSOR));
  }

  // ---- head pass (unsolidified blocks, display only)
  const headCursor = await readCursor(db, HEAD_CURSOR);
  const base = Math.max(headCursor, solidAfter);
  const hFrom = base + 1;
  const hTo = Math.min(head.number, base + maxBlocks);
  let seenCount = 0;
  if (hTo >= hFrom) {
    const list = await findDeposits(client, hFrom, hTo, maps);
    const out = await db.transaction(async (tx) => {
      if (!(await lockCursor(tx, HEAD_CURSOR, headCursor))) return null;
      const seen: Deposit[] = [];
      for (const f of list) {
        const r = await record(tx, f, false);
        if (r.inserted) seen.push(r.row);
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
  for (const d of newlySeen) await notifyDepositSeen(d);
  await deliverCreditedNotifications(db);

  const result: ScanResult = {
    from,
    to: Math.max(to, solidCursor),
    found,
    credited,
    belowMinimum,
    head: { from: hFrom, to: Math.max(hTo, base), seen: seenCount },
    headBlock: head.number,
    solidifiedHead: solid.number,
    caughtUp: solidAfter >= solid.number && Math.max(hTo, base) >= head.number,
  };
  if (found || seenCount) logger.info({ ...result }, "deposit scan");
  const s = await getSettings();
  const lag = head.number - solidAfter;
  try {
    if (lag > s.alerts.scannerLagBlocks) {
      await raiseAlert({
        rule: "deposit_scanner_lag",
        dedupeKey: "deposit-scanner-lag",
        severity: "warning",
        message: `The deposit scanner is ${lag} blocks behind the chain head (threshold ${s.alerts.scannerLagBlocks}).`,
        details: { lag, cursor: solidAfter, head: head.number },
      });
    } else {
      await resolveAlert("deposit-scanner-lag");
    }
  } catch (e) {
    logger.error({ error: (e as Error).message }, "could not update the scanner lag alert");
  }
  return result;
}

/** Delivers "credited" to the listeners for rows not yet notified (retried on every scan). */
export async function deliverCreditedNotifications(db?: Db, limit = 200): Promise<number> {
  if (!hasDepositListeners()) return 0; // keep them pending until a process with listeners runs
  const d = db ?? (await getDb());
  const pending = await d
    .select()
    .from(deposits)
    .where(and(eq(deposits.status, "credited"), isNull(deposits.notifiedAt)))
    .orderBy(asc(deposits.id))
    .limit(limit);
  let n = 0;
  for (const row of pending) {
    if (await notifyDepositCredited(row)) {
      await d.update(deposits).set({ notifiedAt: new Date() }).where(eq(deposits.id, row.id));
      n++;
    }
  }
  return n;
}

// ---------------------------------------------------------------- status

export type ScannerStatus = {
  cursor: number | null;
  head: number | null;
  solidifiedHead: number | null;
  lagBlocks: number | null;
  lastRunAt: Date | null;
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
  const cursor = solid ? Number(solid.blockNumber) : null;
  const headNum = head?.headBlockNumber != null ? Number(head.headBlockNumber) : null;
  const solidNum = solid?.headBlockNumber != null ? Number(solid.headBlockNumber) : null;
  return {
    cursor,
    head: headNum,
    solidifiedHead: solidNum,
    lagBlocks: cursor !== null && headNum !== null ? Math.max(0, headNum - cursor) : null,
    lastRunAt: solid?.lastRunAt ?? null,
  };
}
