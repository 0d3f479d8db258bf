import { AppError } from "@/lib/errors";
import { leanFetch } from "@/lib/http/fetch";
import { logger } from "@/lib/log";
import type { TronClient } from "@/lib/tron/client";
import { hexToBase58 } from "@/lib/tron/address";
import { parseJsonBig } from "@/lib/tron/json";

/**
 * The deposit scanner's reads from the node, measured and budgeted:
 *
 * - Block ranges (`getblockbylimitnext`) in batches whose size adapts to a byte and a time budget:
 *   a mainnet block is about 1 kB of JSON per transaction (~300 kB), so 100 blocks are tens of MB;
 *   the batch follows the measured bytes and milliseconds per block, grows at most ×2 per read,
 *   halves after a timeout, and never exceeds java-tron's 100.
 * - Every request is counted (the bench turns the counts into a daily request budget).
 * - Rate limiting: TronGrid answers 429 or 403 (older documentation: 403 and "the query server is
 *   suspended for 30s"; the body says "exceeds the frequency limit … suspended for 30s"). A
 *   rate-limited reply pauses every scanner read for 30 s (or the Retry-After header): retrying
 *   sooner only extends the suspension and spends quota.
 */

const MAX_BLOCKS_PER_REQUEST = 100;
/** TronGrid's penalty window after a rate-limited request. */
export const RATE_LIMIT_PAUSE_MS = 30_000;

export class RateLimitedError extends AppError {
  constructor(
    readonly until: number,
    path: string,
  ) {
    super("provider_unavailable", "The TRON API is rate limiting the deposit scanner; paused.", {
      details: { path, until: new Date(until).toISOString() },
    });
  }
}

/** One transaction of a block, as much as the scanner needs (addresses as lowercase "41…" hex). */
export type LeanTx = {
  txid: string;
  type: string;
  ret: string;
  owner: string | null;
  to: string | null;
  /** TransferContract / TransferAssetContract amount, TriggerSmartContract call_value. */
  amount: bigint;
  contract: string | null;
  data: string | null;
  /** TransferAssetContract: the TRC10 asset id. */
  assetId: string | null;
};

export type LeanBlock = {
  number: number;
  blockId: string;
  parentHash: string;
  timestamp: number;
  txs: LeanTx[];
};

export type LeanInfo = {
  id: string;
  failed: boolean;
  logs: { address: string; topics: string[]; data: string }[];
  internal: {
    index: number;
    caller: string | null;
    to: string | null;
    callValue: bigint;
    tokenId: string;
    rejected: boolean;
  }[];
};

type ReaderState = { batch: number; pausedUntil: number; requests: Record<string, number>; bytes: number };
const g = globalThis as unknown as { __tehScanReader?: Map<string, ReaderState> };
function stateFor(host: string): ReaderState {
  g.__tehScanReader ??= new Map();
  let s = g.__tehScanReader.get(host);
  if (!s) {
    s = { batch: 10, pausedUntil: 0, requests: {}, bytes: 0 };
    g.__tehScanReader.set(host, s);
  }
  return s;
}

/** Requests made by the scanner since the last reset, by path (bench and tests). */
export function scannerRequests(client: TronClient): {
  byPath: Record<string, number>;
  total: number;
  bytes: number;
} {
  const s = stateFor(client.config.fullHost);
  return {
    byPath: { ...s.requests },
    total: Object.values(s.requests).reduce((a, b) => a + b, 0),
    bytes: s.bytes,
  };
}

export function resetScannerReader(client?: TronClient): void {
  if (!client) g.__tehScanReader = new Map();
  else g.__tehScanReader?.delete(client.config.fullHost);
}

/** Until when the scanner's reads are paused after a rate-limited reply (0: not paused). */
export function scannerPausedUntil(client: TronClient): number {
  const s = stateFor(client.config.fullHost);
  return s.pausedUntil > Date.now() ? s.pausedUntil : 0;
}

/** A 21-byte hex address as the node prints it (visible=false) → lowercase "41…", else null. */
const hex41 = (v: unknown): string | null =>
  typeof v === "string" && v.length === 42 && /^41[0-9a-fA-F]{40}$/.test(v) ? v.toLowerCase() : null;

/** "41…" hex → base58 (only for the few transfers that hit one of our addresses). */
export const b58 = (h: string): string => hexToBase58(h);
const big = (v: unknown): bigint => {
  if (typeof v === "number" && Number.isSafeInteger(v)) return BigInt(v);
  if (typeof v === "string" && /^\d+$/.test(v)) return BigInt(v);
  if (typeof v === "bigint") return v;
  return 0n;
};
const str = (v: unknown): string | null => (typeof v === "string" ? v : null);

export class ScanReader {
  readonly state: ReaderState;
  constructor(
    readonly client: TronClient,
    readonly budget: { maxBytes: number; maxMs: number },
  ) {
    this.state = stateFor(client.config.fullHost);
  }

  /** One node request (POST JSON or GET), counted and measured; rate limits pause the scanner. */
  async request(path: string, body?: unknown): Promise<{ json: unknown; bytes: number; ms: number }> {
    const s = this.state;
    if (s.pausedUntil > Date.now()) throw new RateLimitedError(s.pausedUntil, path);
    const headers: Record<string, string> = { accept: "application/json" };
    if (body !== undefined) headers["content-type"] = "application/json";
    if (this.client.config.apiKey) headers["TRON-PRO-API-KEY"] = this.client.config.apiKey;
    s.requests[path] = (s.requests[path] ?? 0) + 1;
    const t0 = performance.now();
    let status: number;
    let text: string;
    let retryAfter: string | null = null;
    try {
      const res = await (this.client.config.fetch ?? leanFetch)(`${this.client.config.fullHost}/${path}`, {
        method: body === undefined ? "GET" : "POST",
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.client.config.timeoutMs),
      });
      status = res.status;
      text = await res.text();
      const h = (res as { headers?: { get?: (k: string) => string | null } }).headers;
      retryAfter = typeof h?.get === "function" ? h.get("retry-after") : null;
    } catch (e) {
      const name = (e as { name?: string })?.name;
      throw new AppError("provider_unavailable", "The TRON node is not answering right now.", {
        details: {
          path,
          timeout: name === "TimeoutError" || name === "AbortError",
          error: (e as Error).message,
        },
      });
    }
    const ms = performance.now() - t0;
    s.bytes += text.length;
    const limited =
      status === 429 ||
      status === 403 ||
      /frequency limit|rate limit|too many requests|suspended for/i.test(text.slice(0, 300));
    if (limited) {
      const secs = Number(retryAfter);
      const pause = Number.isFinite(secs) && secs > 0 ? secs * 1000 : RATE_LIMIT_PAUSE_MS;
      s.pausedUntil = Date.now() + pause;
      logger.warn({ path, status, pauseMs: pause }, "deposit scanner rate limited: pausing its reads");
      throw new RateLimitedError(s.pausedUntil, path);
    }
    if (status < 200 || status >= 300)
      throw new AppError("provider_unavailable", "The TRON node is not answering right now.", {
        details: { path, status },
      });
    let json: unknown;
    try {
      json = parseJsonBig(text);
    } catch {
      throw new AppError("provider_unavailable", "The TRON node returned something that is not JSON.", {
        details: { path },
      });
    }
    if (json && typeof json === "object" && "Error" in (json as object)) {
      throw new AppError("provider_unavailable", "The TRON node refused the read.", {
        details: { path, error: String((json as { Error: unknown }).Error).slice(0, 200) },
      });
    }
    return { json, bytes: text.length, ms };
  }

  /** Blocks [from, to], in order, read in adaptive batches. Throws unless every block came back. */
  async blocks(from: number, to: number): Promise<LeanBlock[]> {
    const s = this.state;
    const out: LeanBlock[] = [];
    let start = from;
    while (start <= to) {
      const n = Math.max(1, Math.min(s.batch, MAX_BLOCKS_PER_REQUEST, to - start + 1));
      let r: { json: unknown; bytes: number; ms: number };
      try {
        r = await this.request("wallet/getblockbylimitnext", { startNum: start, endNum: start + n });
      } catch (e) {
        const timeout = (e as AppError).details?.timeout === true;
        if (timeout && n > 1) {
          s.batch = Math.max(1, Math.floor(n / 2)); // too big for the node's time: smaller, same range
          continue;
        }
        throw e;
      }
      const raw = ((r.json as { block?: unknown[] }).block ?? []) as Record<string, any>[];
      const got = raw.map(leanBlock).sort((a, b) => a.number - b.number);
      if (got.length !== n || got.some((b, i) => b.number !== start + i)) {
        // Never move a cursor over a block we did not see.
        throw new AppError("provider_unavailable", "The TRON node returned an incomplete block range.", {
          details: { start, end: start + n - 1, got: got.length },
        });
      }
      out.push(...got);
      // next batch: what fits both budgets at the measured cost per block, at most twice this one
      const perByte = r.bytes / n;
      const perMs = Math.max(r.ms, 1) / n;
      const fit = Math.floor(Math.min(this.budget.maxBytes / perByte, this.budget.maxMs / perMs));
      s.batch = Math.max(1, Math.min(MAX_BLOCKS_PER_REQUEST, fit, n * 2));
      start += n;
    }
    return out;
  }

  /** Transaction infos of one block (receipts, logs, internal transactions). */
  async infos(num: number, solidified: boolean): Promise<LeanInfo[]> {
    const r = await this.request(`${solidified ? "walletsolidity" : "wallet"}/gettransactioninfobyblocknum`, {
      num,
    });
    return Array.isArray(r.json) ? (r.json as Record<string, any>[]).map(leanInfo) : [];
  }

  /** The latest block header: head, or solidified (walletsolidity/getnowblock). */
  /** The head block with its transactions (getnowblock returns them anyway): one request. */
  async headBlock(): Promise<LeanBlock> {
    const r = await this.request("wallet/getnowblock");
    const b = r.json as Record<string, any>;
    if (!b || typeof b.blockID !== "string" || !b.block_header?.raw_data)
      throw new AppError("provider_unavailable", "The TRON node returned an unexpected block.");
    return leanBlock(b);
  }

  async nowBlock(solidified: boolean): Promise<{ number: number; blockId: string; timestamp: number }> {
    const r = await this.request(`${solidified ? "walletsolidity" : "wallet"}/getnowblock`);
    const b = r.json as Record<string, any>;
    if (!b || typeof b.blockID !== "string" || !b.block_header?.raw_data)
      throw new AppError("provider_unavailable", "The TRON node returned an unexpected block.");
    return leanHeader(b);
  }
}

function leanHeader(b: Record<string, any>): {
  number: number;
  blockId: string;
  timestamp: number;
  parentHash: string;
} {
  const raw = b.block_header?.raw_data ?? {};
  // proto3: block 0 (genesis) has no `number` field at all
  return {
    number: raw.number === undefined ? 0 : Number(raw.number),
    blockId: String(b.blockID),
    timestamp: Number(raw.timestamp ?? 0),
    parentHash: String(raw.parentHash ?? ""),
  };
}

function leanBlock(b: Record<string, any>): LeanBlock {
  const h = leanHeader(b);
  const txs: LeanTx[] = [];
  for (const t of (b.transactions ?? []) as Record<string, any>[]) {
    const c = t.raw_data?.contract?.[0];
    const v = c?.parameter?.value ?? {};
    const type = String(c?.type ?? "");
    const assetName = str(v.asset_name);
    txs.push({
      txid: String(t.txID ?? ""),
      type,
      ret: String(t.ret?.[0]?.contractRet ?? ""),
      owner: hex41(v.owner_address),
      to: hex41(v.to_address),
      amount: big(type === "TriggerSmartContract" ? v.call_value : v.amount),
      contract: hex41(v.contract_address),
      data: str(v.data),
      assetId:
        assetName && /^([0-9a-fA-F]{2})+$/.test(assetName)
          ? Buffer.from(assetName, "hex").toString("utf8")
          : assetName,
    });
  }
  return { ...h, txs };
}

export function leanInfo(i: Record<string, any>): LeanInfo {
  const failed = i.result === "FAILED" || (i.receipt?.result !== undefined && i.receipt.result !== "SUCCESS");
  return {
    id: String(i.id ?? ""),
    failed,
    logs: ((i.log ?? []) as Record<string, any>[]).map((l) => ({
      address: String(l.address ?? "").toLowerCase(),
      topics: ((l.topics ?? []) as string[]).map((t) => String(t).toLowerCase()),
      data: String(l.data ?? "").toLowerCase(),
    })),
    internal: ((i.internal_transactions ?? []) as Record<string, any>[]).map((it, index) => {
      const cv = (it.callValueInfo ?? []) as Record<string, any>[];
      return {
        index,
        caller: hex41(it.caller_address),
        to: hex41(it.transferTo_address),
        callValue: big(cv[0]?.callValue),
        tokenId: String(cv[0]?.tokenId ?? ""),
        rejected: it.rejected === true,
      };
    }),
  };
}
