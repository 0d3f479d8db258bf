import { env } from "@/lib/env";
import { logger } from "@/lib/log";
import { TRANSFER_TOPIC, type TronClient } from "@/lib/tron/client";
import type { AddressEntry, AddressMaps } from "./addresses";
import { b58, type LeanBlock, type LeanInfo, ScanReader } from "./reader";

/**
 * Reading blocks and matching deposits: which transfers in a block range (and, on the crediting
 * pass, in the receipts of its contract calls) go to one of our deposit addresses. No database work:
 * the scanner (scanner.ts), the rescan (rescan.ts) and the account mode (accounts.ts) record and
 * credit what this finds (credit.ts).
 */

const INFO_CONCURRENCY = 8;
const TRANSFER_SELECTOR = "a9059cbb";

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

/** A reader sized to the scanner's byte and time budget (env). */
export function scanReader(client: TronClient): ScanReader {
  return new ScanReader(client, { maxBytes: env.DEPOSIT_SCAN_MAX_BYTES, maxMs: env.DEPOSIT_SCAN_MAX_MS });
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

type FindResult = {
  found: Found[];
  blocks: LeanBlock[];
  notAccepted: number;
  /** The receipts read (crediting pass), by block number: other matchers of the same blocks reuse them. */
  infos: Map<number, LeanInfo[]>;
};

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
  const byBlock = new Map<number, LeanInfo[]>();
  if (!receipts) return { found, blocks, notAccepted, infos: byBlock };
  const infos = await mapLimit(withCalls, INFO_CONCURRENCY, (b) => reader.infos(b.number, false));
  withCalls.forEach((b, i) => {
    const time = new Date(b.timestamp);
    byBlock.set(b.number, infos[i]);
    for (const info of infos[i]) found.push(...depositsInReceipt(info, b.number, time, m, usdtBody));
  });
  // chain order: block, then as found (tx order within a block is kept per kind)
  found.sort((x, y) => x.blockNumber - y.blockNumber);
  return { found, blocks, notAccepted, infos: byBlock };
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
