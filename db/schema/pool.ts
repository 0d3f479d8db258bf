import { sql } from "drizzle-orm";
import { bigint, check, integer, pgEnum, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, sun, tstz, updatedAt } from "./_columns";

export const supplierWalletStatus = pgEnum("supplier_wallet_status", ["enabled", "disabled"]);
/** `key`: we hold the owner key (encrypted). `permission`: a custom active permission of ours signs. */
export const supplierWalletMode = pgEnum("supplier_wallet_mode", ["key", "permission"]);

export const supplierWallets = pgTable(
  "supplier_wallets",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    address: text("address").notNull().unique(),
    label: text("label"),
    mode: supplierWalletMode("mode").notNull().default("key"),
    /** AES-256-GCM ciphertext of the private key, never returned to a client. */
    encryptedKey: text("encrypted_key"),
    keyId: text("key_id"),
    permissionId: integer("permission_id"),
    status: supplierWalletStatus("status").notNull().default("enabled"),
    priority: integer("priority").notNull().default(0),
    trxSun: sun("trx_sun").notNull().default(sql`0`),
    stakedEnergySun: sun("staked_energy_sun").notNull().default(sql`0`),
    delegatedEnergySun: sun("delegated_energy_sun").notNull().default(sql`0`),
    delegatableSun: sun("delegatable_sun").notNull().default(sql`0`),
    /** Bandwidth left at the last refresh (free + staked), bytes. */
    bandwidthAvailable: bigint("bandwidth_available", { mode: "bigint" }).notNull().default(sql`0`),
    refreshedAt: tstz("refreshed_at"),
    lastError: text("last_error"),
    /** Removed by an operator: the key is dropped, the row stays for the history that references it. */
    removedAt: tstz("removed_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check(
      "supplier_wallets_key_present",
      sql`${t.removedAt} is not null or (${t.mode} = 'key' and ${t.encryptedKey} is not null and ${t.keyId} is not null) or (${t.mode} = 'permission' and ${t.permissionId} is not null)`,
    ),
    check("supplier_wallets_amounts_nonnegative", sql`${t.trxSun} >= 0 and ${t.delegatableSun} >= 0`),
  ],
);

export type SupplierWallet = typeof supplierWallets.$inferSelect;

/**
 * The worker's X25519 public keys for sealing imported supplier keys (one per key-encryption key
 * id; lib/tron/key-import). A web process seals a new wallet's key to the newest one, which only a
 * process holding that key-encryption key can open.
 */
export const keyImportKeys = pgTable("key_import_keys", {
  keyId: text("key_id").primaryKey(),
  /** 32-byte X25519 public key, base64. */
  publicKey: text("public_key").notNull(),
  publishedAt: tstz("published_at").notNull().default(sql`now()`),
});
