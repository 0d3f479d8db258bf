import { eq, sql } from "drizzle-orm";
import { Trx } from "tronweb";
import { z } from "zod";
import { getDb, rowsOf } from "@/db";
import { type SupplierProfile, supplierProfiles, supplierWallets, users } from "@/db/schema";
import { AppError } from "@/lib/errors";
import {
  importPermissionWallet,
  type PermissionSetup,
  permissionSetup,
  type PoolWallet,
  setWalletDailyCaps,
  walletRows,
} from "@/lib/pool";
import { parseAddress } from "@/lib/tron/address";

/**
 * Supplier profiles: a user (the same account and sign-in as any user) becomes a supplier by saving
 * a profile, registers permission-mode wallets (the pool's own grant check and setup, lib/pool),
 * and sets their minimum price, availability and payout address.
 */

const profileSchema = z.object({
  /** sun per energy per day of rental */
  minPriceSunPerEnergyDay: z.bigint().min(0n).max(1_000_000n),
  available: z.boolean(),
  /** energy out at once from all their wallets; null: no cap */
  energyCap: z.bigint().min(1n).max(1_000_000_000_000n).nullable(),
  payoutAddress: z.string().trim().min(1).nullable(),
});

export type SupplierProfileInput = z.input<typeof profileSchema>;

export async function getSupplierProfile(userId: number): Promise<SupplierProfile | null> {
  const db = await getDb();
  const [p] = await db.select().from(supplierProfiles).where(eq(supplierProfiles.userId, userId));
  return p ?? null;
}

/** Creates or updates the user's supplier profile; every field checked, nothing stored when one is bad. */
export async function saveSupplierProfile(
  userId: number,
  input: SupplierProfileInput,
): Promise<SupplierProfile> {
  const p = profileSchema.safeParse(input);
  if (!p.success)
    throw new AppError("bad_request", "Check the minimum price, the energy cap and the payout address.", {
      fields: Object.fromEntries(p.error.issues.map((i) => [String(i.path[0]), i.message])),
    });
  const payoutAddress = p.data.payoutAddress === null ? null : parseAddress(p.data.payoutAddress);
  const db = await getDb();
  const [u] = await db.select({ status: users.status }).from(users).where(eq(users.id, userId));
  if (!u) throw new AppError("not_found", "User not found.");
  if (u.status !== "active") throw new AppError("forbidden", "This account cannot supply energy.");
  const values = {
    minPriceSunPerEnergyDay: p.data.minPriceSunPerEnergyDay,
    available: p.data.available,
    energyCap: p.data.energyCap,
    payoutAddress,
  };
  const [row] = await db
    .insert(supplierProfiles)
    .values({ userId, ...values })
    .onConflictDoUpdate({ target: supplierProfiles.userId, set: { ...values, updatedAt: new Date() } })
    .returning();
  return row;
}

/** The message a wallet's owner signs (TronLink signMessageV2) to show the wallet is theirs. */
export function ownershipMessage(userId: number, address: string): string {
  return `TRON Energy Helper: I supply energy from ${address} as user ${userId}.`;
}

/** The grant the owner adds, exactly as the console shows it (lib/pool). */
export async function supplierWalletSetup(address: string): Promise<PermissionSetup> {
  return permissionSetup(address);
}

/**
 * Registers a permission-mode wallet for a supplier. The owner proves the address is theirs by
 * signing `ownershipMessage` with its key (a grant alone proves nothing: anyone can read it on
 * chain), then the pool's import checks the grant and refuses, storing nothing, when it is not as
 * required. A wallet another supplier (or the operator) has in the pool is refused.
 */
export async function registerSupplierWallet(
  userId: number,
  input: {
    address: string;
    signature: string;
    label?: string;
    dailyBandwidthCap?: bigint;
    dailyTrxCapSun?: bigint;
  },
): Promise<PoolWallet> {
  const profile = await getSupplierProfile(userId);
  if (!profile) throw new AppError("invalid_state", "Save your supplier profile first.");
  const address = parseAddress(String(input.address ?? ""));
  const sig = z
    .string()
    .regex(/^(0x)?[0-9a-fA-F]{130}$/)
    .safeParse(input.signature);
  if (!sig.success)
    throw new AppError("bad_request", "Sign the message with the wallet and paste the signature.", {
      fields: { signature: "Required." },
    });
  let signer: string | null = null;
  try {
    signer = Trx.verifyMessageV2(ownershipMessage(userId, address), sig.data);
  } catch {
    signer = null;
  }
  if (signer !== address)
    throw new AppError("forbidden", "The signature is not from this wallet's key for this message.", {
      fields: { signature: "Not signed by this wallet." },
    });
  const db = await getDb();
  const [existing] = await db.select().from(supplierWallets).where(eq(supplierWallets.address, address));
  if (existing && existing.removedAt === null && existing.supplierUserId !== userId)
    throw new AppError("conflict", "This wallet is already in the pool.");
  return importPermissionWallet({
    address,
    label: input.label,
    dailyBandwidthCap: input.dailyBandwidthCap,
    dailyTrxCapSun: input.dailyTrxCapSun,
    supplierUserId: userId,
  });
}

/**
 * The supplier sets what the platform may spend of one of their wallets' resources per UTC day
 * (docs/permission-mode.md): bandwidth bytes and TRX. Only their own wallet still in the pool;
 * anyone else's is `not_found` (nothing said about it), and bad caps change nothing.
 */
export async function setSupplierWalletCaps(
  userId: number,
  walletId: number,
  caps: { dailyBandwidthCap: bigint; dailyTrxCapSun: bigint },
): Promise<PoolWallet> {
  const db = await getDb();
  const [w] = Number.isSafeInteger(walletId)
    ? await db.select().from(supplierWallets).where(eq(supplierWallets.id, walletId))
    : [];
  if (!w || w.supplierUserId !== userId || w.removedAt !== null)
    throw new AppError("not_found", "Wallet not found.");
  await setWalletDailyCaps(walletId, caps);
  const [row] = await walletRows(db, sql`w.id = ${walletId}`);
  return row;
}

/** The supplier's wallets (removed ones are history only). */
export async function listSupplierWallets(userId: number): Promise<PoolWallet[]> {
  const db = await getDb();
  return walletRows(db, sql`w.supplier_user_id = ${userId} and w.removed_at is null`);
}

/** Every supplier with their wallets' count and what they earned and hold, for the console. */
export async function listSuppliers() {
  const db = await getDb();
  return rowsOf<{
    user_id: number;
    username: string | null;
    first_name: string | null;
    available: boolean;
    min_price: string;
    energy_cap: string | null;
    payout_address: string | null;
    wallets: string;
    earned_sun: string;
    fees_repaid_sun: string;
    balance_sun: string;
  }>(
    await db.execute(sql`
      select p.user_id, u.username, u.first_name, p.available, p.min_price_sun_per_energy_day as min_price,
        p.energy_cap, p.payout_address, u.balance_sun,
        (select count(*) from supplier_wallets w where w.supplier_user_id = p.user_id and w.removed_at is null) as wallets,
        (select coalesce(sum(e.earning_sun), 0) from supplier_earnings e where e.supplier_user_id = p.user_id) as earned_sun,
        (select coalesce(sum(c.fee_sun), 0) from wallet_tx_costs c
          where c.supplier_user_id = p.user_id and c.repaid_entry_id is not null) as fees_repaid_sun
      from supplier_profiles p join users u on u.id = p.user_id order by p.user_id`),
  );
}
