/**
 * Account permissions for the devnet (DEVNET ONLY), after java-tron:
 * - TransactionCapsule.validateSignature / checkWeight / checkPermission (signature checks),
 * - WalletUtil.checkPermissionOperations (the Active permission's 32-byte operations bitmask),
 * - AccountCapsule.getPermissionById / createDefault{Owner,Active}Permission,
 * - AccountPermissionUpdateActuator (validate + execute).
 * Addresses are lowercase 41-hex, as everywhere in the devnet.
 */
import { TronWeb, utils } from "tronweb";

export type PermissionType = "Owner" | "Witness" | "Active";

export interface PermissionKey {
  address: string;
  weight: number;
}

export interface Permission {
  type: PermissionType;
  id: number;
  name: string;
  threshold: number;
  parentId: number;
  /** 64 hex chars (32 bytes) for Active permissions, "" otherwise. */
  operations: string;
  keys: PermissionKey[];
}

/** DynamicPropertiesStore defaults with the Stake 2.0 types enabled (mainnet's current values). */
export const ACTIVE_DEFAULT_OPERATIONS = `7fff1fc0033efb0f${"0".repeat(48)}`;
export const AVAILABLE_CONTRACT_TYPES = `7fff1fc0037efb0f${"0".repeat(48)}`;
/** DynamicPropertiesStore TOTAL_SIGN_NUM default. */
export const TOTAL_SIGN_NUM = 5;

/** Transaction.Contract.ContractType numbers of the contract types the devnet knows. */
export const CONTRACT_TYPE_NUMBERS: Record<string, number> = {
  TransferContract: 1,
  TransferAssetContract: 2,
  TriggerSmartContract: 31,
  AccountPermissionUpdateContract: 46,
  FreezeBalanceV2Contract: 54,
  UnfreezeBalanceV2Contract: 55,
  DelegateResourceContract: 57,
  UnDelegateResourceContract: 58,
};

/** A signature check refused (message without the "Validate signature error: " prefix). */
export class SignatureError extends Error {}

/** An AccountPermissionUpdate refused by its actuator's validate(). */
export class PermissionValidateError extends Error {}

export function defaultOwnerPermission(address: string): Permission {
  return {
    type: "Owner",
    id: 0,
    name: "owner",
    threshold: 1,
    parentId: 0,
    operations: "",
    keys: [{ address, weight: 1 }],
  };
}

export function defaultActivePermission(address: string): Permission {
  return {
    type: "Active",
    id: 2,
    name: "active",
    threshold: 1,
    parentId: 0,
    operations: ACTIVE_DEFAULT_OPERATIONS,
    keys: [{ address, weight: 1 }],
  };
}

/** What an account carries (accounts never updated hold the defaults). */
export interface PermissionHolder {
  address: string;
  ownerPermission?: Permission;
  activePermissions?: Permission[];
}

/** AccountCapsule.getPermissionById: 0 owner, 1 witness (none here), 2+ the actives by id. */
export function permissionById(
  acc: PermissionHolder | undefined,
  owner: string,
  id: number,
): Permission | null {
  if (!acc) {
    // validateSignature for an account that does not exist yet: the defaults for id 0 and 2.
    if (id === 0) return defaultOwnerPermission(owner);
    if (id === 2) return defaultActivePermission(owner);
    return null;
  }
  if (id === 0) return acc.ownerPermission ?? defaultOwnerPermission(acc.address);
  if (id === 1) return null;
  const actives = acc.activePermissions ?? [defaultActivePermission(acc.address)];
  return actives.find((p) => p.id === id) ?? null;
}

function operationAllowed(operations: string, contractType: number): boolean {
  if (operations.length !== 64)
    throw new SignatureError(`operations size must 32, actual: ${operations.length / 2}`);
  const byte = Number.parseInt(operations.slice((contractType >> 3) * 2, (contractType >> 3) * 2 + 2), 16);
  return (byte & (1 << (contractType % 8))) !== 0;
}

/**
 * TransactionCapsule.validatePubSignature + validateSignature for a tx whose id is `txid`:
 * the permission named by the contract's Permission_id, its type and operations, each signature's
 * weight (no signer twice, no more signatures than keys), the threshold. Returns the signers.
 * Throws SignatureError with java-tron's message.
 */
export function validateSignature(p: {
  txid: string;
  signatures: string[];
  contractType: string;
  permissionId: number;
  owner: string;
  account: PermissionHolder | undefined;
}): string[] {
  if (p.signatures.length === 0) throw new SignatureError("miss sig or contract");
  if (p.signatures.length > TOTAL_SIGN_NUM) throw new SignatureError("too many signatures");
  const permission = permissionById(p.account, p.owner, p.permissionId);
  if (!permission) throw new SignatureError("permission isn't exit");
  if (p.permissionId !== 0) {
    if (permission.type !== "Active") throw new SignatureError("Permission type is error");
    const t = CONTRACT_TYPE_NUMBERS[p.contractType];
    if (t === undefined || !operationAllowed(permission.operations, t))
      throw new SignatureError("Permission denied");
  }
  if (p.signatures.length > permission.keys.length)
    throw new SignatureError(
      `Signature count is ${p.signatures.length} more than key counts of permission : ${permission.keys.length}`,
    );
  const seen = new Set<string>();
  const signers: string[] = [];
  let weight = 0;
  for (const raw of p.signatures) {
    const sig = String(raw).replace(/^0x/, "").toLowerCase();
    if (sig.length < 130) throw new SignatureError(`Signature size is ${sig.length / 2}`);
    let signer: string;
    try {
      signer = utils.crypto.ecRecover(p.txid, sig).toLowerCase();
    } catch (e) {
      throw new SignatureError((e as Error).message);
    }
    const key = permission.keys.find((k) => k.address === signer);
    const b58 = TronWeb.address.fromHex(signer);
    if (!key) throw new SignatureError(`${sig} is signed by ${b58} but it is not contained of permission.`);
    if (seen.has(signer)) throw new SignatureError(`${b58} has signed twice!`);
    seen.add(signer);
    signers.push(signer);
    weight += key.weight;
  }
  if (weight < permission.threshold) throw new SignatureError("sig error");
  return signers;
}

const TYPE_NAMES: Record<number, PermissionType> = { 0: "Owner", 1: "Witness", 2: "Active" };

function typeOf(v: unknown, fallback: PermissionType): PermissionType {
  if (v === undefined || v === null || v === "") return fallback;
  if (typeof v === "number") return TYPE_NAMES[v] ?? "Owner";
  const s = String(v);
  if (s === "Owner" || s === "Witness" || s === "Active") return s;
  return TYPE_NAMES[Number(s)] ?? "Owner";
}

function toHex41(a: unknown): string | null {
  if (typeof a !== "string") return null;
  if (a.length === 34 && a.startsWith("T"))
    return TronWeb.isAddress(a) ? TronWeb.address.toHex(a).toLowerCase() : null;
  const h = a.toLowerCase().replace(/^0x/, "41");
  return /^41[0-9a-f]{40}$/.test(h) ? h : null;
}

/** A permission as printed in a contract's JSON (tronweb's or the node's), parsed leniently. */
function parsePermission(v: any, fallbackType: PermissionType): { p: Permission; badKey: boolean } {
  const keys: PermissionKey[] = [];
  let badKey = false;
  for (const k of Array.isArray(v?.keys) ? v.keys : []) {
    const address = toHex41(k?.address);
    if (!address) badKey = true;
    keys.push({ address: address ?? "", weight: Number(k?.weight ?? 0) });
  }
  return {
    badKey,
    p: {
      type: typeOf(v?.type, fallbackType),
      id: Number(v?.id ?? 0),
      name: String(v?.permission_name ?? ""),
      threshold: Number(v?.threshold ?? 0),
      parentId: Number(v?.parent_id ?? v?.parentId ?? 0),
      operations: String(v?.operations ?? "").toLowerCase(),
      keys,
    },
  };
}

function checkPermission(p: Permission, badKey: boolean): void {
  const fail = (m: string) => {
    throw new PermissionValidateError(m);
  };
  if (p.keys.length > TOTAL_SIGN_NUM)
    fail(`number of keys in permission should not be greater than ${TOTAL_SIGN_NUM}`);
  if (p.keys.length === 0) fail("key's count should be greater than 0");
  if (p.type === "Witness" && p.keys.length !== 1) fail("Witness permission's key count should be 1");
  if (p.threshold <= 0) fail("permission's threshold should be greater than 0");
  if (p.name && p.name.length > 32) fail("permission's name is too long");
  if (p.parentId !== 0) fail("permission's parent should be owner");
  if (new Set(p.keys.map((k) => k.address)).size !== p.keys.length)
    fail(`address should be distinct in permission ${p.type}`);
  let sum = 0;
  for (const k of p.keys) {
    if (badKey || !k.address) fail("key is not a validate address");
    if (!(k.weight > 0)) fail("key's weight should be greater than 0");
    sum += k.weight;
  }
  if (sum < p.threshold)
    fail(`sum of all key's weight should not be less than threshold in permission ${p.type}`);
  if (p.type !== "Active") {
    if (p.operations) fail(`${p.type} permission needn't operations`);
    return;
  }
  if (!/^[0-9a-f]{64}$/.test(p.operations)) fail("operations size must 32");
  for (let i = 0; i < 256; i++) {
    const b =
      (Number.parseInt(p.operations.slice((i >> 3) * 2, (i >> 3) * 2 + 2), 16) & (1 << (i % 8))) !== 0;
    const t =
      (Number.parseInt(AVAILABLE_CONTRACT_TYPES.slice((i >> 3) * 2, (i >> 3) * 2 + 2), 16) &
        (1 << (i % 8))) !==
      0;
    if (b && !t) fail(`${i} isn't a validate ContractType`);
  }
}

/**
 * AccountPermissionUpdateActuator.validate for a (non-witness) existing account: returns the new
 * owner and active permissions with the ids execute() gives them (owner 0, actives 2, 3, …).
 */
export function validatePermissionUpdate(value: any): { owner: Permission; actives: Permission[] } {
  const fail = (m: string) => {
    throw new PermissionValidateError(m);
  };
  if (!value?.owner) fail("owner permission is missed");
  if (value.witness) fail("account isn't witness can't set witness permission");
  const activesRaw: any[] = Array.isArray(value.actives) ? value.actives : [];
  if (activesRaw.length === 0) fail("active permission is missed");
  if (activesRaw.length > 8) fail("active permission is too many");
  const owner = parsePermission(value.owner, "Owner");
  if (owner.p.type !== "Owner") fail("owner permission type is error");
  checkPermission(owner.p, owner.badKey);
  const actives = activesRaw.map((a) => parsePermission(a, "Active"));
  for (const a of actives) {
    if (a.p.type !== "Active") fail("active permission type is error");
    checkPermission(a.p, a.badKey);
  }
  return {
    owner: { ...owner.p, id: 0 },
    actives: actives.map((a, i) => ({ ...a.p, id: i + 2 })),
  };
}

/** getaccount JSON of a permission (proto3 defaults omitted; visible=false hex addresses). */
export function permissionJson(p: Permission): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  if (p.type !== "Owner") o.type = p.type;
  if (p.id) o.id = p.id;
  o.permission_name = p.name;
  o.threshold = p.threshold;
  if (p.parentId) o.parent_id = p.parentId;
  if (p.operations) o.operations = p.operations;
  o.keys = p.keys.map((k) => ({ address: k.address, weight: k.weight }));
  return o;
}
