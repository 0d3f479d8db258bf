import { eq, sql } from "drizzle-orm";
import { type Executor, getDb, rowsOf } from "@/db";
import { type SupplierWallet, supplierWallets } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { energyForSun } from "@/lib/tron/resources";
import { tron } from "@/lib/tron/client";
import { operatorSigner } from "./operator";

/** A wallet as shown to operators: never the key. */
export type PoolWallet = Omit<SupplierWallet, "encryptedKey"> & { freeSun: bigint; reservedSun: bigint };

const reservedSql = (walletIdCol: ReturnType<typeof sql>, refreshedCol: ReturnType<typeof sql>) => sql`
  coalesce((select sum(d.sun) from delegations d where d.supplier_wallet_id = ${walletIdCol}
    and (d.status in ('planned', 'signed', 'broadcast')
      or (d.status = 'confirmed' and d.confirmed_at > coalesce(${refreshedCol}, 'epoch'::timestamptz)))), 0)`;

type Row = Record<string, unknown>;

function toPoolWallet(r: Row): PoolWallet {
  const delegatable = BigInt(r.delegatable_sun as string | bigint);
  const reserved = BigInt((r.reserved_sun ?? 0) as string | bigint | number);
  const free = delegatable - reserved;
  return {
    id: Number(r.id),
    address: String(r.address),
    label: (r.label as string | null) ?? null,
    mode: r.mode as SupplierWallet["mode"],
    keyId: (r.key_id as string | null) ?? null,
    permissionId: r.permission_id == null ? null : Number(r.permission_id),
    status: r.status as SupplierWallet["status"],
    priority: Number(r.priority),
    trxSun: BigInt(r.trx_sun as string | bigint),
    stakedEnergySun: BigInt(r.staked_energy_sun as string | bigint),
    delegatedEnergySun: BigInt(r.delegated_energy_sun as string | bigint),
    delegatableSun: delegatable,
    bandwidthAvailable: BigInt((r.bandwidth_available ?? 0) as string | bigint | number),
    refreshedAt: r.refreshed_at == null ? null : new Date(r.refreshed_at as string),
    lastError: (r.last_error as string | null) ?? null,
    removedAt: r.removed_at == null ? null : new Date(r.removed_at as string),
    permissionError: (r.permission_error as string | null) ?? null,
    permissionCheckedAt: r.permission_checked_at == null ? null : new Date(r.permission_checked_at as string),
    dailyBandwidthCap: BigInt((r.daily_bandwidth_cap ?? 0) as string | bigint | number),
    dailyTrxCapSun: BigInt((r.daily_trx_cap_sun ?? 0) as string | bigint | number),
    supplierUserId: r.supplier_user_id == null ? null : Number(r.supplier_user_id),
    createdAt: new Date(r.created_at as string),
    updatedAt: new Date(r.updated_at as string),
    reservedSun: reserved,
    freeSun: free < 0n ? 0n : free,
  };
}

export async function walletRows(ex: Executor, where = sql`true`): Promise<PoolWallet[]> {
  const rows = rowsOf<Row>(
    await ex.execute(sql`
      select w.*, ${reservedSql(sql`w.id`, sql`w.refreshed_at`)} as reserved_sun
      from supplier_wallets w where ${where} order by w.id`),
  );
  return rows.map(toPoolWallet);
}

/** The pool's wallets (removed ones are history only and not listed). */
export async function listWallets(): Promise<PoolWallet[]> {
  return walletRows(await getDb(), sql`w.removed_at is null`);
}

export async function getWallet(id: number, ex?: Executor): Promise<PoolWallet> {
  const [w] = await walletRows(ex ?? (await getDb()), sql`w.id = ${id}`);
  if (!w) throw new AppError("not_found", "Wallet not found.");
  return w;
}

/**
 * What signs for a wallet, for the signing steps only: a key-mode wallet's own encrypted key; for a
 * permission-mode wallet the operator key's, with the Active permission id the owner granted it
 * (`permissionId`, the contract's Permission_id).
 */
export async function walletSigner(
  id: number,
): Promise<{ address: string; encryptedKey: string; permissionId?: number; mode: "key" | "permission" }> {
  const db = await getDb();
  const [w] = await db
    .select({
      address: supplierWallets.address,
      encryptedKey: supplierWallets.encryptedKey,
      mode: supplierWallets.mode,
      permissionId: supplierWallets.permissionId,
    })
    .from(supplierWallets)
    .where(eq(supplierWallets.id, id));
  if (!w) throw new AppError("not_found", "Wallet not found.");
  if (w.mode === "permission" && w.permissionId !== null) {
    const op = await operatorSigner();
    return {
      address: w.address,
      encryptedKey: op.encryptedKey,
      permissionId: w.permissionId,
      mode: "permission",
    };
  }
  if (!w.encryptedKey) throw new AppError("internal", "The supplier wallet has no key.");
  return { address: w.address, encryptedKey: w.encryptedKey, mode: "key" };
}

/** Pool totals: free sun (after reservations), sun in use by delegations, and free energy. */
export async function poolCapacity(): Promise<{
  delegatableSun: bigint;
  inUseSun: bigint;
  delegatableEnergy: bigint;
}> {
  const ws = (await listWallets()).filter((w) => w.status === "enabled");
  const delegatableSun = ws.reduce((a, w) => a + w.freeSun, 0n);
  const inUseSun = ws.reduce((a, w) => a + w.delegatedEnergySun + w.reservedSun, 0n);
  let delegatableEnergy = 0n;
  try {
    const weights = await tron().getEnergyWeights();
    delegatableEnergy = ws.reduce((a, w) => a + energyForSun(w.freeSun, weights), 0n);
  } catch {}
  return { delegatableSun, inUseSun, delegatableEnergy };
}
