/**
 * Devnet extras beside the core chain (chain.ts): TRC10 assets, a TRX "router" contract that sends
 * TRX from inside a contract call (internal transactions, as java-tron reports them), and the
 * dynamic energy model (per-contract energy factor, `energy_penalty_total`).
 *
 * Sources (java-tron): TransferAssetActuator (TRC10 checks and messages), TransactionUtil
 * .buildInternalTransaction / Protocol.InternalTransaction (the JSON of `internal_transactions`),
 * ContractStateCapsule.catchUpToCycle and VM.play (the energy factor and its penalty).
 */
import { createHash } from "node:crypto";
import { utils } from "tronweb";

// ------------------------------------------------------------------ TRC10

export interface Trc10 {
  /** The asset id as java-tron prints it under AllowSameTokenName=1: a decimal string, e.g. "1002000". */
  id: string;
  name: string;
  abbr: string;
  precision: number;
  owner: string;
  balances: Map<string, bigint>;
}

export const hexOfUtf8 = (s: string): string => Buffer.from(s, "utf8").toString("hex");

/** `asset_name` arrives as hex of the id (visible=false) or the id itself (visible=true). */
export function assetIdOf(assetName: unknown): string {
  const s = String(assetName ?? "");
  if (/^\d+$/.test(s) && s.length <= 8) return s; // a plain id (visible=true, or a test)
  if (/^([0-9a-fA-F]{2})+$/.test(s)) return Buffer.from(s, "hex").toString("utf8");
  return s;
}

// ------------------------------------------------------------------ routers (TRX sent by a contract)

const selector = (sig: string): string => utils.ethersUtils.keccak256(Buffer.from(sig, "utf8")).slice(2, 10);

/** `forward(address)` payable: sends msg.value on to the address (a payment router / exchange). */
export const FORWARD_SELECTOR = selector("forward(address)");
/** `payout(address,uint256)`: sends TRX from the contract's own balance (a hot-wallet contract). */
export const PAYOUT_SELECTOR = selector("payout(address,uint256)");
/** Energy of one router call before any energy factor (a CALL with value plus a little bookkeeping). */
export const ROUTER_ENERGY = 11_000;

export type InternalTx = {
  hash: string;
  caller: string;
  to: string;
  callValue: number;
  note: string;
  rejected: boolean;
};

/**
 * The hash java-tron gives a child internal transaction: sha3 over parent hash, receive address,
 * data, the 8-byte value and the 8-byte nonce (InternalTransaction.getHash).
 */
export function internalTxHash(parentTxid: string, to: string, value: number, nonce: number): string {
  const v = Buffer.alloc(8);
  v.writeBigInt64BE(BigInt(value));
  const n = Buffer.alloc(8);
  n.writeBigInt64BE(BigInt(nonce));
  const buf = Buffer.concat([Buffer.from(parentTxid, "hex"), Buffer.from(to, "hex"), v, n]);
  return utils.ethersUtils.keccak256(buf).slice(2);
}

/** One `internal_transactions` entry as java-tron's JsonFormat prints it (visible=false). */
export function internalTxJson(it: InternalTx): Record<string, unknown> {
  const o: Record<string, unknown> = {
    hash: it.hash,
    caller_address: it.caller,
    transferTo_address: it.to,
    // proto3: a zero callValue is omitted, leaving {}
    callValueInfo: [it.callValue ? { callValue: it.callValue } : {}],
    note: hexOfUtf8(it.note),
  };
  if (it.rejected) o.rejected = true;
  return o;
}

/** The TronGrid v1 `/v1/accounts/{addr}/transactions` item for an internal transaction. */
export function internalTxV1(it: InternalTx, txid: string, blockTimestamp: number): Record<string, unknown> {
  return {
    internal_tx_id: it.hash,
    data: { note: hexOfUtf8(it.note), rejected: it.rejected, call_value: { _: it.callValue } },
    block_timestamp: blockTimestamp,
    to_address: it.to,
    tx_id: txid,
    from_address: it.caller,
  };
}

// ------------------------------------------------------------------ dynamic energy

/** java-tron Constant.DYNAMIC_ENERGY_FACTOR_DECIMAL and DYNAMIC_ENERGY_DECREASE_DIVISION. */
export const FACTOR_DECIMAL = 10_000;
const DECREASE_DIVISION = 4;

export interface ContractEnergyState {
  /** Base energy (without penalty) used by calls to the contract in `updateCycle`. */
  energyUsage: number;
  /** The extra factor in 1/10,000 (0 = no penalty; 34,000 = ×4.4 in all). */
  energyFactor: number;
  updateCycle: number;
}

export type DynamicParams = { threshold: number; increaseFactor: number; maxFactor: number };

/**
 * ContractStateCapsule.catchUpToCycle: on the first call of a new maintenance cycle, raise the
 * factor by `increaseFactor` if the last cycle's usage passed the threshold (capped at
 * `maxFactor`), then lower it by (1 − increase/4) per further idle cycle.
 */
export function catchUpToCycle(st: ContractEnergyState, newCycle: number, p: DynamicParams): void {
  let lastCycle = st.updateCycle;
  if (lastCycle === newCycle) return;
  if (lastCycle > newCycle || lastCycle === 0) {
    st.energyUsage = 0;
    st.energyFactor = 0;
    st.updateCycle = newCycle;
    return;
  }
  if (st.energyUsage > p.threshold) {
    lastCycle += 1;
    const inc = 1 + p.increaseFactor / FACTOR_DECIMAL;
    st.energyFactor = Math.min(
      p.maxFactor,
      Math.trunc((st.energyFactor + FACTOR_DECIMAL) * inc) - FACTOR_DECIMAL,
    );
    st.energyUsage = 0;
    st.updateCycle = lastCycle;
  }
  const cycles = newCycle - lastCycle;
  if (cycles <= 0) return;
  const dec = (1 - p.increaseFactor / DECREASE_DIVISION / FACTOR_DECIMAL) ** cycles;
  st.energyFactor = Math.max(0, Math.trunc((st.energyFactor + FACTOR_DECIMAL) * dec) - FACTOR_DECIMAL);
  st.energyUsage = 0;
  st.updateCycle = newCycle;
}

/**
 * Energy of a call whose energy at the reference factor `refFactor` is `refEnergy`, at `factor`:
 * total and penalty (the part above the base). The devnet applies the factor to the call as a
 * whole; java-tron applies it per opcode (so real figures differ by a few units of rounding).
 */
export function energyAtFactor(
  refEnergy: number,
  refFactor: number,
  factor: number,
): { total: number; base: number; penalty: number } {
  const base = Math.round((refEnergy * FACTOR_DECIMAL) / (FACTOR_DECIMAL + refFactor));
  if (factor <= 0) return { total: base, base, penalty: 0 };
  const total =
    factor === refFactor
      ? refEnergy
      : Math.round((refEnergy * (FACTOR_DECIMAL + factor)) / (FACTOR_DECIMAL + refFactor));
  return { total, base, penalty: Math.max(0, total - base) };
}

/** A stable fake signature for transactions the devnet makes up for other senders (filler blocks). */
export function fillerSignature(txid: string): string {
  return `${createHash("sha256").update(`sig1|${txid}`).digest("hex")}${createHash("sha256").update(`sig2|${txid}`).digest("hex")}1c`;
}
