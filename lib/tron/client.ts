import { setTimeout as sleep } from "node:timers/promises";
import { LRUCache } from "lru-cache";
import { providers, TronWeb } from "tronweb";
import { z } from "zod";
import { env } from "@/lib/env";
import { leanFetch } from "@/lib/http/fetch";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/log";
import { tronProviderRequests } from "@/lib/metrics";
import { fromEvmHex, hexToBase58, parseAddress, toHex } from "@/lib/tron/address";
import { ChainError, chainErrorFromMessage } from "@/lib/tron/errors";
import { hexToText, int, int0, num0, parseJsonBig } from "@/lib/tron/json";
import type { EnergyWeights } from "@/lib/tron/resources";

export type TronNetwork = "devnet" | "nile" | "shasta" | "mainnet";

export type TronClientConfig = {
  network: TronNetwork;
  fullHost: string;
  apiKey?: string;
  tronscanUrl?: string;
  tronscanKey?: string;
  timeoutMs: number;
  usdtContract: string;
  /** Retries after a rate-limit reply (403/429/503) before giving up / falling back. Default 2. */
  rateLimitRetries?: number;
  /** First backoff delay in ms (doubles per retry, plus jitter). Default 100. */
  backoffMs?: number;
  /** TTL of chain parameters / energy weights cache. Default 30 s. */
  cacheTtlMs?: number;
  /**
   * How long one address's resource overview (the dashboard's wallet cards) is shared by the loads
   * that ask for it, in ms. Default 3,000: one block, the fastest the figures can change. 0: never.
   */
  resourceOverviewTtlMs?: number;
  /** Address used to read network totals (getaccountresource); default the USDT contract. */
  weightsProbeAddress?: string;
  /** The HTTP call (default: lib/http's lean keep-alive client; tests pass fetch-like fakes). */
  fetch?: TronFetch;
};

type TronRequestInit = { method: string; headers: Record<string, string>; body?: string };
/** What the client needs of an HTTP call: fetch, or anything answering the same subset. */
export type TronFetch = (
  url: string,
  init: TronRequestInit & { signal: AbortSignal },
) => Promise<{ ok: boolean; status: number; text(): Promise<string> }>;

export type Provider = "fullnode" | "tronscan";
type Outcome = "ok" | "error" | "timeout" | "rate_limited";

export type AccountOverview = {
  address: string;
  activated: boolean;
  trxSun: bigint;
  energyAvailable: bigint;
  energyLimit: bigint;
  bandwidthAvailable: bigint;
  bandwidthLimit: bigint;
  usdtBase: bigint;
  delegatedInEnergySun: bigint;
  provider: Provider;
  fetchedAt: Date;
};

/** The account overview without the USDT balance (see getResourceOverview). */
export type ResourceOverview = Omit<AccountOverview, "usdtBase">;

export type AccountState = {
  address: string;
  activated: boolean;
  trxSun: bigint;
  frozenEnergySun: bigint;
  frozenBandwidthSun: bigint;
  delegatedOutEnergySun: bigint;
  delegatedInEnergySun: bigint;
  delegatedOutBandwidthSun: bigint;
  delegatedInBandwidthSun: bigint;
  unfreezing: { resource: "BANDWIDTH" | "ENERGY" | "TRON_POWER"; sun: bigint; expireAt: number }[];
  createdAt: number | null;
  /** A smart contract: resources cannot be delegated to it. */
  isContract: boolean;
};

export type AccountResources = {
  freeNetUsed: bigint;
  freeNetLimit: bigint;
  netUsed: bigint;
  netLimit: bigint;
  energyUsed: bigint;
  energyLimit: bigint;
  totalEnergyLimit: bigint;
  totalEnergyWeight: bigint;
  totalNetLimit: bigint;
  totalNetWeight: bigint;
};

export type DelegationRecord = {
  from: string;
  to: string;
  locked: boolean;
  energySun: bigint;
  bandwidthSun: bigint;
  /** ms since epoch; null when unlocked. */
  energyExpireAt: number | null;
  bandwidthExpireAt: number | null;
};

export type Log = { address: string; topics: string[]; data: string };

export type TransactionInfo = {
  id: string;
  blockNumber: number;
  blockTimeStamp: number;
  fee: bigint;
  result: "SUCCESS" | "FAILED";
  resMessage: string;
  receipt: {
    result: string;
    energyUsage: bigint;
    energyFee: bigint;
    originEnergyUsage: bigint;
    energyUsageTotal: bigint;
    netUsage: bigint;
    netFee: bigint;
  };
  contractResult: string[];
  contractAddress: string | null;
  logs: Log[];
};

export type BlockTx = {
  txid: string;
  contractRet: string;
  type: string;
  /** Contract value as printed by the node (hex addresses); amounts of TransferContract as bigint. */
  value: Record<string, unknown>;
  ownerAddress: string | null;
  toAddress: string | null;
  amountSun: bigint | null;
  contractAddress: string | null;
  data: string | null;
};

export type Block = {
  number: number;
  blockId: string;
  timestamp: number;
  parentHash: string;
  transactions: BlockTx[];
};

export type ChainParameters = Record<string, bigint>;

// ---------------------------------------------------------------- schemas (node JSON, visible=false)

const nodeError = z.object({ Error: z.string() });

const accountSchema = z.object({
  address: z.string().optional(),
  /** "Contract" for smart contracts (AccountType; Normal, the default, is omitted). */
  type: z.string().optional(),
  balance: int0,
  create_time: z.number().optional(),
  frozenV2: z.array(z.object({ type: z.string().optional(), amount: int0 })).default([]),
  unfrozenV2: z
    .array(
      z.object({
        type: z.string().optional(),
        unfreeze_amount: int0,
        unfreeze_expire_time: num0,
      }),
    )
    .default([]),
  delegated_frozenV2_balance_for_bandwidth: int0,
  acquired_delegated_frozenV2_balance_for_bandwidth: int0,
  account_resource: z
    .object({
      energy_usage: int0,
      delegated_frozenV2_balance_for_energy: int0,
      acquired_delegated_frozenV2_balance_for_energy: int0,
    })
    .prefault({}),
});

const resourceSchema = z.object({
  freeNetUsed: int0,
  freeNetLimit: int0,
  NetUsed: int0,
  NetLimit: int0,
  EnergyUsed: int0,
  EnergyLimit: int0,
  TotalEnergyLimit: int0,
  TotalEnergyWeight: int0,
  TotalNetLimit: int0,
  TotalNetWeight: int0,
});

const constantSchema = z.object({
  result: z
    .object({ result: z.boolean().optional(), code: z.string().optional(), message: z.string().optional() })
    .prefault({}),
  constant_result: z.array(z.string()).default([]),
});

const chainParamsSchema = z.object({
  chainParameter: z.array(z.object({ key: z.string(), value: int0 })).default([]),
});

const delegatedSchema = z.object({
  delegatedResource: z
    .array(
      z.object({
        from: z.string(),
        to: z.string(),
        frozen_balance_for_energy: int0,
        frozen_balance_for_bandwidth: int0,
        expire_time_for_energy: num0,
        expire_time_for_bandwidth: num0,
      }),
    )
    .default([]),
});

const maxSizeSchema = z.object({ max_size: int0 });

const logSchema = z.object({
  address: z.string().default(""),
  topics: z.array(z.string()).default([]),
  data: z.string().default(""),
});

const txInfoSchema = z.object({
  id: z.string(),
  fee: int0,
  blockNumber: num0,
  blockTimeStamp: num0,
  contractResult: z.array(z.string()).default([]),
  contract_address: z.string().optional(),
  result: z.string().optional(),
  resMessage: z.string().optional(),
  receipt: z
    .object({
      result: z.string().optional(),
      energy_usage: int0,
      energy_fee: int0,
      origin_energy_usage: int0,
      energy_usage_total: int0,
      net_usage: int0,
      net_fee: int0,
    })
    .prefault({}),
  log: z.array(logSchema).default([]),
});

const contractSchema = z.object({
  type: z.string().default(""),
  parameter: z.object({ value: z.record(z.string(), z.unknown()).default({}) }).prefault({}),
});

const txSchema = z.object({
  txID: z.string(),
  ret: z.array(z.object({ contractRet: z.string().optional() })).default([]),
  raw_data: z
    .object({
      contract: z.array(contractSchema).default([]),
      expiration: num0,
      timestamp: num0,
      fee_limit: int0,
    })
    .prefault({}),
  raw_data_hex: z.string().optional(),
  signature: z.array(z.string()).default([]),
});

const blockSchema = z.object({
  blockID: z.string(),
  block_header: z.object({
    raw_data: z.object({ number: num0, timestamp: num0, parentHash: z.string().default("") }).prefault({}),
  }),
  transactions: z.array(txSchema).default([]),
});

const tronscanAccountSchema = z.object({
  address: z.string().optional(),
  balance: int0,
  activated: z.boolean().optional(),
  date_created: z.number().optional(),
  withPriceTokens: z
    .array(z.object({ tokenId: z.string().default(""), balance: int0, tokenType: z.string().optional() }))
    .default([]),
  bandwidth: z
    .object({
      energyRemaining: int0,
      energyLimit: int0,
      freeNetRemaining: int0,
      freeNetLimit: int0,
      netRemaining: int0,
      netLimit: int0,
    })
    .prefault({}),
  acquiredDelegatedFrozenV2BalanceForEnergy: int.optional(),
  acquiredDelegateFrozenForEnergy: int.optional(),
  delegated: z
    .object({
      acquired_delegated_frozenV2_balance_for_energy: int.optional(),
      acquiredDelegatedFrozenV2BalanceForEnergy: int.optional(),
    })
    .optional(),
});

// ---------------------------------------------------------------- transport

class TransportError extends Error {
  constructor(
    readonly kind: Exclude<Outcome, "ok"> | "bad_response",
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "TransportError";
  }
}

const RATE_LIMIT_STATUS = new Set([403, 429, 503]);

function isRateLimitText(s: string): boolean {
  return /frequency limit|rate limit|too many requests|exceeds the/i.test(s);
}

function outcomeOf(e: unknown): Outcome {
  if (e instanceof TransportError) return e.kind === "bad_response" ? "error" : e.kind;
  return "error";
}

const RESOURCE_CODE = { BANDWIDTH: 0, ENERGY: 1 } as const;

export class TronClient {
  readonly config: Required<
    Pick<TronClientConfig, "rateLimitRetries" | "backoffMs" | "cacheTtlMs" | "resourceOverviewTtlMs">
  > &
    TronClientConfig;
  private readonly fetchImpl: TronFetch;
  /** Expiry on the wall clock (Date.now), read on every look-up. */
  private readonly cache = new LRUCache<string, Promise<unknown>>({
    max: 10_000,
    perf: { now: () => Date.now() },
    ttlResolution: 0,
  });
  private tw: TronWeb | null = null;
  readonly usdtHex: string;

  constructor(config: TronClientConfig) {
    this.config = {
      rateLimitRetries: 2,
      backoffMs: 100,
      cacheTtlMs: 30_000,
      resourceOverviewTtlMs: 3_000,
      ...config,
      fullHost: config.fullHost.replace(/\/+$/, ""),
      tronscanUrl: config.tronscanUrl?.replace(/\/+$/, ""),
      usdtContract: parseAddress(config.usdtContract),
    };
    this.usdtHex = toHex(this.config.usdtContract);
    this.fetchImpl = config.fetch ?? leanFetch;
  }

  /** tronweb over the same node (with the API key header and timeout), for building/signing. */
  get tronWeb(): TronWeb {
    if (!this.tw) {
      const headers = this.config.apiKey ? { "TRON-PRO-API-KEY": this.config.apiKey } : {};
      const p = new providers.HttpProvider(this.config.fullHost, this.config.timeoutMs, "", "", headers);
      this.tw = new TronWeb({ fullNode: p, solidityNode: p, eventServer: this.config.fullHost });
    }
    return this.tw;
  }

  private nodeHeaders(): Record<string, string> {
    const h: Record<string, string> = { "content-type": "application/json", accept: "application/json" };
    if (this.config.apiKey) h["TRON-PRO-API-KEY"] = this.config.apiKey;
    return h;
  }

  /** One HTTP request with timeout and bounded rate-limit backoff; records the provider metric. */
  private async request(provider: Provider, url: string, init: TronRequestInit): Promise<unknown> {
    const { rateLimitRetries, backoffMs, timeoutMs } = this.config;
    let attempt = 0;
    try {
      for (;;) {
        let res: Awaited<ReturnType<TronFetch>>;
        try {
          res = await this.fetchImpl(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
        } catch (e) {
          const name = (e as { name?: string })?.name;
          if (name === "TimeoutError" || name === "AbortError") {
            throw new TransportError("timeout", `${provider} timed out after ${timeoutMs} ms`);
          }
          throw new TransportError(
            "error",
            `${provider} unreachable: ${(e as Error)?.message ?? "network error"}`,
          );
        }
        let text: string;
        try {
          text = await res.text();
        } catch (e) {
          const name = (e as { name?: string })?.name;
          throw new TransportError(
            name === "TimeoutError" || name === "AbortError" ? "timeout" : "error",
            `${provider} body read failed`,
          );
        }
        let rateLimited = RATE_LIMIT_STATUS.has(res.status);
        let body: unknown;
        if (!rateLimited) {
          if (!res.ok) throw new TransportError("error", `${provider} HTTP ${res.status}`, res.status);
          try {
            body = parseJsonBig(text);
          } catch {
            throw new TransportError("bad_response", `${provider} returned non-JSON (HTTP ${res.status})`);
          }
          const err = nodeError.safeParse(body);
          if (err.success && isRateLimitText(err.data.Error)) rateLimited = true;
        }
        if (rateLimited) {
          if (attempt < rateLimitRetries) {
            const delay = backoffMs * 2 ** attempt + Math.floor(Math.random() * backoffMs);
            attempt++;
            await sleep(delay);
            continue;
          }
          throw new TransportError(
            "rate_limited",
            `${provider} rate limited (HTTP ${res.status})`,
            res.status,
          );
        }
        tronProviderRequests.inc({ provider, outcome: "ok" });
        return body;
      }
    } catch (e) {
      tronProviderRequests.inc({ provider, outcome: outcomeOf(e) });
      throw e;
    }
  }

  /** Raw node call (POST, JSON body if any) parsed with `schema`. Transport failures → TransportError. */
  private async nodeRaw(
    path: string,
    body?: Record<string, unknown>,
    method: "POST" | "GET" = "POST",
  ): Promise<unknown> {
    const init: TronRequestInit = { method, headers: this.nodeHeaders() };
    if (body && method === "POST") init.body = JSON.stringify(body);
    return this.request("fullnode", `${this.config.fullHost}/${path}`, init);
  }

  private async nodeParsed<S extends z.ZodType>(
    path: string,
    body: Record<string, unknown> | undefined,
    schema: S,
    method: "POST" | "GET" = "POST",
  ): Promise<z.output<S>> {
    const raw = await this.nodeRaw(path, body, method);
    const err = nodeError.safeParse(raw);
    if (err.success) throw chainErrorFromMessage(err.data.Error, { path });
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      throw new TransportError(
        "bad_response",
        `fullnode ${path}: unexpected response shape (${parsed.error.issues[0]?.message ?? "?"})`,
      );
    }
    return parsed.data;
  }

  /** Node read for callers: transport failures become AppError("provider_unavailable"). */
  private async node<S extends z.ZodType>(
    path: string,
    body: Record<string, unknown> | undefined,
    schema: S,
    method: "POST" | "GET" = "POST",
  ): Promise<z.output<S>> {
    try {
      return await this.nodeParsed(path, body, schema, method);
    } catch (e) {
      throw toAppError(e);
    }
  }

  /**
   * One answer per key, shared in flight and for `ttlMs` after (default: `cacheTtlMs`); a failure is
   * dropped at once. Bounded: when full, the least recently used entry goes.
   */
  private cached<T>(key: string, load: () => Promise<T>, ttlMs = this.config.cacheTtlMs): Promise<T> {
    const hit = this.cache.get(key);
    if (hit) return hit as Promise<T>;
    const value = load();
    if (ttlMs <= 0) return value;
    this.cache.set(key, value, { ttl: ttlMs });
    value.catch(() => {
      if (this.cache.peek(key) === value) this.cache.delete(key);
    });
    return value;
  }

  /** Drops cached chain parameters / weights and resource overviews. */
  clearCache(): void {
    this.cache.clear();
  }

  // ------------------------------------------------------------ accounts

  private async readAccount(address: string, solidified = false): Promise<AccountState> {
    const b58 = parseAddress(address);
    const a = await this.nodeParsed(
      `${solidified ? "walletsolidity" : "wallet"}/getaccount`,
      { address: toHex(b58) },
      accountSchema,
    );
    return accountStateOf(b58, a);
  }

  /** Account state (head) for pool refresh: TRX, own frozenV2 per resource, delegated in/out. */
  async getAccount(address: string, opts: { solidified?: boolean } = {}): Promise<AccountState> {
    try {
      return await this.readAccount(address, opts.solidified);
    } catch (e) {
      throw toAppError(e);
    }
  }

  private async readResources(address: string): Promise<AccountResources> {
    const r = await this.nodeParsed("wallet/getaccountresource", { address: toHex(address) }, resourceSchema);
    return resourcesOf(r);
  }

  async getAccountResources(address: string): Promise<AccountResources> {
    try {
      return await this.readResources(parseAddress(address));
    } catch (e) {
      throw toAppError(e);
    }
  }

  private async readUsdt(address: string): Promise<bigint> {
    const hex = toHex(address);
    const r = await this.nodeParsed(
      "wallet/triggerconstantcontract",
      {
        owner_address: hex,
        contract_address: this.usdtHex,
        function_selector: "balanceOf(address)",
        parameter: hex.slice(2).padStart(64, "0"),
      },
      constantSchema,
    );
    if (r.result.code || r.result.result === false) {
      throw chainErrorFromMessage(hexToText(r.result.message) || r.result.code || "constant call failed", {
        code: r.result.code,
      });
    }
    const word = r.constant_result[0];
    if (word === undefined || !/^[0-9a-fA-F]*$/.test(word)) {
      throw new TransportError("bad_response", "fullnode balanceOf: no constant_result");
    }
    return word === "" ? 0n : BigInt(`0x${word}`);
  }

  /** USDT (TRC20 base units) held by `address`, via triggerconstantcontract balanceOf. */
  async usdtBalanceOf(address: string): Promise<bigint> {
    try {
      return await this.readUsdt(parseAddress(address));
    } catch (e) {
      throw toAppError(e);
    }
  }

  /**
   * Energy a USDT `transfer(to, amount)` from `from` would use now (triggerconstantcontract
   * energy_used: the contract's dynamic energy factor included, as java-tron runs the call). A call
   * that would revert → ChainError.
   */
  async estimateUsdtTransferEnergy(from: string, to: string, amount: bigint): Promise<bigint> {
    try {
      const r = await this.nodeParsed(
        "wallet/triggerconstantcontract",
        {
          owner_address: toHex(parseAddress(from)),
          contract_address: this.usdtHex,
          function_selector: "transfer(address,uint256)",
          parameter: `${toHex(parseAddress(to)).slice(2).padStart(64, "0")}${amount.toString(16).padStart(64, "0")}`,
        },
        constantSchema.extend({ energy_used: int0 }),
      );
      if (r.result.code || r.result.result === false || r.result.message) {
        throw chainErrorFromMessage(hexToText(r.result.message) || r.result.code || "constant call failed", {
          code: r.result.code,
        });
      }
      return r.energy_used;
    } catch (e) {
      throw toAppError(e);
    }
  }

  /**
   * Account overview from the full node; when it fails, times out or rate-limits, from TronScan
   * accountv2. Both failing → AppError("provider_unavailable"). Nothing is cached.
   */
  async getAccountOverview(address: string): Promise<AccountOverview> {
    return this.overview(address, true);
  }

  /**
   * The overview without the USDT balance — TRX, activation, energy, bandwidth — for screens that
   * only show those (the dashboard's wallet cards): two full-node calls instead of three, with the
   * same TronScan fallback. One address's answer is shared for up to one block
   * (`resourceOverviewTtlMs`), the fastest those figures change, by every load that asks for it in
   * that time, in flight or done: a user reloading the dashboard, or several people watching the
   * same wallet, cost the node (and its rate limit) two calls a block, not two per view.
   * `fetchedAt` says when the figures were read. A failure is never kept. Order sizing and every
   * other decision read the chain through the uncached calls. Callers share the object: read only.
   */
  async getResourceOverview(address: string): Promise<ResourceOverview> {
    const b58 = parseAddress(address);
    return this.cached(
      `resourceOverview:${b58}`,
      () => this.overview(b58, false).then(({ usdtBase: _, ...o }) => o),
      this.config.resourceOverviewTtlMs,
    );
  }

  private async overview(address: string, withUsdt: boolean): Promise<AccountOverview> {
    const b58 = parseAddress(address);
    let nodeFailure: unknown;
    try {
      const [acct, res, usdt] = await Promise.all([
        this.readAccount(b58),
        this.readResources(b58),
        withUsdt ? this.readUsdt(b58) : 0n,
      ]);
      return {
        address: b58,
        activated: acct.activated,
        trxSun: acct.trxSun,
        energyLimit: res.energyLimit,
        energyAvailable: clamp0(res.energyLimit - res.energyUsed),
        bandwidthLimit: res.freeNetLimit + res.netLimit,
        bandwidthAvailable: clamp0(res.freeNetLimit - res.freeNetUsed) + clamp0(res.netLimit - res.netUsed),
        usdtBase: usdt,
        delegatedInEnergySun: acct.delegatedInEnergySun,
        provider: "fullnode",
        fetchedAt: new Date(),
      };
    } catch (e) {
      // Any full-node failure (transport, rate limit, odd shape, {"Error"} reply) → try TronScan.
      nodeFailure = e;
    }
    if (!this.config.tronscanUrl) {
      throw new AppError(
        "provider_unavailable",
        "The TRON node is not answering right now. Please try again shortly.",
        {
          details: { fullnode: (nodeFailure as Error).message },
        },
      );
    }
    logger.warn(
      {
        provider: "tronscan",
        reason: nodeFailure instanceof TransportError ? nodeFailure.kind : "chain_error",
        error: (nodeFailure as Error).message,
      },
      "tron full node failed; falling back to TronScan for the account overview",
    );
    try {
      return await this.tronscanOverview(b58);
    } catch (e) {
      logger.warn({ error: (e as Error).message }, "tronscan fallback failed too");
      if (e instanceof AppError && !(e instanceof ChainError)) throw e;
      throw new AppError(
        "provider_unavailable",
        "No TRON data provider is answering right now. Please try again shortly.",
        {
          details: { fullnode: (nodeFailure as Error).message, tronscan: (e as Error).message },
        },
      );
    }
  }

  private async tronscanOverview(b58: string): Promise<AccountOverview> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (this.config.tronscanKey) headers["TRON-PRO-API-KEY"] = this.config.tronscanKey;
    const raw = await this.request("tronscan", `${this.config.tronscanUrl}/api/accountv2?address=${b58}`, {
      method: "GET",
      headers,
    });
    const parsed = tronscanAccountSchema.safeParse(raw);
    if (!parsed.success)
      throw new TransportError("bad_response", "tronscan accountv2: unexpected response shape");
    const t = parsed.data;
    const usdt = t.withPriceTokens.find((x) => x.tokenId === this.config.usdtContract);
    const bw = t.bandwidth;
    const activated = t.activated ?? (t.balance > 0n || t.date_created !== undefined);
    return {
      address: b58,
      activated,
      trxSun: t.balance,
      energyLimit: bw.energyLimit,
      energyAvailable: bw.energyRemaining,
      bandwidthLimit: bw.freeNetLimit + bw.netLimit,
      bandwidthAvailable: bw.freeNetRemaining + bw.netRemaining,
      usdtBase: usdt?.balance ?? 0n,
      delegatedInEnergySun:
        t.acquiredDelegatedFrozenV2BalanceForEnergy ??
        t.delegated?.acquired_delegated_frozenV2_balance_for_energy ??
        t.delegated?.acquiredDelegatedFrozenV2BalanceForEnergy ??
        t.acquiredDelegateFrozenForEnergy ??
        0n,
      provider: "tronscan",
      fetchedAt: new Date(),
    };
  }

  // ------------------------------------------------------------ network parameters

  /** Chain parameters as `{ getX: bigint }` (a parameter printed without value is 0n). Cached briefly. */
  getChainParameters(): Promise<ChainParameters> {
    return this.cached("chainParameters", async () => {
      const r = await this.node("wallet/getchainparameters", undefined, chainParamsSchema);
      return Object.fromEntries(r.chainParameter.map((p) => [p.key, p.value]));
    });
  }

  /** TotalEnergyWeight (whole TRX) and TotalEnergyLimit from getaccountresource. Cached briefly. */
  getEnergyWeights(): Promise<EnergyWeights> {
    return this.cached("energyWeights", async () => {
      const probes = [this.config.weightsProbeAddress, this.config.usdtContract].filter(
        (x): x is string => !!x,
      );
      for (const probe of probes) {
        const r = await this.node("wallet/getaccountresource", { address: toHex(probe) }, resourceSchema);
        if (r.TotalEnergyWeight > 0n && r.TotalEnergyLimit > 0n) {
          return { totalEnergyWeight: r.TotalEnergyWeight, totalEnergyLimit: r.TotalEnergyLimit };
        }
      }
      throw new AppError("chain_error", "The network did not report energy totals.", { details: { probes } });
    });
  }

  // ------------------------------------------------------------ delegation reads

  /** Both delegation records (unlocked, then locked) from → to, head state by default. */
  async getDelegatedResourceV2(
    from: string,
    to: string,
    opts: { solidified?: boolean } = {},
  ): Promise<DelegationRecord[]> {
    const r = await this.node(
      `${opts.solidified ? "walletsolidity" : "wallet"}/getdelegatedresourcev2`,
      { fromAddress: toHex(from), toAddress: toHex(to) },
      delegatedSchema,
    );
    return r.delegatedResource.map((d) => ({
      from: hexToBase58(d.from.toLowerCase()),
      to: hexToBase58(d.to.toLowerCase()),
      locked: d.expire_time_for_energy > 0 || d.expire_time_for_bandwidth > 0,
      energySun: d.frozen_balance_for_energy,
      bandwidthSun: d.frozen_balance_for_bandwidth,
      energyExpireAt: d.expire_time_for_energy || null,
      bandwidthExpireAt: d.expire_time_for_bandwidth || null,
    }));
  }

  /** Who `address` delegates to (toAccounts) and receives from (fromAccounts), Stake 2.0; `{}` → empty. Head state. */
  async getDelegatedResourceAccountIndexV2(
    address: string,
    opts: { solidified?: boolean } = {},
  ): Promise<{ toAccounts: string[]; fromAccounts: string[] }> {
    const r = await this.node(
      `${opts.solidified ? "walletsolidity" : "wallet"}/getdelegatedresourceaccountindexv2`,
      { value: toHex(address) },
      z.object({
        toAccounts: z.array(z.string()).default([]),
        fromAccounts: z.array(z.string()).default([]),
      }),
    );
    return {
      toAccounts: r.toAccounts.map((a) => hexToBase58(a.toLowerCase())),
      fromAccounts: r.fromAccounts.map((a) => hexToBase58(a.toLowerCase())),
    };
  }

  /** Max sun `owner` can delegate now (missing max_size → 0n). Head state by default. */
  async getCanDelegatedMaxSize(
    owner: string,
    resource: "ENERGY" | "BANDWIDTH" = "ENERGY",
    opts: { solidified?: boolean } = {},
  ): Promise<bigint> {
    const r = await this.node(
      `${opts.solidified ? "walletsolidity" : "wallet"}/getcandelegatedmaxsize`,
      { owner_address: toHex(owner), type: RESOURCE_CODE[resource] },
      maxSizeSchema,
    );
    return r.max_size;
  }

  // ------------------------------------------------------------ transactions and blocks

  /** gettransactioninfobyid (head, or solidified with `{ solidified: true }`); `{}` → null. */
  async getTransactionInfo(
    txid: string,
    opts: { solidified?: boolean } = {},
  ): Promise<TransactionInfo | null> {
    const raw = await this.node(
      `${opts.solidified ? "walletsolidity" : "wallet"}/gettransactioninfobyid`,
      { value: txid },
      z.union([txInfoSchema, z.object({}).strict()]),
    );
    return "id" in raw ? txInfoOf(raw as z.output<typeof txInfoSchema>) : null;
  }

  /** gettransactionbyid; `{}` → null. */
  async getTransaction(
    txid: string,
    opts: { solidified?: boolean } = {},
  ): Promise<(BlockTx & { expiration: number; raw: unknown }) | null> {
    const raw = await this.node(
      `${opts.solidified ? "walletsolidity" : "wallet"}/gettransactionbyid`,
      { value: txid },
      z.record(z.string(), z.unknown()),
    );
    if (!("txID" in raw)) return null;
    const t = txSchema.safeParse(raw);
    if (!t.success)
      throw new AppError("provider_unavailable", "The TRON node returned an unexpected transaction shape.");
    return { ...blockTxOf(t.data), expiration: t.data.raw_data.expiration, raw };
  }

  /** The head block (or with `{ solidified: true }` the solidified one, walletsolidity). */
  async getNowBlock(opts: { solidified?: boolean } = {}): Promise<Block> {
    const b = await this.node(
      `${opts.solidified ? "walletsolidity" : "wallet"}/getnowblock`,
      undefined,
      blockSchema,
      "GET",
    );
    return blockOf(b);
  }

  /** Blocks [start, end) with their transactions (java-tron getblockbylimitnext; solidified ones only with `{ solidified: true }`). */
  async getBlockByLimitNext(
    start: number,
    end: number,
    opts: { solidified?: boolean } = {},
  ): Promise<Block[]> {
    const r = await this.node(
      `${opts.solidified ? "walletsolidity" : "wallet"}/getblockbylimitnext`,
      { startNum: start, endNum: end },
      z.object({ block: z.array(blockSchema).default([]) }),
    );
    return r.block.map(blockOf);
  }

  /** Transaction infos (receipts and logs) of one block. */
  async getTransactionInfoByBlockNum(num: number): Promise<TransactionInfo[]> {
    const r = await this.node(
      "wallet/gettransactioninfobyblocknum",
      { num },
      z.union([z.array(txInfoSchema), z.object({}).strict()]),
    );
    return Array.isArray(r) ? r.map(txInfoOf) : [];
  }

  /** POST the signed tx to broadcasttransaction; returns the raw reply (see tx.ts `broadcast`). */
  async broadcastRaw(signedTx: unknown): Promise<unknown> {
    try {
      return await this.nodeRaw("wallet/broadcasttransaction", signedTx as Record<string, unknown>);
    } catch (e) {
      throw toAppError(e);
    }
  }
}

// ---------------------------------------------------------------- mapping helpers

function clamp0(v: bigint): bigint {
  return v < 0n ? 0n : v;
}

function toAppError(e: unknown): unknown {
  if (e instanceof TransportError) {
    return new AppError(
      "provider_unavailable",
      "The TRON node is not answering right now. Please try again shortly.",
      {
        details: { kind: e.kind, status: e.status, error: e.message },
      },
    );
  }
  return e;
}

function accountStateOf(b58: string, a: z.output<typeof accountSchema>): AccountState {
  const frozen = (t: string | undefined) =>
    a.frozenV2
      .filter((f) => (f.type ?? "BANDWIDTH") === (t ?? "BANDWIDTH"))
      .reduce((s, f) => s + f.amount, 0n);
  return {
    address: b58,
    activated: a.address !== undefined || a.create_time !== undefined || a.balance > 0n,
    trxSun: a.balance,
    frozenEnergySun: frozen("ENERGY"),
    frozenBandwidthSun: frozen("BANDWIDTH"),
    delegatedOutEnergySun: a.account_resource.delegated_frozenV2_balance_for_energy,
    delegatedInEnergySun: a.account_resource.acquired_delegated_frozenV2_balance_for_energy,
    delegatedOutBandwidthSun: a.delegated_frozenV2_balance_for_bandwidth,
    delegatedInBandwidthSun: a.acquired_delegated_frozenV2_balance_for_bandwidth,
    unfreezing: a.unfrozenV2.map((u) => ({
      resource: (u.type ?? "BANDWIDTH") as "BANDWIDTH" | "ENERGY" | "TRON_POWER",
      sun: u.unfreeze_amount,
      expireAt: u.unfreeze_expire_time,
    })),
    createdAt: a.create_time ?? null,
    isContract: a.type === "Contract",
  };
}

function resourcesOf(r: z.output<typeof resourceSchema>): AccountResources {
  return {
    freeNetUsed: r.freeNetUsed,
    freeNetLimit: r.freeNetLimit,
    netUsed: r.NetUsed,
    netLimit: r.NetLimit,
    energyUsed: r.EnergyUsed,
    energyLimit: r.EnergyLimit,
    totalEnergyLimit: r.TotalEnergyLimit,
    totalEnergyWeight: r.TotalEnergyWeight,
    totalNetLimit: r.TotalNetLimit,
    totalNetWeight: r.TotalNetWeight,
  };
}

function txInfoOf(r: z.output<typeof txInfoSchema>): TransactionInfo {
  return {
    id: r.id,
    blockNumber: r.blockNumber,
    blockTimeStamp: r.blockTimeStamp,
    fee: r.fee,
    result: r.result === "FAILED" ? "FAILED" : "SUCCESS",
    resMessage: hexToText(r.resMessage),
    receipt: {
      result: r.receipt.result ?? "",
      energyUsage: r.receipt.energy_usage,
      energyFee: r.receipt.energy_fee,
      originEnergyUsage: r.receipt.origin_energy_usage,
      energyUsageTotal: r.receipt.energy_usage_total,
      netUsage: r.receipt.net_usage,
      netFee: r.receipt.net_fee,
    },
    contractResult: r.contractResult,
    contractAddress: r.contract_address ? safeB58(r.contract_address) : null,
    logs: r.log.map((l) => ({
      address: l.address.toLowerCase(),
      topics: l.topics.map((t) => t.toLowerCase()),
      data: l.data.toLowerCase(),
    })),
  };
}

function safeB58(hexOrB58: string): string | null {
  try {
    return parseAddress(hexOrB58);
  } catch {
    return null;
  }
}

function blockTxOf(t: z.output<typeof txSchema>): BlockTx {
  const c = t.raw_data.contract[0];
  const v = c?.parameter.value ?? {};
  const str = (k: string) => (typeof v[k] === "string" ? (v[k] as string) : null);
  const amount = int.safeParse(v.amount);
  return {
    txid: t.txID,
    contractRet: t.ret[0]?.contractRet ?? "",
    type: c?.type ?? "",
    value: v,
    ownerAddress: str("owner_address") ? safeB58(str("owner_address")!) : null,
    toAddress: str("to_address") ? safeB58(str("to_address")!) : null,
    amountSun: c?.type === "TransferContract" ? (amount.success ? amount.data : 0n) : null,
    contractAddress: str("contract_address") ? safeB58(str("contract_address")!) : null,
    data: str("data"),
  };
}

function blockOf(b: z.output<typeof blockSchema>): Block {
  return {
    number: b.block_header.raw_data.number,
    blockId: b.blockID,
    timestamp: b.block_header.raw_data.timestamp,
    parentHash: b.block_header.raw_data.parentHash,
    transactions: b.transactions.map(blockTxOf),
  };
}

export const TRANSFER_TOPIC = "ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";

/** TRC20 Transfer events in a receipt: `{ logIndex, token, from, to, amount }` (amount in base units). */
export function trc20Transfers(
  info: TransactionInfo,
): { logIndex: number; token: string; from: string; to: string; amount: bigint }[] {
  const out: { logIndex: number; token: string; from: string; to: string; amount: bigint }[] = [];
  info.logs.forEach((l, logIndex) => {
    if (l.topics.length !== 3 || l.topics[0] !== TRANSFER_TOPIC || !/^[0-9a-f]{64}$/.test(l.data)) return;
    try {
      out.push({
        logIndex,
        token: fromEvmHex(l.address.slice(-40)),
        from: fromEvmHex(l.topics[1]),
        to: fromEvmHex(l.topics[2]),
        amount: BigInt(`0x${l.data}`),
      });
    } catch {
      /* not an address-shaped log */
    }
  });
  return out;
}

// ---------------------------------------------------------------- configuration from env

const DEFAULTS: Record<
  TronNetwork,
  { fullHost: string | null; tronscan: string | null; usdt: string | null }
> = {
  devnet: { fullHost: null, tronscan: null, usdt: "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t" },
  nile: {
    fullHost: "https://nile.trongrid.io",
    tronscan: "https://nileapi.tronscan.org",
    usdt: "TXYZopYRdj2D9XRtbG411XZZ3kM5VkAeBf",
  },
  shasta: {
    fullHost: "https://api.shasta.trongrid.io",
    tronscan: "https://shastapi.tronscan.org",
    usdt: null, // no official USDT on Shasta: USDT_CONTRACT is required there (lib/env.ts)
  },
  mainnet: {
    fullHost: "https://api.trongrid.io",
    tronscan: "https://apilist.tronscanapi.com",
    usdt: "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t",
  },
};

/** Client config from the environment (see lib/env.ts). */
export function tronConfigFromEnv(): TronClientConfig {
  const d = DEFAULTS[env.TRON_NETWORK];
  const local = `http://127.0.0.1:${env.DEVNET_PORT}`;
  return {
    network: env.TRON_NETWORK,
    fullHost: env.TRON_FULL_HOST ?? d.fullHost ?? local,
    apiKey: env.TRONGRID_API_KEY,
    tronscanUrl: env.TRONSCAN_API_URL ?? d.tronscan ?? local,
    // The local devnet's TronScan wants any non-empty key.
    tronscanKey: env.TRONSCAN_API_KEY ?? (env.TRON_NETWORK === "devnet" ? "devnet" : undefined),
    timeoutMs: env.TRON_TIMEOUT_MS,
    usdtContract: env.USDT_CONTRACT ?? d.usdt ?? "",
  };
}

let singleton: TronClient | null = null;

/** The app-wide client built from env. */
export function getTronClient(): TronClient {
  if (!singleton) singleton = new TronClient(tronConfigFromEnv());
  return singleton;
}

/** Tests: forget the singleton (after changing env). */
export function resetTronClient(): void {
  singleton = null;
}

export { ChainError };
