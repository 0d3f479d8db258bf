import { z } from "zod";
import { int, int0, num0 } from "@/lib/tron/json";

/**
 * The shapes of the full node's and TronScan's JSON replies (node JSON with visible=false: hex
 * addresses). Integers arrive as JSON numbers or decimal strings and leave as bigint (`int`).
 */

export const nodeError = z.object({ Error: z.string() });

export const accountSchema = z.object({
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

export const resourceSchema = z.object({
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

export const constantSchema = z.object({
  result: z
    .object({ result: z.boolean().optional(), code: z.string().optional(), message: z.string().optional() })
    .prefault({}),
  constant_result: z.array(z.string()).default([]),
});

export const chainParamsSchema = z.object({
  chainParameter: z.array(z.object({ key: z.string(), value: int0 })).default([]),
});

export const delegatedSchema = z.object({
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

export const maxSizeSchema = z.object({ max_size: int0 });

const logSchema = z.object({
  address: z.string().default(""),
  topics: z.array(z.string()).default([]),
  data: z.string().default(""),
});

export const txInfoSchema = z.object({
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

export const txSchema = z.object({
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

export const blockSchema = z.object({
  blockID: z.string(),
  block_header: z.object({
    raw_data: z.object({ number: num0, timestamp: num0, parentHash: z.string().default("") }).prefault({}),
  }),
  transactions: z.array(txSchema).default([]),
});

export const tronscanAccountSchema = z.object({
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

/** An unsigned transaction a build endpoint returned, kept as the node printed it (the owner signs exactly this). */
export const unsignedTxSchema = z.looseObject({
  txID: z.string().regex(/^[0-9a-f]{64}$/i),
  raw_data: z.looseObject({
    contract: z.array(z.looseObject({ type: z.string() })).min(1),
    expiration: z.number(),
  }),
  raw_data_hex: z.string().regex(/^[0-9a-f]+$/i),
});
