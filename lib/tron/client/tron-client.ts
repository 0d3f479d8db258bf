import { LRUCache } from "lru-cache";
import { providers, TronWeb } from "tronweb";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { hexToBase58, parseAddress, toHex } from "@/lib/tron/address";
import { chainErrorFromMessage } from "@/lib/tron/errors";
import { hexToText, int0 } from "@/lib/tron/json";
import {
  type AccountPermission,
  type AccountPermissions,
  accountPermissionsSchema,
  permissionsOf,
  permissionUpdateJson,
} from "@/lib/tron/permissions";
import type { EnergyWeights } from "@/lib/tron/resources";
import { FullNode, type NodeCall } from "./full-node";
import { blockOf, blockTxOf, txInfoOf } from "./mapping";
import { accountOverview } from "./overview";
import {
  blockSchema,
  chainParamsSchema,
  constantSchema,
  delegatedSchema,
  maxSizeSchema,
  resourceSchema,
  txInfoSchema,
  txSchema,
  unsignedTxSchema,
} from "./schemas";
import { Transport, toAppError } from "./transport";
import type {
  AccountOverview,
  AccountResources,
  AccountState,
  Block,
  BlockTx,
  ChainParameters,
  DelegationRecord,
  ResourceOverview,
  TransactionInfo,
  TronClientConfig,
  UnsignedTransaction,
} from "./types";

const RESOURCE_CODE = { BANDWIDTH: 0, ENERGY: 1 } as const;

/**
 * The chain as the app reads it: typed, bigint-exact reads of one full node (TronScan as the
 * fallback for account overviews), a short cache for network parameters, and tronweb over the same
 * node for building and signing. The app's instance comes from `tron()` (./accessor).
 */
export class TronClient {
  readonly config: Required<
    Pick<TronClientConfig, "rateLimitRetries" | "backoffMs" | "cacheTtlMs" | "resourceOverviewTtlMs">
  > &
    TronClientConfig;
  private readonly transport: Transport;
  private readonly fullNode: FullNode;
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
    this.transport = new Transport(this.config, config.fetch);
    this.fullNode = new FullNode(this.transport, this.config, this.usdtHex);
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

  private node<S extends z.ZodType>(...call: NodeCall<S>): Promise<z.output<S>> {
    return this.fullNode.read(...call);
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

  /** Account state (head) for pool refresh: TRX, own frozenV2 per resource, delegated in/out. */
  async getAccount(address: string, opts: { solidified?: boolean } = {}): Promise<AccountState> {
    try {
      return await this.fullNode.account(address, opts.solidified);
    } catch (e) {
      throw toAppError(e);
    }
  }

  /** The account's owner and Active permissions (getaccount; an account never updated has the defaults). */
  async getAccountPermissions(address: string): Promise<AccountPermissions> {
    const b58 = parseAddress(address);
    const raw = await this.node("wallet/getaccount", { address: toHex(b58) }, accountPermissionsSchema);
    return permissionsOf(b58, raw);
  }

  /**
   * The node builds (and, as java-tron does, validates) an unsigned AccountPermissionUpdate that sets
   * the owner permission and the Active permissions (`wallet/accountpermissionupdate`). It replaces
   * every Active permission of the account, so pass the ones to keep.
   */
  async buildAccountPermissionUpdate(
    owner: string,
    ownerPermission: AccountPermission,
    actives: AccountPermission[],
  ): Promise<UnsignedTransaction> {
    const b58 = parseAddress(owner);
    return this.node(
      "wallet/accountpermissionupdate",
      {
        owner_address: toHex(b58),
        owner: permissionUpdateJson(ownerPermission, 0),
        actives: actives.map((a) => permissionUpdateJson(a, 2)),
      },
      unsignedTxSchema,
    );
  }

  async getAccountResources(address: string): Promise<AccountResources> {
    try {
      return await this.fullNode.resources(parseAddress(address));
    } catch (e) {
      throw toAppError(e);
    }
  }

  /** USDT (TRC20 base units) held by `address`, via triggerconstantcontract balanceOf. */
  async usdtBalanceOf(address: string): Promise<bigint> {
    try {
      return await this.fullNode.usdt(parseAddress(address));
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
      const r = await this.fullNode.parsed(
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
    return accountOverview(this.fullNode, this.transport, this.config, address, true);
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
      () =>
        accountOverview(this.fullNode, this.transport, this.config, b58, false).then(
          ({ usdtBase: _, ...o }) => o,
        ),
      this.config.resourceOverviewTtlMs,
    );
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
      return await this.fullNode.raw("wallet/broadcasttransaction", signedTx as Record<string, unknown>);
    } catch (e) {
      throw toAppError(e);
    }
  }
}
