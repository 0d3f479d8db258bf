import { sql } from "drizzle-orm";
import { bigint, check, index, integer, pgEnum, pgTable, text, unique } from "drizzle-orm/pg-core";
import { createdAt, sun, tstz, updatedAt } from "./_columns";
import { ledgerEntries } from "./ledger";
import { users } from "./users";

/** What the platform may spend of a permission-mode wallet's resources per UTC day until its owner says otherwise. */
export const DEFAULT_DAILY_CAPS = { dailyBandwidthCap: 1_500n, dailyTrxCapSun: 5_000_000n } as const;

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
    // permission-mode wallets (docs/permission-mode.md)
    /** Why the permission no longer lets the operator key sign (revoked, widened, key dropped); null = valid. */
    permissionError: text("permission_error"),
    permissionCheckedAt: tstz("permission_checked_at"),
    /** What the owner lets the platform spend of the wallet per UTC day: bandwidth bytes, and TRX burned. */
    dailyBandwidthCap: bigint("daily_bandwidth_cap", { mode: "bigint" })
      .notNull()
      .default(sql`${sql.raw(String(DEFAULT_DAILY_CAPS.dailyBandwidthCap))}`),
    dailyTrxCapSun: sun("daily_trx_cap_sun")
      .notNull()
      .default(sql`${sql.raw(String(DEFAULT_DAILY_CAPS.dailyTrxCapSun))}`),
    // third-party suppliers (lib/suppliers): the user who registered the wallet and earns on it; null = the operator's own
    supplierUserId: integer("supplier_user_id").references(() => users.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check(
      "supplier_wallets_key_present",
      sql`${t.removedAt} is not null or (${t.mode} = 'key' and ${t.encryptedKey} is not null and ${t.keyId} is not null) or (${t.mode} = 'permission' and ${t.permissionId} is not null)`,
    ),
    check("supplier_wallets_amounts_nonnegative", sql`${t.trxSun} >= 0 and ${t.delegatableSun} >= 0`),
    check(
      "supplier_wallets_daily_caps_nonnegative",
      sql`${t.dailyBandwidthCap} >= 0 and ${t.dailyTrxCapSun} >= 0`,
    ),
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

/**
 * The platform's operator key (permission-mode wallets sign with it through the Active permission
 * their owners grant it). One row: the address in clear, the key encrypted like supplier keys.
 */
export const poolOperator = pgTable(
  "pool_operator",
  {
    id: integer("id").primaryKey().default(1),
    address: text("address").notNull(),
    encryptedKey: text("encrypted_key").notNull(),
    keyId: text("key_id").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [check("pool_operator_single_row", sql`${t.id} = 1`)],
);

export const walletTxKind = pgEnum("wallet_tx_kind", ["delegate", "undelegate"]);

/**
 * What each transaction the platform made from a permission-mode wallet cost its owner, from the
 * chain's receipt: bandwidth bytes used (free or staked) and TRX burned. Counts against the
 * wallet's daily caps. When the wallet belongs to a third-party supplier (`supplier_user_id`, as
 * it was when the cost was recorded), the TRX burned is repaid to them through the ledger
 * (`supplier_fee_refund`, `repaid_entry_id`) in the same transaction (docs/suppliers.md).
 */
export const walletTxCosts = pgTable(
  "wallet_tx_costs",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    supplierWalletId: integer("supplier_wallet_id")
      .notNull()
      .references(() => supplierWallets.id),
    delegationId: integer("delegation_id"),
    kind: walletTxKind("kind").notNull(),
    txid: text("txid").notNull(),
    netUsage: bigint("net_usage", { mode: "bigint" }).notNull(),
    feeSun: sun("fee_sun").notNull(),
    /** The supplier who owned the wallet when the cost was recorded (null: the operator's own wallet). */
    supplierUserId: integer("supplier_user_id").references(() => users.id),
    /** The ledger credit that repaid `fee_sun` to that supplier (null: nothing burned, or no supplier). */
    repaidEntryId: bigint("repaid_entry_id", { mode: "number" }).references(() => ledgerEntries.id),
    /** Block time: the UTC day the cost counts for. */
    at: tstz("at").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    unique("wallet_tx_costs_txid").on(t.txid),
    index("wallet_tx_costs_wallet_at_idx").on(t.supplierWalletId, t.at),
    index("wallet_tx_costs_supplier_idx")
      .on(t.supplierUserId, t.at)
      .where(sql`${t.supplierUserId} is not null`),
    check("wallet_tx_costs_nonnegative", sql`${t.netUsage} >= 0 and ${t.feeSun} >= 0`),
  ],
);
export type WalletTxCost = typeof walletTxCosts.$inferSelect;
