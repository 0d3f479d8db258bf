import { and, asc, eq, gt } from "drizzle-orm";
import { getDb } from "@/db";
import { chainCursors, type Deposit, depositAddresses } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/log";
import { getSettings } from "@/lib/settings";
import { tron, type TronClient } from "@/lib/tron/client";
import { toHex } from "@/lib/tron/address";
import type { AddressEntry, AddressMaps } from "./addresses";
import { publishCreditedDeposits } from "./notify";
import { leanInfo, RateLimitedError, type ScanReader, scannerPausedUntil } from "./reader";
import { recordAndSettle } from "./credit";
import { depositsInReceipt, type Found, scanReader } from "./find";
import { emptyScanResult, type ScanResult } from "./scanner";

/**
 * Account-endpoint mode (DEPOSIT_SCAN_MODE=accounts), for a small user base: instead of reading every
 * block, each deposit address is read through TronGrid's per-account endpoints, confirmed
 * (solidified) transactions only:
 *
 * - `GET /v1/accounts/{address}/transactions?only_to=true&only_confirmed=true` — TRX transfers, and
 *   TRX sent by contracts (TronGrid lists each internal transaction as its own item);
 * - `GET /v1/accounts/{address}/transactions/trc20?only_to=true&only_confirmed=true&contract_address=USDT`.
 *
 * Each hit is checked against the solidified node's receipt (`walletsolidity/gettransactioninfobyid`)
 * before it is credited, which also gives the log index / internal index: the deposit keys are the
 * block scanner's own, so switching modes never credits twice. Per address the read window is
 * [watched_until − 2 min, the solidified head's time]: the margin re-reads what TronGrid may have
 * indexed late (crediting is idempotent).
 *
 * Cost: 2 requests per address per run (plus paging and one per deposit), so about
 * 2 × addresses × runs a day: with a run a minute, TronGrid's free 100,000 requests a day cover ~34
 * addresses. Past that, use blocks mode (the cost of which does not depend on the number of users).
 */

const ACCOUNTS_CURSOR = "deposits:accounts";
/** Addresses read per run (the next run continues after the last one). */
const ACCOUNTS_PER_RUN = 200;
/** Re-read margin for TronGrid's indexing lag. */
const MARGIN_MS = 120_000;

type V1Page = { data?: Record<string, any>[]; meta?: { fingerprint?: string } };

async function v1All(
  reader: ScanReader,
  path: string,
  params: Record<string, string>,
): Promise<Record<string, any>[]> {
  const out: Record<string, any>[] = [];
  let fingerprint: string | undefined;
  for (let page = 0; page < 50; page++) {
    const q = new URLSearchParams({ ...params, ...(fingerprint ? { fingerprint } : {}) });
    const { json } = await reader.request(`${path}?${q.toString()}`);
    const p = json as V1Page;
    if (!Array.isArray(p?.data))
      throw new AppError("provider_unavailable", "TronGrid returned an unexpected account listing.", {
        details: { path },
      });
    out.push(...p.data);
    fingerprint = p.meta?.fingerprint;
    if (!fingerprint) return out;
  }
  throw new AppError("provider_unavailable", "Too many pages of account transactions in one read.", {
    details: { path },
  });
}

const sameAddress = (a: unknown, hex41: string) => {
  if (typeof a !== "string") return false;
  try {
    return toHex(a).toLowerCase() === hex41;
  } catch {
    return false;
  }
};

/** Reads the next ACCOUNTS_PER_RUN deposit addresses through TronGrid's account endpoints and credits. */
export async function scanAccountsOnce(
  opts: { client?: TronClient; perRun?: number } = {},
): Promise<ScanResult> {
  const client = opts.client ?? tron();
  const db = await getDb();
  const base = emptyScanResult();
  const paused = scannerPausedUntil(client);
  if (paused) return { ...base, caughtUp: false, pausedUntil: paused };
  const reader = scanReader(client);
  try {
    return await accountsSteps(client, reader, db, opts.perRun ?? ACCOUNTS_PER_RUN, base);
  } catch (e) {
    if (e instanceof RateLimitedError) return { ...base, caughtUp: false, pausedUntil: e.until };
    throw e;
  }
}

async function accountsSteps(
  client: TronClient,
  reader: ScanReader,
  db: Awaited<ReturnType<typeof getDb>>,
  perRun: number,
  base: ScanResult,
): Promise<ScanResult> {
  const solid = await reader.nowBlock(true);
  const [cur] = await db.select().from(chainCursors).where(eq(chainCursors.name, ACCOUNTS_CURSOR));
  const afterId = cur ? Number(cur.blockNumber) : 0;
  const addrs = await db
    .select()
    .from(depositAddresses)
    .where(gt(depositAddresses.id, afterId))
    .orderBy(asc(depositAddresses.id))
    .limit(perRun);
  const usdtBody = client.usdtHex.slice(-40).toLowerCase();
  const s = await getSettings();
  const out: ScanResult = { ...base, headBlock: solid.number, solidifiedHead: solid.number };
  const credited: Deposit[] = [];
  for (const a of addrs) {
    const hex = toHex(a.address).toLowerCase();
    const entry: AddressEntry = { id: a.id, userId: a.userId, index: a.derivationIndex };
    const maps: AddressMaps = {
      byAddress: new Map([[a.address, entry]]),
      byEvmHex: new Map([[hex.slice(2), entry]]),
    };
    const since = Math.max(0, (a.watchedUntilMs ?? a.createdAt.getTime() - 60_000) - MARGIN_MS);
    const common = {
      only_confirmed: "true",
      only_to: "true",
      limit: "200",
      order_by: "block_timestamp,asc",
      min_timestamp: String(since),
      max_timestamp: String(solid.timestamp),
    };
    const [txs, trc20] = await Promise.all([
      v1All(reader, `v1/accounts/${a.address}/transactions`, common),
      v1All(reader, `v1/accounts/${a.address}/transactions/trc20`, {
        ...common,
        contract_address: client.config.usdtContract,
      }),
    ]);
    const found: Found[] = [];
    const receiptOf = new Map<string, Found[]>();
    const fromReceipt = async (txid: string) => {
      if (!receiptOf.has(txid)) {
        const { json } = await reader.request("walletsolidity/gettransactioninfobyid", { value: txid });
        const raw = json as Record<string, any>;
        const list =
          raw && typeof raw.id === "string"
            ? depositsInReceipt(
                leanInfo(raw),
                Number(raw.blockNumber ?? 0),
                new Date(Number(raw.blockTimeStamp ?? 0)),
                maps,
                usdtBody,
              )
            : [];
        receiptOf.set(txid, list);
        found.push(...list);
      }
    };
    for (const it of txs) {
      if (typeof it.internal_tx_id === "string") {
        const d = it.data ?? {};
        const value = Number(d.call_value?._ ?? 0);
        if (
          d.rejected !== true &&
          value > 0 &&
          sameAddress(it.to_address, hex) &&
          typeof it.tx_id === "string"
        )
          await fromReceipt(it.tx_id);
        continue;
      }
      const c = it.raw_data?.contract?.[0];
      const v = c?.parameter?.value ?? {};
      if (c?.type === "TransferAssetContract" && sameAddress(v.to_address, hex)) {
        out.notAccepted++;
        continue;
      }
      if (c?.type !== "TransferContract" || !sameAddress(v.to_address, hex)) continue;
      if (it.ret?.[0]?.contractRet !== "SUCCESS") continue;
      const amount = BigInt(String(v.amount ?? 0));
      if (amount <= 0n) continue;
      found.push({
        txid: String(it.txID),
        logIndex: -1,
        currency: "TRX",
        amount,
        to: a.address,
        from: typeof v.owner_address === "string" ? client.tronWeb.address.fromHex(v.owner_address) : null,
        blockNumber: Number(it.blockNumber ?? 0),
        blockTime: new Date(Number(it.block_timestamp ?? 0)),
        entry,
      });
    }
    for (const it of trc20) {
      if (it.type === "Transfer" && sameAddress(it.to, hex) && typeof it.transaction_id === "string")
        await fromReceipt(it.transaction_id);
    }
    const r = await recordAndSettle(db, found, s, async (tx) => {
      await tx
        .update(depositAddresses)
        .set({ watchedUntilMs: solid.timestamp })
        .where(and(eq(depositAddresses.id, a.id)));
    });
    out.found += found.length;
    out.credited += r.credited;
    out.belowMinimum += r.belowMinimum;
    credited.push(...r.creditedRows);
  }
  const last = addrs.length === perRun ? addrs[addrs.length - 1].id : 0; // wrap around after the last page
  await db
    .insert(chainCursors)
    .values({
      name: ACCOUNTS_CURSOR,
      blockNumber: last,
      lastRunAt: new Date(),
      headBlockNumber: solid.number,
    })
    .onConflictDoUpdate({
      target: chainCursors.name,
      set: { blockNumber: last, lastRunAt: new Date(), headBlockNumber: solid.number },
    });
  out.caughtUp = last === 0;
  if (out.found) logger.info({ ...out, addresses: addrs.length }, "deposit account scan");
  await publishCreditedDeposits(db);
  return out;
}
