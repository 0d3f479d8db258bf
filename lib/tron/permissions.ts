import { z } from "zod";
import { hexToBase58, parseAddress, toHex } from "@/lib/tron/address";

/**
 * Account permissions as java-tron keeps them (Protocol.Permission; AccountPermissionUpdateActuator,
 * TransactionCapsule.checkPermission, WalletUtil.checkPermissionOperations): an owner permission
 * (id 0), Active permissions (id 2 and up, each with a 32-byte operations bitmask where bit n allows
 * contract type n), keys with weights and a threshold. Used by permission-mode supplier wallets
 * (docs/permission-mode.md): the owner grants the platform's operator key an Active permission that
 * allows DelegateResource (57) and UnDelegateResource (58) only.
 */

export type PermissionKey = { address: string; weight: number };
export type AccountPermission = {
  type: "Owner" | "Witness" | "Active";
  id: number;
  name: string;
  threshold: number;
  /** 64 hex chars for Active permissions, "" otherwise. */
  operations: string;
  keys: PermissionKey[];
};
export type AccountPermissions = { owner: AccountPermission; actives: AccountPermission[] };

export const DELEGATE_RESOURCE = 57;
export const UNDELEGATE_RESOURCE = 58;
/** What a permission-mode wallet's permission grants: exactly these contract types. */
export const PERMISSION_MODE_OPERATIONS = [DELEGATE_RESOURCE, UNDELEGATE_RESOURCE] as const;

/** Transaction.Contract.ContractType names, for telling an owner what a permission allows. */
export const CONTRACT_TYPE_NAMES: Record<number, string> = {
  0: "AccountCreateContract",
  1: "TransferContract",
  2: "TransferAssetContract",
  3: "VoteAssetContract",
  4: "VoteWitnessContract",
  5: "WitnessCreateContract",
  6: "AssetIssueContract",
  8: "WitnessUpdateContract",
  9: "ParticipateAssetIssueContract",
  10: "AccountUpdateContract",
  11: "FreezeBalanceContract",
  12: "UnfreezeBalanceContract",
  13: "WithdrawBalanceContract",
  14: "UnfreezeAssetContract",
  15: "UpdateAssetContract",
  16: "ProposalCreateContract",
  17: "ProposalApproveContract",
  18: "ProposalDeleteContract",
  19: "SetAccountIdContract",
  30: "CreateSmartContract",
  31: "TriggerSmartContract",
  33: "UpdateSettingContract",
  41: "ExchangeCreateContract",
  42: "ExchangeInjectContract",
  43: "ExchangeWithdrawContract",
  44: "ExchangeTransactionContract",
  45: "UpdateEnergyLimitContract",
  46: "AccountPermissionUpdateContract",
  48: "ClearABIContract",
  49: "UpdateBrokerageContract",
  51: "ShieldedTransferContract",
  52: "MarketSellAssetContract",
  53: "MarketCancelOrderContract",
  54: "FreezeBalanceV2Contract",
  55: "UnfreezeBalanceV2Contract",
  56: "WithdrawExpireUnfreezeContract",
  57: "DelegateResourceContract",
  58: "UnDelegateResourceContract",
  59: "CancelAllUnfreezeV2Contract",
};

export function contractTypeName(n: number): string {
  return CONTRACT_TYPE_NAMES[n] ?? `contract type ${n}`;
}

/** The 32-byte operations bitmask (hex) allowing exactly `types` (bit n of byte n/8, as java-tron reads it). */
export function encodeOperations(types: readonly number[]): string {
  const bytes = new Uint8Array(32);
  for (const t of types) {
    if (!Number.isInteger(t) || t < 0 || t > 255) throw new RangeError(`not a contract type: ${t}`);
    bytes[t >> 3] |= 1 << (t % 8);
  }
  return Buffer.from(bytes).toString("hex");
}

/** The contract types an operations bitmask allows; null when it is not 32 bytes of hex. */
export function decodeOperations(hex: string): number[] | null {
  const h = hex.toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(h)) return null;
  const out: number[] = [];
  for (let i = 0; i < 256; i++) {
    const byte = Number.parseInt(h.slice((i >> 3) * 2, (i >> 3) * 2 + 2), 16);
    if (byte & (1 << (i % 8))) out.push(i);
  }
  return out;
}

const keySchema = z.object({ address: z.string(), weight: z.coerce.number().int().default(0) });
const permissionSchema = z.object({
  type: z.union([z.string(), z.number()]).optional(),
  id: z.coerce.number().int().default(0),
  permission_name: z.string().default(""),
  threshold: z.coerce.number().int().default(0),
  operations: z.string().default(""),
  keys: z.array(keySchema).default([]),
});
/** The permission fields of a getaccount reply (visible=false: hex addresses). */
export const accountPermissionsSchema = z.object({
  address: z.string().optional(),
  owner_permission: permissionSchema.optional(),
  active_permission: z.array(permissionSchema).optional(),
});

function typeOf(v: unknown, fallback: AccountPermission["type"]): AccountPermission["type"] {
  if (v === 0 || v === "Owner") return "Owner";
  if (v === 1 || v === "Witness") return "Witness";
  if (v === 2 || v === "Active") return "Active";
  return fallback;
}

function keyAddress(a: string): string {
  try {
    return a.startsWith("T") ? parseAddress(a) : hexToBase58(a);
  } catch {
    return a;
  }
}

/**
 * The account's permissions from a getaccount reply. An account never updated carries java-tron's
 * defaults (AccountCapsule.createDefaultOwnerPermission / createDefaultActivePermission): the owner
 * key alone, and one Active permission "active" (id 2) of the same key.
 */
export function permissionsOf(
  address: string,
  raw: z.output<typeof accountPermissionsSchema>,
): AccountPermissions {
  const map = (
    p: z.output<typeof permissionSchema>,
    fallback: AccountPermission["type"],
  ): AccountPermission => ({
    type: typeOf(p.type, fallback),
    id: p.id,
    name: p.permission_name,
    threshold: p.threshold,
    operations: p.operations.toLowerCase(),
    keys: p.keys.map((k) => ({ address: keyAddress(k.address), weight: k.weight })),
  });
  const owner: AccountPermission = raw.owner_permission
    ? map(raw.owner_permission, "Owner")
    : { type: "Owner", id: 0, name: "owner", threshold: 1, operations: "", keys: [{ address, weight: 1 }] };
  const actives = (raw.active_permission ?? []).map((p) => map(p, "Active"));
  return { owner, actives };
}

/** An AccountPermissionUpdate's JSON for a permission (hex addresses, as the node's build endpoint takes). */
export function permissionUpdateJson(p: AccountPermission, type: 0 | 2): Record<string, unknown> {
  return {
    type,
    permission_name: p.name,
    threshold: p.threshold,
    ...(type === 2 ? { operations: p.operations } : {}),
    keys: p.keys.map((k) => ({ address: toHex(k.address), weight: k.weight })),
  };
}

export type GrantCheck =
  | { ok: true; permissionId: number; permission: AccountPermission }
  | {
      ok: false;
      reason: "not_named" | "too_wide" | "owner_key" | "weight" | "missing_operations";
      message: string;
    };

/**
 * Whether `operator` may sign delegate / undelegate for the account — and nothing more. Refused:
 * the operator in the owner permission (it could do anything); any Active permission naming it that
 * also allows another contract type (e.g. TransferContract moves TRX); one that lacks 57 or 58; one
 * where its weight alone does not reach the threshold. The first Active permission that passes is used.
 */
export function checkGrant(perms: AccountPermissions, operator: string): GrantCheck {
  const named = (p: AccountPermission) => p.keys.find((k) => k.address === operator);
  if (named(perms.owner))
    return {
      ok: false,
      reason: "owner_key",
      message: `The owner permission names the operator address ${operator}: that would let the platform do anything with the account. Remove it from the owner permission and grant an Active permission for DelegateResource and UnDelegateResource only.`,
    };
  const mine = perms.actives.filter((p) => named(p));
  if (mine.length === 0)
    return {
      ok: false,
      reason: "not_named",
      message: `No Active permission of this account names the operator address ${operator}.`,
    };
  for (const p of mine) {
    const ops = decodeOperations(p.operations) ?? [];
    const extra = ops.filter((t) => !(PERMISSION_MODE_OPERATIONS as readonly number[]).includes(t));
    if (extra.length)
      return {
        ok: false,
        reason: "too_wide",
        message: `Active permission "${p.name}" (id ${p.id}) names the operator address but also allows ${extra.map((t) => `${contractTypeName(t)} (${t})`).join(", ")}. The platform only accepts a permission limited to DelegateResourceContract (57) and UnDelegateResourceContract (58): it must never be able to move the account's TRX.`,
      };
  }
  for (const p of mine) {
    const ops = decodeOperations(p.operations) ?? [];
    if (!PERMISSION_MODE_OPERATIONS.every((t) => ops.includes(t))) continue;
    if ((named(p)?.weight ?? 0) < p.threshold) continue;
    return { ok: true, permissionId: p.id, permission: p };
  }
  const full = mine.filter((p) => {
    const ops = decodeOperations(p.operations) ?? [];
    return PERMISSION_MODE_OPERATIONS.every((t) => ops.includes(t));
  });
  if (full.length)
    return {
      ok: false,
      reason: "weight",
      message: `In Active permission "${full[0].name}" (id ${full[0].id}) the operator key's weight (${named(full[0])?.weight ?? 0}) does not reach the threshold (${full[0].threshold}) alone.`,
    };
  return {
    ok: false,
    reason: "missing_operations",
    message: `The Active permission naming the operator address must allow both DelegateResourceContract (57) and UnDelegateResourceContract (58).`,
  };
}

/** The Active permission an owner adds for the platform: operations 57 and 58, the operator key alone meets the threshold. */
export function operatorPermission(operator: string, name = "energy-helper"): AccountPermission {
  return {
    type: "Active",
    id: 0,
    name,
    threshold: 1,
    operations: encodeOperations(PERMISSION_MODE_OPERATIONS),
    keys: [{ address: operator, weight: 1 }],
  };
}
