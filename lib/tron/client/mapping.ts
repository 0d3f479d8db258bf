import type { z } from "zod";
import { fromEvmHex, parseAddress } from "@/lib/tron/address";
import { hexToText, int } from "@/lib/tron/json";
import type { accountSchema, blockSchema, resourceSchema, txInfoSchema, txSchema } from "./schemas";
import type { AccountResources, AccountState, Block, BlockTx, TransactionInfo } from "./types";

/** Node replies (parsed by ./schemas) → the client's types. Pure functions. */

export function clamp0(v: bigint): bigint {
  return v < 0n ? 0n : v;
}

export function accountStateOf(b58: string, a: z.output<typeof accountSchema>): AccountState {
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

export function resourcesOf(r: z.output<typeof resourceSchema>): AccountResources {
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

export function txInfoOf(r: z.output<typeof txInfoSchema>): TransactionInfo {
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

export function blockTxOf(t: z.output<typeof txSchema>): BlockTx {
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

export function blockOf(b: z.output<typeof blockSchema>): Block {
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
