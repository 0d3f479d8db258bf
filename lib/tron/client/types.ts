/** What the TRON client answers and how it is configured: the types its callers see. */
import type { z } from "zod";
import type { unsignedTxSchema } from "./schemas";

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

export type TronRequestInit = { method: string; headers: Record<string, string>; body?: string };
/** What the client needs of an HTTP call: fetch, or anything answering the same subset. */
export type TronFetch = (
  url: string,
  init: TronRequestInit & { signal: AbortSignal },
) => Promise<{ ok: boolean; status: number; text(): Promise<string> }>;

export type Provider = "fullnode" | "tronscan";

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

/** An unsigned transaction as a node's build endpoint printed it (txID, raw_data, raw_data_hex). */
export type UnsignedTransaction = z.output<typeof unsignedTxSchema>;
