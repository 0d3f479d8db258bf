/**
 * In-memory TRON chain state for the local devnet.
 *
 * Everything is keyed by lowercase 21-byte hex addresses ("41…"). Transactions are decoded and
 * re-encoded only with tronweb's own protobuf helpers (utils.transaction.*), never by hand.
 * The rules follow docs/tron.md (java-tron behaviour).
 */
import { createHash } from "node:crypto";
import { TronWeb, utils } from "tronweb";
import {
  type ContractEnergyState,
  catchUpToCycle,
  energyAtFactor,
  FORWARD_SELECTOR,
  fillerSignature,
  type InternalTx,
  internalTxHash,
  internalTxJson,
  PAYOUT_SELECTOR,
  ROUTER_ENERGY,
  type Trc10,
  assetIdOf,
} from "./contracts";
import { type Genesis, loadDefaultGenesis, resolveGenesis } from "./genesis";
import {
  type Permission,
  PermissionValidateError,
  permissionJson,
  SignatureError,
  validatePermissionUpdate,
  validateSignature,
  defaultActivePermission,
  defaultOwnerPermission,
} from "./permissions";
import { consumeEnergy, energyUsedAt, energyWindowOf, moveUsageOnUndelegate, recovered } from "./resources";

export const USDT_HEX = "41a614f803b6fd780986a42c78ec9c7f77e6ded13c";
export const USDT_BASE58 = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t";
export const FAKE_HEX_DEFAULT = `41${createHash("sha256").update("devnet FAKE token").digest("hex").slice(0, 40)}`;
export const TRANSFER_TOPIC = "ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";
export const SUN = 1_000_000;
const DAY_MS = 86_400_000;
const BLOCK_MS = 3000;
const WITNESS = `41${createHash("sha256").update("devnet witness").digest("hex").slice(0, 40)}`;

export type Resource = "BANDWIDTH" | "ENERGY";

export interface Account {
  address: string;
  balance: number;
  createTime: number;
  isContract?: boolean;
  latestOprationTime?: number;
  frozenBandwidth: number;
  frozenEnergy: number;
  frozenTronPower: number;
  delegatedOutBandwidth: number;
  delegatedOutEnergy: number;
  acquiredBandwidth: number;
  acquiredEnergy: number;
  netUsage: number;
  netTime: number;
  freeNetUsage: number;
  freeNetTime: number;
  energyUsage: number;
  energyTime: number;
  /** ms over which `energyUsage` recovers (java-tron's energy window); absent = 24 h. */
  energyWindow?: number;
  unfrozenV2: { type: Resource; amount: number; expire: number }[];
  /** Set by an AccountPermissionUpdate; absent = java-tron's defaults (owner 0, active 2). */
  ownerPermission?: Permission;
  activePermissions?: Permission[];
}

export interface Delegation {
  from: string;
  to: string;
  locked: boolean;
  energy: number;
  bandwidth: number;
  expireEnergy: number;
  expireBandwidth: number;
}

export interface Token {
  address: string;
  symbol: string;
  name: string;
  decimals: number;
  balances: Map<string, bigint>;
}

export interface ChainState {
  accounts: Map<string, Account>;
  delegations: Map<string, Delegation>;
  tokens: Map<string, Token>;
  totalEnergyWeight: number; // whole TRX
  totalNetWeight: number; // whole TRX
  totalTronPowerWeight: number;
  /** TRC10 assets by id. */
  trc10: Map<string, Trc10>;
  /** Dynamic energy state per contract (java-tron ContractState). */
  contractEnergy: Map<string, ContractEnergyState>;
  /** Contracts that send TRX from a call (see contracts.ts). */
  routers: Set<string>;
}

export interface Block {
  number: number;
  blockID: string;
  timestamp: number;
  parentHash: string;
  txIds: string[];
}

export interface StoredTx {
  txID: string;
  tx: Record<string, any>; // {ret, signature, txID, raw_data, raw_data_hex}
  info: Record<string, any>; // TransactionInfo without block fields
  blockNumber: number; // -1 while pending
  blockTimestamp: number;
  index: number;
  owner: string;
  to?: string;
  contractType: string;
  trc20: { token: string; from: string; to: string; value: string }[];
  /** TRX moved by the contract call (java-tron internal transactions). */
  internal?: InternalTx[];
  /** TRC10 transfer: asset id and amount. */
  trc10?: { id: string; amount: string };
}

export interface BroadcastResult {
  result?: boolean;
  code?: string;
  txid: string;
  message?: string;
}

export class TxError extends Error {
  constructor(
    public code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ChainOptions {
  genesis?: Genesis;
  solidityLag?: number;
}

export const emptyAccount = (address: string, now: number): Account => ({
  address,
  balance: 0,
  createTime: now,
  frozenBandwidth: 0,
  frozenEnergy: 0,
  frozenTronPower: 0,
  delegatedOutBandwidth: 0,
  delegatedOutEnergy: 0,
  acquiredBandwidth: 0,
  acquiredEnergy: 0,
  netUsage: 0,
  netTime: 0,
  freeNetUsage: 0,
  freeNetTime: 0,
  energyUsage: 0,
  energyTime: 0,
  unfrozenV2: [],
});

export { recovered };

export function toHexAddr(a: unknown): string {
  if (typeof a !== "string" || a.length === 0) throw new Error("Invalid address");
  if (a.length === 34 && a.startsWith("T")) {
    if (!TronWeb.isAddress(a)) throw new Error(`Invalid address ${a}`);
    return TronWeb.address.toHex(a).toLowerCase();
  }
  let h = a.toLowerCase();
  if (h.startsWith("0x")) h = `41${h.slice(2)}`;
  if (!/^41[0-9a-f]{40}$/.test(h)) throw new Error(`Invalid address ${a}`);
  return h;
}

export const toBase58 = (hex: string): string => TronWeb.address.fromHex(hex);
export const hexOfText = (s: string): string => Buffer.from(s, "utf8").toString("hex");

function cloneState(s: ChainState): ChainState {
  const accounts = new Map<string, Account>();
  for (const [k, a] of s.accounts) accounts.set(k, { ...a, unfrozenV2: a.unfrozenV2.map((u) => ({ ...u })) });
  const delegations = new Map<string, Delegation>();
  for (const [k, d] of s.delegations) delegations.set(k, { ...d });
  const tokens = new Map<string, Token>();
  for (const [k, t] of s.tokens) tokens.set(k, { ...t, balances: new Map(t.balances) });
  const trc10 = new Map<string, Trc10>();
  for (const [k, t] of s.trc10) trc10.set(k, { ...t, balances: new Map(t.balances) });
  const contractEnergy = new Map<string, ContractEnergyState>();
  for (const [k, c] of s.contractEnergy) contractEnergy.set(k, { ...c });
  return {
    trc10,
    contractEnergy,
    routers: new Set(s.routers),
    accounts,
    delegations,
    tokens,
    totalEnergyWeight: s.totalEnergyWeight,
    totalNetWeight: s.totalNetWeight,
    totalTronPowerWeight: s.totalTronPowerWeight,
  };
}

const dkey = (from: string, to: string, locked: boolean) => `${from}|${to}|${locked ? 1 : 0}`;

/** A read view over one state snapshot at a given chain time. */
export class StateView {
  constructor(
    public chain: Chain,
    public s: ChainState,
    public now: number,
  ) {}

  get p() {
    return this.chain.params;
  }

  /**
   * EnergyProcessor.calculateGlobalEnergyLimitV2 (Stake 2.0): the stake in TRX as a double, not
   * truncated to whole TRX, times the double TotalEnergyCurrentLimit / TotalEnergyWeight, truncated.
   */
  energyLimit(a: Account): number {
    if (this.s.totalEnergyWeight <= 0) return 0;
    const weight = (a.frozenEnergy + a.acquiredEnergy) / SUN;
    return Math.trunc(weight * (this.p.getTotalEnergyCurrentLimit / this.s.totalEnergyWeight));
  }

  /** BandwidthProcessor.calculateGlobalNetLimitV2, the same way. */
  netLimit(a: Account): number {
    if (this.s.totalNetWeight <= 0) return 0;
    const weight = (a.frozenBandwidth + a.acquiredBandwidth) / SUN;
    return Math.trunc(weight * (this.p.getTotalNetLimit / this.s.totalNetWeight));
  }

  energyUsed(a: Account): number {
    return energyUsedAt(a, this.now);
  }
  netUsed(a: Account): number {
    return recovered(a.netUsage, a.netTime, this.now);
  }
  freeNetUsed(a: Account): number {
    return recovered(a.freeNetUsage, a.freeNetTime, this.now);
  }

  /** getcandelegatedmaxsize in sun (0 below 1 TRX). */
  canDelegateMax(a: Account, resource: Resource): number {
    let v: number;
    if (resource === "ENERGY") {
      const usageSun = Math.floor(
        this.energyUsed(a) * ((this.s.totalEnergyWeight * SUN) / this.p.getTotalEnergyCurrentLimit),
      );
      const v2Usage = Math.max(0, usageSun - a.acquiredEnergy);
      v = a.frozenEnergy - v2Usage;
    } else {
      const usageSun = Math.floor(
        this.netUsed(a) * ((this.s.totalNetWeight * SUN) / this.p.getTotalNetLimit),
      );
      const v2Usage = Math.max(0, usageSun - a.acquiredBandwidth);
      v = a.frozenBandwidth - v2Usage;
    }
    return v < SUN ? 0 : v;
  }

  tokenBalance(token: string, holder: string): bigint {
    return this.s.tokens.get(token)?.balances.get(holder) ?? 0n;
  }

  accountJson(addr: string): Record<string, any> {
    const a = this.s.accounts.get(addr);
    if (!a) return {};
    const o: Record<string, any> = { address: a.address };
    if (a.balance) o.balance = a.balance;
    if (a.isContract) o.type = "Contract";
    o.create_time = a.createTime;
    if (a.latestOprationTime) o.latest_opration_time = a.latestOprationTime;
    const freeUsed = this.freeNetUsed(a);
    if (freeUsed) o.free_net_usage = freeUsed;
    if (a.freeNetTime) o.latest_consume_free_time = a.freeNetTime;
    const netUsed = this.netUsed(a);
    if (netUsed) o.net_usage = netUsed;
    if (a.netTime) {
      o.latest_consume_time = a.netTime;
      o.net_window_size = 28_800_000;
      o.net_window_optimized = true;
    }
    if (!a.isContract) {
      o.owner_permission = permissionJson(a.ownerPermission ?? defaultOwnerPermission(a.address));
      o.active_permission = (a.activePermissions ?? [defaultActivePermission(a.address)]).map(permissionJson);
    }
    const ar: Record<string, any> = {};
    const eUsed = this.energyUsed(a);
    if (eUsed) ar.energy_usage = eUsed;
    if (a.energyTime) {
      ar.latest_consume_time_for_energy = a.energyTime;
      ar.energy_window_size = Math.round((energyWindowOf(a) / 3000) * 1000);
      ar.energy_window_optimized = true;
    }
    if (a.delegatedOutEnergy) ar.delegated_frozenV2_balance_for_energy = a.delegatedOutEnergy;
    if (a.acquiredEnergy) ar.acquired_delegated_frozenV2_balance_for_energy = a.acquiredEnergy;
    if (Object.keys(ar).length) o.account_resource = ar;
    o.asset_optimized = true;
    const assets = [...this.s.trc10.values()]
      .filter((t) => (t.balances.get(addr) ?? 0n) > 0n)
      .map((t) => ({ key: t.id, value: Number(t.balances.get(addr)) }));
    if (assets.length) o.assetV2 = assets;
    const bw: Record<string, any> = {};
    if (a.frozenBandwidth) bw.amount = a.frozenBandwidth;
    const en: Record<string, any> = { type: "ENERGY" };
    if (a.frozenEnergy) en.amount = a.frozenEnergy;
    const tp: Record<string, any> = { type: "TRON_POWER" };
    if (a.frozenTronPower) tp.amount = a.frozenTronPower;
    o.frozenV2 = [bw, en, tp];
    if (a.unfrozenV2.length) {
      o.unfrozenV2 = a.unfrozenV2.map((u) => {
        const e: Record<string, any> = {};
        if (u.type === "ENERGY") e.type = "ENERGY";
        e.unfreeze_amount = u.amount;
        e.unfreeze_expire_time = u.expire;
        return e;
      });
    }
    if (a.delegatedOutBandwidth) o.delegated_frozenV2_balance_for_bandwidth = a.delegatedOutBandwidth;
    if (a.acquiredBandwidth) o.acquired_delegated_frozenV2_balance_for_bandwidth = a.acquiredBandwidth;
    return o;
  }

  netJson(a: Account): Record<string, any> {
    const o: Record<string, any> = {};
    const fu = this.freeNetUsed(a);
    if (fu) o.freeNetUsed = fu;
    if (this.p.getFreeNetLimit) o.freeNetLimit = this.p.getFreeNetLimit;
    const nu = this.netUsed(a);
    if (nu) o.NetUsed = nu;
    const nl = this.netLimit(a);
    if (nl) o.NetLimit = nl;
    o.TotalNetLimit = this.p.getTotalNetLimit;
    o.TotalNetWeight = this.s.totalNetWeight;
    return o;
  }

  resourceJson(addr: string): Record<string, any> {
    const a = this.s.accounts.get(addr);
    if (!a) return {};
    const o = this.netJson(a);
    if (this.s.totalTronPowerWeight) o.TotalTronPowerWeight = this.s.totalTronPowerWeight;
    const tpl = Math.floor(
      (a.frozenBandwidth +
        a.frozenEnergy +
        a.frozenTronPower +
        a.delegatedOutBandwidth +
        a.delegatedOutEnergy) /
        SUN,
    );
    if (tpl) o.tronPowerLimit = tpl;
    const eu = this.energyUsed(a);
    if (eu) o.EnergyUsed = eu;
    const el = this.energyLimit(a);
    if (el) o.EnergyLimit = el;
    o.TotalEnergyLimit = this.p.getTotalEnergyCurrentLimit;
    o.TotalEnergyWeight = this.s.totalEnergyWeight;
    return o;
  }

  delegatedResourceJson(from: string, to: string): Record<string, any> {
    const out: Record<string, any>[] = [];
    for (const locked of [false, true]) {
      const d = this.s.delegations.get(dkey(from, to, locked));
      if (!d || (!d.energy && !d.bandwidth)) continue;
      const r: Record<string, any> = { from, to };
      if (d.bandwidth) r.frozen_balance_for_bandwidth = d.bandwidth;
      if (d.energy) r.frozen_balance_for_energy = d.energy;
      if (d.expireBandwidth) r.expire_time_for_bandwidth = d.expireBandwidth;
      if (d.expireEnergy) r.expire_time_for_energy = d.expireEnergy;
      out.push(r);
    }
    return out.length ? { delegatedResource: out } : {};
  }

  delegationIndexJson(addr: string): Record<string, any> {
    const fromSet = new Set<string>();
    const toSet = new Set<string>();
    for (const d of this.s.delegations.values()) {
      if (!d.energy && !d.bandwidth) continue;
      if (d.from === addr) toSet.add(d.to);
      if (d.to === addr) fromSet.add(d.from);
    }
    if (!fromSet.size && !toSet.size) return {};
    const o: Record<string, any> = { account: addr };
    if (fromSet.size) o.fromAccounts = [...fromSet];
    if (toSet.size) o.toAccounts = [...toSet];
    return o;
  }
}

export type ChainParams = Record<string, number>;

export const DEFAULT_PARAMS: ChainParams = {
  getMaintenanceTimeInterval: 21_600_000,
  getAccountUpgradeCost: 9_999_000_000,
  getCreateAccountFee: 100_000,
  getTransactionFee: 1000,
  getAssetIssueFee: 1_024_000_000,
  getWitnessPayPerBlock: 8_000_000,
  getWitnessStandbyAllowance: 115_200_000_000,
  getCreateNewAccountFeeInSystemContract: 1_000_000,
  getCreateNewAccountBandwidthRate: 1,
  getAllowCreationOfContracts: 1,
  getRemoveThePowerOfTheGr: -1,
  getEnergyFee: 100,
  getExchangeCreateFee: 1_024_000_000,
  getMaxCpuTimeOfOneTx: 80,
  getAllowUpdateAccountName: 0,
  getAllowSameTokenName: 1,
  getAllowDelegateResource: 1,
  getTotalEnergyLimit: 90_000_000_000,
  getTotalEnergyCurrentLimit: 180_000_000_000,
  getAllowMultiSign: 1,
  getAllowAdaptiveEnergy: 0,
  getTotalEnergyTargetLimit: 6_250_000,
  getTotalEnergyAverageUsage: 0,
  getUpdateAccountPermissionFee: 100_000_000,
  getMultiSignFee: 1_000_000,
  getMaxFeeLimit: 15_000_000_000,
  getFreeNetLimit: 600,
  getTotalNetLimit: 43_200_000_000,
  getMemoFee: 1_000_000,
  getAllowDelegateOptimization: 1,
  getUnfreezeDelayDays: 14,
  getAllowDynamicEnergy: 1,
  getDynamicEnergyThreshold: 5_000_000_000,
  getDynamicEnergyIncreaseFactor: 2000,
  getDynamicEnergyMaxFactor: 34_000,
  getAllowTvmShangHai: 1,
  getMaxDelegateLockPeriod: 864_000,
  getAllowOldRewardOpt: 1,
  getAllowEnergyAdjustment: 1,
  getMaxCreateAccountTxSize: 1000,
  getAllowStrictMath: 1,
  getConsensusLogicOptimization: 1,
  getAllowTvmCancun: 1,
  getAllowTvmBlob: 0,
};

export interface EnergyCosts {
  /** USDT energy at the genesis energy factor `factor` (see contracts.ts energyAtFactor). */
  transferToHolder: number;
  transferToEmpty: number;
  revert: number;
  /** USDT's energy factor at genesis, in 1/10,000 (34,000 = mainnet's ×4.4). */
  factor: number;
}

const CONTRACT_TYPES: Record<number, string> = {
  1: "TransferContract",
  2: "TransferAssetContract",
  31: "TriggerSmartContract",
  46: "AccountPermissionUpdateContract",
  54: "FreezeBalanceV2Contract",
  55: "UnfreezeBalanceV2Contract",
  57: "DelegateResourceContract",
  58: "UnDelegateResourceContract",
};

function encodeTx(tx: Record<string, any>): { txID: string; rawHex: string; pb: any } {
  const pb = utils.transaction.txJsonToPb(tx as any);
  return {
    pb,
    txID: utils.transaction.txPbToTxID(pb).replace(/^0x/, "").toLowerCase(),
    rawHex: utils.transaction.txPbToRawDataHex(pb).toLowerCase(),
  };
}

export class Chain {
  params: ChainParams;
  energy: EnergyCosts;
  state!: ChainState;
  blocks: Block[] = [];
  txs = new Map<string, StoredTx>();
  pending: StoredTx[] = [];
  tapos = new Map<number, string>();
  snapshots = new Map<number, ChainState>();
  clockOffset = 0;
  solidityLag: number;
  /** Block states kept beyond the solidified one (lagging nodes answer from them; see nodes.ts). */
  extraSnapshots = 0;
  fakeToken: string;
  private genesis: Genesis;
  /** Called after a tx is accepted into the pending pool. */
  onAccepted?: () => void;

  constructor(opts: ChainOptions = {}) {
    this.genesis = opts.genesis ?? loadDefaultGenesis();
    this.solidityLag = opts.solidityLag ?? 19;
    this.params = { ...DEFAULT_PARAMS, ...(this.genesis.chainParameters ?? {}) };
    this.energy = {
      transferToHolder: this.genesis.usdtEnergy?.transferToHolder ?? 64_285,
      transferToEmpty: this.genesis.usdtEnergy?.transferToEmpty ?? 130_285,
      revert: this.genesis.usdtEnergy?.revert ?? 3_000,
      factor: this.genesis.usdtEnergy?.factor ?? 34_000,
    };
    this.fakeToken = FAKE_HEX_DEFAULT;
    this.reset();
  }

  // ---------------------------------------------------------------- clock / blocks
  wallNow(): number {
    return Date.now() + this.clockOffset;
  }
  get head(): Block {
    return this.blocks[this.blocks.length - 1];
  }
  get solidifiedNumber(): number {
    return Math.max(0, this.head.number - this.solidityLag);
  }
  headView(): StateView {
    return new StateView(this, this.state, this.head.timestamp);
  }
  solidView(): StateView {
    const s = this.snapshots.get(this.solidifiedNumber) ?? this.state;
    return new StateView(this, s, this.head.timestamp);
  }

  /** Genesis block time: maintenance cycles count from it. */
  genesisTime = 0;

  /** java-tron's CURRENT_CYCLE_NUMBER: one more every getMaintenanceTimeInterval (6 h on mainnet). */
  cycleAt(timestamp: number): number {
    const interval = Math.max(1, this.params.getMaintenanceTimeInterval);
    return 1 + Math.floor(Math.max(0, timestamp - this.genesisTime) / interval);
  }

  /** The contract's energy state caught up to the cycle of `timestamp` (created on first use). */
  contractEnergyState(contract: string, timestamp: number, s: ChainState = this.state): ContractEnergyState {
    const cycle = this.cycleAt(timestamp);
    let st = s.contractEnergy.get(contract);
    if (!st) {
      st = { energyUsage: 0, energyFactor: 0, updateCycle: cycle };
      s.contractEnergy.set(contract, st);
    }
    if (this.params.getAllowDynamicEnergy)
      catchUpToCycle(st, cycle, {
        threshold: this.params.getDynamicEnergyThreshold,
        increaseFactor: this.params.getDynamicEnergyIncreaseFactor,
        maxFactor: this.params.getDynamicEnergyMaxFactor,
      });
    return st;
  }

  reset(): void {
    const g = resolveGenesis(this.genesis);
    this.params = { ...DEFAULT_PARAMS, ...(this.genesis.chainParameters ?? {}) };
    this.clockOffset = 0;
    this.blocks = [];
    this.txs.clear();
    this.pending = [];
    this.tapos.clear();
    this.snapshots.clear();
    const t0 = Math.floor(Date.now() / BLOCK_MS) * BLOCK_MS - 2 * BLOCK_MS;
    const s: ChainState = {
      accounts: new Map(),
      delegations: new Map(),
      tokens: new Map(),
      totalEnergyWeight: this.genesis.totalEnergyWeight ?? 19_000_000_000,
      totalNetWeight: this.genesis.totalNetWeight ?? 26_000_000_000,
      totalTronPowerWeight: this.genesis.totalTronPowerWeight ?? 45_000_000_000,
      trc10: new Map(),
      contractEnergy: new Map(),
      routers: new Set(),
    };
    this.genesisTime = t0;
    // USDT has been at the top of the dynamic energy model on mainnet for years.
    s.contractEnergy.set(USDT_HEX, { energyUsage: 0, energyFactor: this.energy.factor, updateCycle: 1 });
    this.state = s;
    const mkContract = (addr: string) => {
      const c = emptyAccount(addr, t0);
      c.isContract = true;
      s.accounts.set(addr, c);
    };
    mkContract(USDT_HEX);
    mkContract(this.fakeToken);
    s.tokens.set(USDT_HEX, {
      address: USDT_HEX,
      symbol: "USDT",
      name: "Tether USD",
      decimals: 6,
      balances: new Map(),
    });
    s.tokens.set(this.fakeToken, {
      address: this.fakeToken,
      symbol: "FAKE",
      name: "Fake Token",
      decimals: 6,
      balances: new Map(),
    });
    for (const ga of g.accounts) {
      const a = emptyAccount(ga.address, t0);
      a.balance = ga.balanceSun;
      a.frozenEnergy = ga.frozenEnergySun;
      a.frozenBandwidth = ga.frozenBandwidthSun;
      s.accounts.set(a.address, a);
      if (ga.usdtUnits > 0n) s.tokens.get(USDT_HEX)!.balances.set(a.address, ga.usdtUnits);
      if (ga.fakeUnits > 0n) s.tokens.get(this.fakeToken)!.balances.set(a.address, ga.fakeUnits);
    }
    // genesis block 0, then block 1 so that head.number is never the omitted proto3 default
    this.pushBlock(t0, []);
    this.pushBlock(t0 + BLOCK_MS, []);
  }

  private pushBlock(timestamp: number, txIds: string[]): Block {
    const number = this.blocks.length;
    const parentHash = number === 0 ? "0".repeat(64) : this.head.blockID;
    const h = createHash("sha256")
      .update(`${number}|${timestamp}|${parentHash}|${txIds.join(",")}`)
      .digest("hex");
    const blockID = number.toString(16).padStart(16, "0") + h.slice(16);
    const b: Block = { number, blockID, timestamp, parentHash, txIds };
    this.blocks.push(b);
    this.tapos.set(number & 0xffff, blockID.slice(16, 32));
    this.snapshots.set(number, cloneState(this.state));
    const keepFrom = number - this.solidityLag - 2 - this.extraSnapshots;
    for (const k of this.snapshots.keys()) {
      if (k >= keepFrom) break;
      this.snapshots.delete(k);
    }
    return b;
  }

  /** Mine one block with every pending tx. */
  mine(count = 1): Block[] {
    const out: Block[] = [];
    for (let i = 0; i < count; i++) {
      const ts = Math.max(this.head.timestamp + BLOCK_MS, Math.floor(this.wallNow() / BLOCK_MS) * BLOCK_MS);
      const included = this.pending;
      this.pending = [];
      const b = this.pushBlock(
        ts,
        included.map((t) => t.txID),
      );
      included.forEach((t, idx) => {
        t.blockNumber = b.number;
        t.blockTimestamp = ts;
        t.index = idx;
      });
      out.push(b);
    }
    return out;
  }

  advanceTime(ms: number, mine = true): void {
    this.clockOffset += ms;
    if (mine) this.mine(1);
  }

  blockJson(b: Block, detail = true): Record<string, any> {
    const raw: Record<string, any> = {};
    if (b.number) raw.number = b.number;
    raw.txTrieRoot = createHash("sha256").update(b.txIds.join("")).digest("hex");
    raw.witness_address = WITNESS;
    raw.parentHash = b.parentHash;
    raw.version = 31;
    raw.timestamp = b.timestamp;
    const o: Record<string, any> = {
      blockID: b.blockID,
      block_header: {
        raw_data: raw,
        witness_signature: createHash("sha256").update(b.blockID).digest("hex"),
      },
    };
    if (detail && b.txIds.length) o.transactions = b.txIds.map((id) => this.txs.get(id)!.tx);
    return o;
  }

  txInfoJson(t: StoredTx): Record<string, any> {
    return {
      id: t.txID,
      ...(t.info.fee ? { fee: t.info.fee } : {}),
      blockNumber: t.blockNumber,
      blockTimeStamp: t.blockTimestamp,
      ...withoutFee(t.info),
    };
  }

  /** Tx visible on /wallet (in a block) or /walletsolidity (solidified). */
  findTx(id: string, solid: boolean): StoredTx | undefined {
    const t = this.txs.get(id);
    if (!t || t.blockNumber < 0) return undefined;
    if (solid && t.blockNumber > this.solidifiedNumber) return undefined;
    return t;
  }

  // ---------------------------------------------------------------- control helpers
  ensureAccount(addr: string): Account {
    let a = this.state.accounts.get(addr);
    if (!a) {
      a = emptyAccount(addr, this.head.timestamp);
      this.state.accounts.set(addr, a);
    }
    return a;
  }

  fund(addr: string, sun: number): Account {
    const a = this.ensureAccount(addr);
    a.balance += sun;
    return a;
  }

  fundToken(token: string, addr: string, units: bigint): void {
    const t = this.state.tokens.get(token);
    if (!t) throw new Error(`unknown token ${token}`);
    t.balances.set(addr, (t.balances.get(addr) ?? 0n) + units);
  }

  deployToken(addr: string, symbol: string, name: string, decimals: number): Token {
    const existing = this.state.tokens.get(addr);
    if (existing) return existing;
    const c = this.ensureAccount(addr);
    c.isContract = true;
    const t: Token = { address: addr, symbol, name, decimals, balances: new Map() };
    this.state.tokens.set(addr, t);
    return t;
  }

  /** Stake directly (no tx): frozenV2 goes up and the global weight moves like a real freeze. */
  stake(addr: string, sun: number, resource: Resource, fromBalance = false): void {
    const a = this.ensureAccount(addr);
    if (fromBalance) {
      if (a.balance < sun) throw new Error("frozenBalance must be less than or equal to accountBalance");
      a.balance -= sun;
    }
    if (resource === "ENERGY") {
      a.frozenEnergy += sun;
      this.state.totalEnergyWeight += Math.floor(sun / SUN);
    } else {
      a.frozenBandwidth += sun;
      this.state.totalNetWeight += Math.floor(sun / SUN);
    }
    this.state.totalTronPowerWeight += Math.floor(sun / SUN);
  }

  // ---------------------------------------------------------------- broadcast
  /** Compute the txid the node would compute from the posted raw_data. */
  txidOf(tx: Record<string, any>): string {
    return encodeTx(tx).txID;
  }

  decodeHex(hex: string): Record<string, any> {
    const proto = (globalThis as any).TronWebProto;
    const pb = proto.Transaction.deserializeBinary(Buffer.from(hex, "hex"));
    const raw = pb.getRawData();
    const rawHex = Buffer.from(raw.serializeBinary()).toString("hex");
    const type = CONTRACT_TYPES[raw.getContractList()[0]?.getType()];
    if (!type) throw new Error("unsupported contract type in broadcasthex");
    const decoded: any = utils.deserializeTx.deserializeTransaction(type, rawHex);
    const rawData = decoded.raw_data ?? decoded;
    lowerAddresses(rawData);
    const sigs: string[] = pb.getSignatureList().map((s: Uint8Array) => Buffer.from(s).toString("hex"));
    return { visible: false, raw_data: rawData, raw_data_hex: rawHex, signature: sigs };
  }

  broadcast(tx: Record<string, any>, opts: { drop?: boolean } = {}): BroadcastResult {
    let txid = "";
    try {
      if (!tx || typeof tx !== "object" || !tx.raw_data)
        throw new TxError("OTHER_ERROR", "Error: raw_data is missing");
      let enc: ReturnType<typeof encodeTx>;
      try {
        enc = encodeTx(tx);
      } catch (e) {
        throw new TxError("OTHER_ERROR", `Error: ${(e as Error).message}`);
      }
      txid = enc.txID;
      if (opts.drop) return { result: true, txid };
      const raw = tx.raw_data;
      const contract = raw.contract?.[0];
      if (!contract) throw new TxError("CONTRACT_VALIDATE_ERROR", "Contract validate error : No contract!");
      const value = contract.parameter?.value ?? {};
      const sigs: string[] = Array.isArray(tx.signature) ? tx.signature : [];
      const headTime = this.head.timestamp;
      const exp = Number(raw.expiration ?? 0);
      // java-tron's order (Wallet.broadcastTransaction, Manager.pushTransaction / processTransaction):
      // 1. expiry against the next block slot: a tx that would be expired when the next block is made
      if (exp < headTime + BLOCK_MS) throw new TxError("TRANSACTION_EXPIRATION_ERROR", "Transaction expired");
      // 2. the signature, against the permission the contract names (before TaPoS and duplicates)
      const owner = toHexAddr(value.owner_address);
      try {
        validateSignature({
          txid,
          signatures: sigs,
          contractType: String(contract.type ?? ""),
          permissionId: Number(contract.Permission_id ?? 0),
          owner,
          account: this.state.accounts.get(owner),
        });
      } catch (e) {
        if (e instanceof SignatureError)
          throw new TxError("SIGERROR", `Validate signature error: ${e.message}`);
        throw e;
      }
      // 3. TaPoS
      const refNum = Number.parseInt(String(raw.ref_block_bytes ?? ""), 16);
      const expect = this.tapos.get(refNum);
      if (!expect || String(raw.ref_block_hash ?? "").toLowerCase() !== expect)
        throw new TxError("TAPOS_ERROR", "Tapos check error.");
      // 4. size
      const size = enc.rawHex.length / 2 + 3 + sigs.length * 67;
      if (size > 500 * 1024) throw new TxError("TOO_BIG_TRANSACTION_ERROR", "Too big transaction");
      // 5. expiration window against the head block
      if (!(exp > headTime && exp <= headTime + DAY_MS))
        throw new TxError("TRANSACTION_EXPIRATION_ERROR", "Transaction expired");
      // 6. duplicate
      if (this.txs.has(txid)) throw new TxError("DUP_TRANSACTION_ERROR", "Dup transaction.");
      // 7. bandwidth, the multi-signature fee, then the actuator (validate, execute)
      const stored = this.execute(tx, contract, value, owner, txid, size + 64, sigs.length);
      this.txs.set(txid, stored);
      this.pending.push(stored);
      this.onAccepted?.();
      return { result: true, txid };
    } catch (e) {
      if (e instanceof TxError) return { code: e.code, txid, message: e.message };
      return { code: "OTHER_ERROR", txid, message: `Error: ${(e as Error).message}` };
    }
  }

  /**
   * A transaction of some other sender that the devnet makes up itself (filler blocks of mainnet
   * size): executed and included like any other, but it carries a placeholder signature that is not
   * checked (the devnet plays the other block producers here).
   */
  acceptForeign(tx: Record<string, any>): BroadcastResult {
    let txid = "";
    try {
      const enc = encodeTx(tx);
      txid = enc.txID;
      if (this.txs.has(txid)) throw new TxError("DUP_TRANSACTION_ERROR", "Dup transaction.");
      const contract = tx.raw_data.contract[0];
      const value = contract.parameter.value;
      const owner = toHexAddr(value.owner_address);
      const signed = { ...tx, txID: txid, raw_data_hex: enc.rawHex, signature: [fillerSignature(txid)] };
      const size = enc.rawHex.length / 2 + 3 + 67;
      const stored = this.execute(signed, contract, value, owner, txid, size + 64);
      this.txs.set(txid, stored);
      this.pending.push(stored);
      return { result: true, txid };
    } catch (e) {
      if (e instanceof TxError) return { code: e.code, txid, message: e.message };
      return { code: "OTHER_ERROR", txid, message: `Error: ${(e as Error).message}` };
    }
  }

  // ---------------------------------------------------------------- TRC10 and router contracts
  /** Issues a TRC10 asset (no tx: like deploy-token for TRC20). Returns it; an existing id is kept. */
  issueTrc10(p: { id: string; name: string; abbr: string; precision: number; owner: string }): Trc10 {
    const existing = this.state.trc10.get(p.id);
    if (existing) return existing;
    const t: Trc10 = { ...p, balances: new Map() };
    this.state.trc10.set(p.id, t);
    return t;
  }

  fundTrc10(id: string, addr: string, units: bigint): void {
    const t = this.state.trc10.get(id);
    if (!t) throw new Error(`unknown TRC10 asset ${id}`);
    this.ensureAccount(addr);
    t.balances.set(addr, (t.balances.get(addr) ?? 0n) + units);
  }

  /** Registers a router contract at `addr` (see contracts.ts: forward(address), payout(address,uint256)). */
  deployRouter(addr: string): void {
    const c = this.ensureAccount(addr);
    c.isContract = true;
    this.state.routers.add(addr);
  }

  private execute(
    tx: Record<string, any>,
    contract: any,
    value: any,
    owner: string,
    txid: string,
    bytes: number,
    sigCount = 1,
  ): StoredTx {
    const s = this.state;
    const now = this.head.timestamp;
    const view = this.headView();
    const ownerAcc = s.accounts.get(owner);
    const type: string = contract?.type;
    const cve = (m: string) => new TxError("CONTRACT_VALIDATE_ERROR", `Contract validate error : ${m}`);
    if (!ownerAcc) {
      if (type === "TransferContract") throw cve("Validate TransferContract error, no OwnerAccount.");
      throw cve(`Account[${owner}] not exists`);
    }
    // --- bandwidth plan (applied only if the actuator validates)
    let createsAccount = false;
    let to: string | undefined;
    if (type === "TransferContract" || type === "TransferAssetContract") {
      to = toHexAddr(value.to_address);
      createsAccount = !s.accounts.has(to);
    }
    let netPlan: { kind: "staked" | "free" | "burn"; fee: number };
    const stakedLeft = view.netLimit(ownerAcc) - view.netUsed(ownerAcc);
    if (createsAccount) {
      if (stakedLeft >= bytes * this.params.getCreateNewAccountBandwidthRate)
        netPlan = { kind: "staked", fee: 0 };
      else netPlan = { kind: "burn", fee: this.params.getCreateAccountFee };
    } else if (stakedLeft >= bytes) netPlan = { kind: "staked", fee: 0 };
    else if (this.params.getFreeNetLimit - view.freeNetUsed(ownerAcc) >= bytes)
      netPlan = { kind: "free", fee: 0 };
    else netPlan = { kind: "burn", fee: bytes * this.params.getTransactionFee };
    if (netPlan.fee > ownerAcc.balance)
      throw new TxError("BANDWITH_ERROR", "Account resource insufficient error.");
    // Manager.consumeMultiSignFee: more than one signature costs getMultiSignFee.
    const multiSignFee = sigCount > 1 ? this.params.getMultiSignFee : 0;
    if (multiSignFee && netPlan.fee + multiSignFee > ownerAcc.balance)
      throw new TxError("BANDWITH_ERROR", "Account resource insufficient error.");

    const applyNet = () => {
      if (netPlan.kind === "staked") {
        ownerAcc.netUsage = view.netUsed(ownerAcc) + bytes;
        ownerAcc.netTime = now;
      } else if (netPlan.kind === "free") {
        ownerAcc.freeNetUsage = view.freeNetUsed(ownerAcc) + bytes;
        ownerAcc.freeNetTime = now;
      } else ownerAcc.balance -= netPlan.fee;
      ownerAcc.balance -= multiSignFee;
      ownerAcc.latestOprationTime = now;
    };
    const receipt: Record<string, any> = {};
    if (netPlan.kind === "burn") receipt.net_fee = netPlan.fee;
    else receipt.net_usage = bytes;
    let fee = netPlan.fee + multiSignFee;
    const info: Record<string, any> = {};
    let contractRet = "SUCCESS";
    const trc20: StoredTx["trc20"] = [];
    let internal: InternalTx[] | undefined;
    let trc10Moved: StoredTx["trc10"];
    // the multi-sign fee is taken before the actuator runs (Manager.consumeMultiSignFee)
    const balanceAfterNet = ownerAcc.balance - netPlan.fee - multiSignFee;

    switch (type) {
      case "TransferContract": {
        const amount = Number(value.amount ?? 0);
        if (to === owner) throw cve("Cannot transfer TRX to yourself.");
        if (!(amount > 0)) throw cve("Amount must be greater than 0.");
        // TransferActuator.validate: refused since the ForbidTransferToContract proposal (on mainnet)
        if (s.accounts.get(to!)?.isContract) throw cve("Cannot transfer TRX to a smartContract.");
        const createFee = createsAccount ? this.params.getCreateNewAccountFeeInSystemContract : 0;
        if (balanceAfterNet < amount + createFee)
          throw cve("Validate TransferContract error, balance is not sufficient.");
        applyNet();
        ownerAcc.balance -= amount + createFee;
        fee += createFee;
        const toAcc = this.ensureAccount(to!);
        toAcc.balance += amount;
        break;
      }
      case "TransferAssetContract": {
        // java-tron TransferAssetActuator.validate, in its order
        const amount = Number(value.amount ?? 0);
        if (!(amount > 0)) throw cve("Amount must be greater than 0.");
        if (to === owner) throw cve("Cannot transfer asset to yourself.");
        const id = assetIdOf(value.asset_name);
        const asset = s.trc10.get(id);
        if (!asset) throw cve("No asset!");
        const bal = asset.balances.get(owner) ?? 0n;
        if (bal <= 0n) throw cve("assetBalance must be greater than 0.");
        if (BigInt(amount) > bal) throw cve("assetBalance is not sufficient.");
        const toAcc0 = s.accounts.get(to!);
        if (toAcc0?.isContract) throw cve("Cannot transfer asset to smartContract.");
        const createFee = createsAccount ? this.params.getCreateNewAccountFeeInSystemContract : 0;
        if (createsAccount && balanceAfterNet < createFee)
          throw cve("Validate TransferAssetActuator error, insufficient fee.");
        applyNet();
        ownerAcc.balance -= createFee;
        fee += createFee;
        this.ensureAccount(to!);
        asset.balances.set(owner, bal - BigInt(amount));
        asset.balances.set(to!, (asset.balances.get(to!) ?? 0n) + BigInt(amount));
        trc10Moved = { id, amount: String(amount) };
        break;
      }
      case "FreezeBalanceV2Contract": {
        const amount = Number(value.frozen_balance ?? 0);
        const res: Resource = value.resource === "ENERGY" ? "ENERGY" : "BANDWIDTH";
        if (amount <= 0) throw cve("frozenBalance must be positive");
        if (amount < SUN) throw cve("frozenBalance must be greater than or equal to 1 TRX");
        if (amount > balanceAfterNet) throw cve("frozenBalance must be less than or equal to accountBalance");
        applyNet();
        this.stake(owner, amount, res, true);
        break;
      }
      case "UnfreezeBalanceV2Contract": {
        const amount = Number(value.unfreeze_balance ?? 0);
        const res: Resource = value.resource === "ENERGY" ? "ENERGY" : "BANDWIDTH";
        const frozen = res === "ENERGY" ? ownerAcc.frozenEnergy : ownerAcc.frozenBandwidth;
        if (frozen <= 0) throw cve(`no frozenBalance(${res})`);
        if (amount <= 0 || amount > frozen) throw cve(`Invalid unfreeze_balance, [${amount}] is invalid`);
        applyNet();
        if (res === "ENERGY") {
          ownerAcc.frozenEnergy -= amount;
          s.totalEnergyWeight -= Math.floor(amount / SUN);
        } else {
          ownerAcc.frozenBandwidth -= amount;
          s.totalNetWeight -= Math.floor(amount / SUN);
        }
        s.totalTronPowerWeight -= Math.floor(amount / SUN);
        ownerAcc.unfrozenV2.push({
          type: res,
          amount,
          expire: now + this.params.getUnfreezeDelayDays * DAY_MS,
        });
        break;
      }
      case "AccountPermissionUpdateContract": {
        if (!this.params.getAllowMultiSign)
          throw cve("multi sign is not allowed, need to be opened by the committee");
        let next: ReturnType<typeof validatePermissionUpdate>;
        try {
          next = validatePermissionUpdate(value);
        } catch (e) {
          if (e instanceof PermissionValidateError) throw cve(e.message);
          throw e;
        }
        const updateFee = this.params.getUpdateAccountPermissionFee;
        if (balanceAfterNet < updateFee)
          throw new TxError(
            "CONTRACT_EXE_ERROR",
            `Contract execute error : ${toBase58(owner)} insufficient balance, balance: ${balanceAfterNet}, amount: ${updateFee}`,
          );
        applyNet();
        ownerAcc.balance -= updateFee;
        fee += updateFee;
        ownerAcc.ownerPermission = next.owner;
        ownerAcc.activePermissions = next.actives;
        break;
      }
      case "DelegateResourceContract":
        this.delegate(value, owner, ownerAcc, now, view, cve, applyNet);
        break;
      case "UnDelegateResourceContract":
        this.undelegate(value, owner, ownerAcc, now, cve, applyNet);
        break;
      case "TriggerSmartContract": {
        const r = this.triggerExec(
          value,
          owner,
          ownerAcc,
          Number(tx.raw_data.fee_limit ?? 0),
          now,
          view,
          cve,
          txid,
        );
        applyNet();
        Object.assign(receipt, r.receipt);
        fee += r.fee;
        contractRet = r.contractRet;
        Object.assign(info, r.info);
        trc20.push(...r.trc20);
        internal = r.internal;
        break;
      }
      default:
        throw new TxError(
          "CONTRACT_VALIDATE_ERROR",
          `Contract validate error : contract type ${type} is not supported by the devnet`,
        );
    }
    if (!receipt.result && type === "TriggerSmartContract") receipt.result = contractRet;
    if (fee) info.fee = fee;
    info.contractResult = info.contractResult ?? [""];
    info.receipt = receipt;
    const ret: Record<string, any> = { contractRet };
    const storedTx = {
      ret: [ret],
      signature: tx.signature,
      txID: txid,
      raw_data: tx.raw_data,
      raw_data_hex: encodeTx(tx).rawHex,
    };
    return {
      txID: txid,
      tx: storedTx,
      info,
      blockNumber: -1,
      blockTimestamp: 0,
      index: 0,
      owner,
      to: to ?? (value.receiver_address ? toHexAddr(value.receiver_address) : undefined),
      contractType: type,
      trc20,
      internal,
      trc10: trc10Moved,
    };
  }

  private unlockExpired(from: string, to: string, now: number): void {
    const s = this.state;
    const lk = s.delegations.get(dkey(from, to, true));
    if (!lk) return;
    let unl = s.delegations.get(dkey(from, to, false));
    const moveE = lk.energy && lk.expireEnergy < now;
    const moveB = lk.bandwidth && lk.expireBandwidth < now;
    if (!moveE && !moveB) return;
    if (!unl) {
      unl = { from, to, locked: false, energy: 0, bandwidth: 0, expireEnergy: 0, expireBandwidth: 0 };
      s.delegations.set(dkey(from, to, false), unl);
    }
    if (moveE) {
      unl.energy += lk.energy;
      lk.energy = 0;
      lk.expireEnergy = 0;
    }
    if (moveB) {
      unl.bandwidth += lk.bandwidth;
      lk.bandwidth = 0;
      lk.expireBandwidth = 0;
    }
    if (!lk.energy && !lk.bandwidth) s.delegations.delete(dkey(from, to, true));
  }

  private delegate(
    v: any,
    owner: string,
    ownerAcc: Account,
    now: number,
    view: StateView,
    cve: (m: string) => TxError,
    applyNet: () => void,
  ): void {
    const s = this.state;
    const balance = Number(v.balance ?? 0);
    const res: Resource = v.resource === "ENERGY" ? "ENERGY" : "BANDWIDTH";
    if (balance < SUN) throw cve("delegateBalance must be greater than or equal to 1 TRX");
    const avail = view.canDelegateMax(ownerAcc, res);
    if (balance > Math.max(avail, res === "ENERGY" ? 0 : 0)) {
      throw cve(
        res === "ENERGY"
          ? "delegateBalance must be less than or equal to available FreezeEnergyV2 balance"
          : "delegateBalance must be less than or equal to available FreezeBandwidthV2 balance",
      );
    }
    let receiver: string;
    try {
      receiver = toHexAddr(v.receiver_address);
    } catch {
      throw cve("Invalid receiverAddress");
    }
    if (receiver === owner) throw cve("receiverAddress must not be the same as ownerAddress");
    const recv = s.accounts.get(receiver);
    if (!recv) throw cve(`Account[${receiver}] not exists`);
    if (recv.isContract) throw cve("Do not allow delegate resources to contract addresses");
    const lock = v.lock === true;
    let lockPeriod = Number(v.lock_period ?? 0);
    // DynamicPropertiesStore.supportMaxDelegateLockPeriod: without it every lock is 3 days
    // (DELEGATE_PERIOD / 3 s), whatever lock_period says, and neither check below runs.
    const supportMax = this.params.getMaxDelegateLockPeriod > 86_400 && this.params.getUnfreezeDelayDays > 0;
    if (!supportMax) lockPeriod = 86_400;
    if (lock && supportMax) {
      const max = this.params.getMaxDelegateLockPeriod;
      if (lockPeriod < 0 || lockPeriod > max)
        throw cve(`The lock period of delegate resource cannot be less than 0 and cannot exceed ${max}!`);
      if (lockPeriod === 0) lockPeriod = 86_400;
      const lk = s.delegations.get(dkey(owner, receiver, true));
      const exp = lk ? (res === "ENERGY" ? lk.expireEnergy : lk.expireBandwidth) : 0;
      const remain = exp - now;
      if (lk && remain > 0 && lockPeriod * BLOCK_MS < remain)
        throw cve(
          `The lock period for ${res} this time cannot be less than the remaining time[${remain}ms] of the last lock period for ${res}!`,
        );
    }
    applyNet();
    this.unlockExpired(owner, receiver, now);
    const key = dkey(owner, receiver, lock);
    let d = s.delegations.get(key);
    if (!d) {
      d = {
        from: owner,
        to: receiver,
        locked: lock,
        energy: 0,
        bandwidth: 0,
        expireEnergy: 0,
        expireBandwidth: 0,
      };
      s.delegations.set(key, d);
    }
    if (res === "ENERGY") {
      d.energy += balance;
      if (lock) d.expireEnergy = now + lockPeriod * BLOCK_MS;
      ownerAcc.frozenEnergy -= balance;
      ownerAcc.delegatedOutEnergy += balance;
      recv.acquiredEnergy += balance;
    } else {
      d.bandwidth += balance;
      if (lock) d.expireBandwidth = now + lockPeriod * BLOCK_MS;
      ownerAcc.frozenBandwidth -= balance;
      ownerAcc.delegatedOutBandwidth += balance;
      recv.acquiredBandwidth += balance;
    }
  }

  private undelegate(
    v: any,
    owner: string,
    ownerAcc: Account,
    now: number,
    cve: (m: string) => TxError,
    applyNet: () => void,
  ): void {
    const s = this.state;
    const balance = Number(v.balance ?? 0);
    const res: Resource = v.resource === "ENERGY" ? "ENERGY" : "BANDWIDTH";
    let receiver: string;
    try {
      receiver = toHexAddr(v.receiver_address);
    } catch {
      throw cve("Invalid receiverAddress");
    }
    if (receiver === owner) throw cve("receiverAddress must not be the same as ownerAddress");
    const unl = s.delegations.get(dkey(owner, receiver, false));
    const lk = s.delegations.get(dkey(owner, receiver, true));
    const field = res === "ENERGY" ? "energy" : "bandwidth";
    const expField = res === "ENERGY" ? "expireEnergy" : "expireBandwidth";
    if (!unl && !lk) throw cve("delegated Resource does not exist");
    if (balance <= 0) throw cve("unDelegateBalance must be more than 0 TRX");
    let avail = unl?.[field] ?? 0;
    if (lk && lk[expField] < now) avail += lk[field];
    if (avail < balance)
      throw cve(
        res === "ENERGY"
          ? `insufficient delegateFrozenBalance(Energy), request=${balance}, unlock_balance=${avail}`
          : `insufficient delegatedFrozenBalance(BANDWIDTH), request=${balance}, unlock_balance=${avail}`,
      );
    applyNet();
    this.unlockExpired(owner, receiver, now);
    const d = s.delegations.get(dkey(owner, receiver, false))!;
    d[field] -= balance;
    if (!d.energy && !d.bandwidth) s.delegations.delete(dkey(owner, receiver, false));
    const recv = s.accounts.get(receiver);
    if (res === "ENERGY" && recv) {
      // the receiver's share of its energy usage goes to the owner (it recovers there)
      moveUsageOnUndelegate({
        owner: ownerAcc,
        receiver: recv,
        balance,
        now,
        totalEnergyLimit: this.params.getTotalEnergyCurrentLimit,
        totalEnergyWeight: s.totalEnergyWeight,
      });
    }
    if (res === "ENERGY") {
      ownerAcc.delegatedOutEnergy -= balance;
      ownerAcc.frozenEnergy += balance;
      if (recv) recv.acquiredEnergy = Math.max(0, recv.acquiredEnergy - balance);
    } else {
      ownerAcc.delegatedOutBandwidth -= balance;
      ownerAcc.frozenBandwidth += balance;
      if (recv) recv.acquiredBandwidth = Math.max(0, recv.acquiredBandwidth - balance);
    }
  }

  /** Decode a TRC20 call. Returns undefined for unknown selectors. */
  decodeCall(data: string): { selector: string; to?: string; amount?: bigint; who?: string } {
    const d = String(data ?? "")
      .replace(/^0x/, "")
      .toLowerCase();
    const selector = d.slice(0, 8);
    const args = d.slice(8);
    if (selector === "a9059cbb") {
      return { selector, to: `41${args.slice(24, 64)}`, amount: BigInt(`0x${args.slice(64, 128) || "0"}`) };
    }
    if (selector === "70a08231") return { selector, who: `41${args.slice(24, 64)}` };
    return { selector };
  }

  /** Energy a call would use at the contract's current energy factor, and whether it reverts (no state change). */
  simulateCall(
    view: StateView,
    contractAddr: string,
    owner: string,
    data: string,
    callValue = 0,
  ): { energy: number; penalty: number; revert: boolean } {
    const plan = this.callPlan(view.s, contractAddr, owner, data, callValue);
    const cur = view.s.contractEnergy.get(contractAddr);
    const st = cur ? { ...cur } : undefined;
    let factor = 0;
    if (st) {
      if (this.params.getAllowDynamicEnergy)
        catchUpToCycle(st, this.cycleAt(view.now), {
          threshold: this.params.getDynamicEnergyThreshold,
          increaseFactor: this.params.getDynamicEnergyIncreaseFactor,
          maxFactor: this.params.getDynamicEnergyMaxFactor,
        });
      factor = st.energyFactor;
    }
    const e = energyAtFactor(plan.refEnergy, plan.refFactor, factor);
    return { energy: e.total, penalty: e.penalty, revert: plan.revert };
  }

  /**
   * Reference energy of a call (at the contract's reference factor: USDT's genesis factor, 0 for the
   * others) and whether it reverts. No state change.
   */
  callPlan(
    s: ChainState,
    contractAddr: string,
    owner: string,
    data: string,
    callValue: number,
  ): {
    refEnergy: number;
    refFactor: number;
    revert: boolean;
    pay?: { to: string; amount: number; fromContract: boolean };
  } {
    const token = s.tokens.get(contractAddr);
    const call = this.decodeCall(data);
    if (token) {
      const refFactor = contractAddr === USDT_HEX ? this.energy.factor : 0;
      // transfer() is not payable: value sent along reverts
      if (call.selector === "a9059cbb" && callValue === 0) {
        const bal = token.balances.get(owner) ?? 0n;
        if (call.amount! > bal) return { refEnergy: this.energy.revert, refFactor, revert: true };
        const toBal = token.balances.get(call.to!) ?? 0n;
        const fresh = toBal === 0n && call.to !== owner;
        return {
          refEnergy: fresh ? this.energy.transferToEmpty : this.energy.transferToHolder,
          refFactor,
          revert: false,
        };
      }
      return { refEnergy: this.energy.revert, refFactor, revert: true };
    }
    const d = String(data ?? "")
      .replace(/^0x/, "")
      .toLowerCase();
    const sel = d.slice(0, 8);
    const to = `41${d.slice(8 + 24, 8 + 64)}`;
    if (sel === FORWARD_SELECTOR && d.length >= 8 + 64)
      return {
        refEnergy: ROUTER_ENERGY,
        refFactor: 0,
        revert: false,
        pay: { to, amount: callValue, fromContract: false },
      };
    if (sel === PAYOUT_SELECTOR && d.length >= 8 + 128 && callValue === 0) {
      const amount = Number(BigInt(`0x${d.slice(8 + 64, 8 + 128)}`));
      return {
        refEnergy: ROUTER_ENERGY,
        refFactor: 0,
        revert: false,
        pay: { to, amount, fromContract: true },
      };
    }
    return { refEnergy: this.energy.revert, refFactor: 0, revert: true };
  }

  private triggerExec(
    v: any,
    owner: string,
    ownerAcc: Account,
    feeLimit: number,
    now: number,
    view: StateView,
    cve: (m: string) => TxError,
    txid: string,
  ) {
    const contractAddr = toHexAddr(v.contract_address);
    const token = this.state.tokens.get(contractAddr);
    if (!token && !this.state.routers.has(contractAddr))
      throw cve("No contract or not a valid smart contract");
    if (feeLimit < 0 || feeLimit > this.params.getMaxFeeLimit)
      throw cve(`feeLimit must be >= 0 and <= ${this.params.getMaxFeeLimit}`);
    const callValue = Number(v.call_value ?? 0);
    if (callValue < 0) throw cve("callValue must be >= 0");
    if (callValue > ownerAcc.balance)
      throw cve("Validate InternalTransfer error, balance is not sufficient.");
    const plan = this.callPlan(this.state, contractAddr, owner, v.data, callValue);
    const st = this.contractEnergyState(contractAddr, now);
    const e = energyAtFactor(plan.refEnergy, plan.refFactor, st.energyFactor);
    let revert = plan.revert;
    const need = e.total;
    const price = this.params.getEnergyFee;
    const left = Math.max(0, view.energyLimit(ownerAcc) - view.energyUsed(ownerAcc));
    // java-tron: the caller's energy limit counts the balance left after the call value
    const spendable = Math.max(0, ownerAcc.balance - callValue);
    const limit = Math.min(left + Math.floor(spendable / price), Math.floor(feeLimit / price));
    let used = need;
    let penalty = e.penalty;
    let contractRet = revert ? "REVERT" : "SUCCESS";
    if (need > limit) {
      used = limit;
      penalty = need > 0 ? Math.floor((e.penalty * limit) / need) : 0;
      contractRet = "OUT_OF_ENERGY";
      revert = true;
    } else {
      st.energyUsage += e.base; // VM.play adds the base usage when the program stops normally
    }
    let transferFailed = false;
    if (!revert && plan.pay?.fromContract) {
      const c = this.state.accounts.get(contractAddr);
      if (!c || c.balance < plan.pay.amount) {
        transferFailed = true;
        revert = true;
        contractRet = "TRANSFER_FAILED";
      }
    }
    const fromStake = Math.min(left, used);
    const burned = (used - fromStake) * price;
    if (fromStake) {
      consumeEnergy(ownerAcc, fromStake, now);
    }
    ownerAcc.balance -= burned;
    const receipt: Record<string, any> = {};
    if (fromStake) receipt.energy_usage = fromStake;
    if (burned) receipt.energy_fee = burned;
    receipt.energy_usage_total = used;
    receipt.result = contractRet;
    if (penalty) receipt.energy_penalty_total = penalty;
    const info: Record<string, any> = { contract_address: contractAddr };
    const trc20: StoredTx["trc20"] = [];
    let internal: InternalTx[] | undefined;
    if (plan.pay) {
      internal = [
        {
          hash: internalTxHash(txid, plan.pay.to, plan.pay.amount, 0),
          caller: contractAddr,
          to: plan.pay.to,
          callValue: plan.pay.amount,
          note: "call",
          rejected: revert,
        },
      ];
    }
    if (!revert) {
      if (token) {
        const call = this.decodeCall(v.data);
        const to = call.to!;
        const amount = call.amount!;
        token.balances.set(owner, (token.balances.get(owner) ?? 0n) - amount);
        token.balances.set(to, (token.balances.get(to) ?? 0n) + amount);
        info.contractResult = [`${"0".repeat(63)}1`];
        info.log = [
          {
            address: contractAddr.slice(2),
            topics: [TRANSFER_TOPIC, "0".repeat(24) + owner.slice(2), "0".repeat(24) + to.slice(2)],
            data: amount.toString(16).padStart(64, "0"),
          },
        ];
        trc20.push({ token: contractAddr, from: owner, to, value: amount.toString() });
      } else if (plan.pay) {
        const c = this.state.accounts.get(contractAddr)!;
        ownerAcc.balance -= callValue;
        c.balance += callValue;
        c.balance -= plan.pay.amount;
        // an internal transfer to a new address creates it (java-tron since TVM Constantinople)
        this.ensureAccount(plan.pay.to).balance += plan.pay.amount;
        info.contractResult = [""];
      }
    } else {
      info.result = "FAILED";
      info.resMessage = hexOfText(
        transferFailed
          ? "transfer trx failed: Validate InternalTransfer error, balance is not sufficient."
          : contractRet === "REVERT"
            ? "REVERT opcode executed"
            : "Not enough energy",
      );
      info.contractResult = [""];
    }
    if (internal) info.internal_transactions = internal.map(internalTxJson);
    return { receipt, fee: burned, contractRet, info, trc20, internal };
  }

  /** Build the unsigned TriggerSmartContract reply for /wallet/triggersmartcontract. */
  buildTrigger(body: Record<string, any>): Record<string, any> {
    const owner = toHexAddr(body.owner_address);
    const contractAddr = toHexAddr(body.contract_address);
    let data: string;
    if (body.data) data = String(body.data).replace(/^0x/, "");
    else {
      const sel = String(body.function_selector ?? "").replace(/\s*/g, "");
      const hash = utils.ethersUtils.keccak256(Buffer.from(sel, "utf8")).slice(2, 10);
      data = hash + String(body.parameter ?? "");
    }
    const value: Record<string, any> = { data, owner_address: owner, contract_address: contractAddr };
    if (body.call_value) value.call_value = Number(body.call_value);
    if (body.call_token_value) value.call_token_value = Number(body.call_token_value);
    if (body.token_id) value.token_id = Number(body.token_id);
    const head = this.head;
    const contract: Record<string, any> = {
      parameter: { value, type_url: "type.googleapis.com/protocol.TriggerSmartContract" },
      type: "TriggerSmartContract",
    };
    if (body.Permission_id) contract.Permission_id = Number(body.Permission_id);
    const raw: Record<string, any> = {
      contract: [contract],
      ref_block_bytes: head.number.toString(16).slice(-4).padStart(4, "0"),
      ref_block_hash: head.blockID.slice(16, 32),
      expiration: head.timestamp + 60_000,
      timestamp: head.timestamp,
    };
    if (body.fee_limit) raw.fee_limit = Number(body.fee_limit);
    const tx: Record<string, any> = { visible: false, txID: "", raw_data: raw, raw_data_hex: "" };
    const enc = encodeTx(tx);
    tx.txID = enc.txID;
    tx.raw_data_hex = enc.rawHex;
    return tx;
  }

  /** Build an unsigned system-contract tx (freezebalancev2, createtransaction…). */
  buildSystemTx(type: string, value: Record<string, any>): Record<string, any> {
    const head = this.head;
    const typeUrl = `type.googleapis.com/protocol.${type}`;
    const raw = {
      contract: [{ parameter: { value, type_url: typeUrl }, type }],
      ref_block_bytes: head.number.toString(16).slice(-4).padStart(4, "0"),
      ref_block_hash: head.blockID.slice(16, 32),
      expiration: head.timestamp + 60_000,
      timestamp: head.timestamp,
    };
    const tx: Record<string, any> = { visible: false, txID: "", raw_data: raw, raw_data_hex: "" };
    const enc = encodeTx(tx);
    tx.txID = enc.txID;
    tx.raw_data_hex = enc.rawHex;
    return tx;
  }

  /** triggerconstantcontract: run view calls / simulate transfers without changing state. */
  constantCall(body: Record<string, any>, view: StateView): Record<string, any> {
    const owner = body.owner_address
      ? toHexAddr(body.owner_address)
      : "410000000000000000000000000000000000000000";
    const contractAddr = toHexAddr(body.contract_address);
    const token = view.s.tokens.get(contractAddr);
    const tx = this.buildTrigger({ ...body, owner_address: owner });
    if (!token && view.s.routers.has(contractAddr)) {
      const data = tx.raw_data.contract[0].parameter.value.data as string;
      const sim = this.simulateCall(view, contractAddr, owner, data, Number(body.call_value ?? 0));
      return {
        result: sim.revert
          ? { result: true, message: hexOfText("REVERT opcode executed") }
          : { result: true },
        energy_used: sim.energy,
        ...(sim.penalty ? { energy_penalty: sim.penalty } : {}),
        constant_result: [""],
        transaction: { ...tx, ret: [sim.revert ? { ret: "FAILED" } : {}] },
      };
    }
    if (!token) {
      return {
        result: {
          code: "CONTRACT_VALIDATE_ERROR",
          message: hexOfText("No contract or not a valid smart contract"),
        },
      };
    }
    const data = tx.raw_data.contract[0].parameter.value.data as string;
    const call = this.decodeCall(data);
    const word = (n: bigint) => n.toString(16).padStart(64, "0");
    const coder = new utils.ethersUtils.AbiCoder();
    let out: string;
    let energy = 800;
    let penalty = 0;
    let ok = true;
    switch (call.selector) {
      case "70a08231":
        out = word(token.balances.get(call.who!) ?? 0n);
        energy = 700;
        break;
      case "313ce567":
        out = word(BigInt(token.decimals));
        break;
      case "95d89b41":
        out = coder.encode(["string"], [token.symbol]).slice(2);
        break;
      case "06fdde03":
        out = coder.encode(["string"], [token.name]).slice(2);
        break;
      case "18160ddd": {
        let sum = 0n;
        for (const b of token.balances.values()) sum += b;
        out = word(sum);
        break;
      }
      case "a9059cbb": {
        const sim = this.simulateCall(view, contractAddr, owner, data);
        energy = sim.energy;
        penalty = sim.penalty;
        ok = !sim.revert;
        out = ok ? word(1n) : "";
        break;
      }
      default:
        out = "";
        ok = false;
    }
    const reply: Record<string, any> = {
      result: { result: true },
      energy_used: energy,
      ...(penalty ? { energy_penalty: penalty } : {}),
      constant_result: [out],
      transaction: { ...tx, ret: [ok ? {} : { ret: "FAILED" }] },
    };
    if (!ok) {
      reply.result = { result: true, message: hexOfText("REVERT opcode executed") };
    }
    return reply;
  }
}

function withoutFee(info: Record<string, any>): Record<string, any> {
  const { fee: _fee, ...rest } = info;
  return rest;
}

function lowerAddresses(o: any): void {
  if (!o || typeof o !== "object") return;
  for (const k of Object.keys(o)) {
    const v = o[k];
    if (typeof v === "string" && /^41[0-9A-Fa-f]{40}$/.test(v)) o[k] = v.toLowerCase();
    else if (typeof v === "object") lowerAddresses(v);
  }
}
