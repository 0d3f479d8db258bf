import { sql } from "drizzle-orm";
import { bigint, boolean, check, index, integer, jsonb, pgEnum, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, sun, tstz, updatedAt } from "./_columns";
import { ledgerEntries } from "./ledger";
import { delegations, orders } from "./orders";
import { supplierWallets } from "./pool";
import { users } from "./users";

/**
 * Third-party suppliers (lib/suppliers, docs/suppliers.md): a user with a supplier profile owns
 * permission-mode wallets (`supplier_wallets.supplier_user_id`) whose stake the platform lends.
 * `min_price_sun_per_energy_day`: the lowest order price the supplier accepts, in sun per energy
 * per day of rental (an order qualifies when price × 86,400 ≥ min × energy × duration seconds).
 * `available` off takes all their wallets out of selection; `energy_cap` (null: no cap) bounds the
 * energy their wallets have out at once.
 */
export const supplierProfiles = pgTable(
  "supplier_profiles",
  {
    userId: integer("user_id")
      .primaryKey()
      .references(() => users.id),
    minPriceSunPerEnergyDay: bigint("min_price_sun_per_energy_day", { mode: "bigint" })
      .notNull()
      .default(sql`0`),
    available: boolean("available").notNull().default(false),
    energyCap: bigint("energy_cap", { mode: "bigint" }),
    payoutAddress: text("payout_address"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check("supplier_profiles_min_nonnegative", sql`${t.minPriceSunPerEnergyDay} >= 0`),
    check("supplier_profiles_cap_positive", sql`${t.energyCap} is null or ${t.energyCap} > 0`),
  ],
);
export type SupplierProfile = typeof supplierProfiles.$inferSelect;

/**
 * What a supplier earned on one delegation of theirs, written in the transaction that credits it
 * (`supplier_earning`, key `supplier:earning:delegation:<id>`): at most one per delegation.
 * gross = floor(kept × energy / delivered energy) of the order; commission = gross − earning;
 * earning = floor(gross × (10,000 − bps) / 10,000).
 */
export const supplierEarnings = pgTable(
  "supplier_earnings",
  {
    delegationId: bigint("delegation_id", { mode: "number" })
      .primaryKey()
      .references(() => delegations.id),
    orderId: bigint("order_id", { mode: "number" })
      .notNull()
      .references(() => orders.id),
    supplierUserId: integer("supplier_user_id")
      .notNull()
      .references(() => users.id),
    supplierWalletId: integer("supplier_wallet_id")
      .notNull()
      .references(() => supplierWallets.id),
    energy: bigint("energy", { mode: "bigint" }).notNull(),
    grossSun: sun("gross_sun").notNull(),
    commissionBps: integer("commission_bps").notNull(),
    commissionSun: sun("commission_sun").notNull(),
    earningSun: sun("earning_sun").notNull(),
    creditEntryId: bigint("credit_entry_id", { mode: "number" })
      .notNull()
      .references(() => ledgerEntries.id),
    createdAt: createdAt(),
  },
  (t) => [
    check(
      "supplier_earnings_amounts",
      sql`${t.earningSun} > 0 and ${t.commissionSun} >= 0 and ${t.grossSun} = ${t.earningSun} + ${t.commissionSun}`,
    ),
    index("supplier_earnings_supplier_idx").on(t.supplierUserId, t.createdAt),
    index("supplier_earnings_order_idx").on(t.orderId),
  ],
);
export type SupplierEarning = typeof supplierEarnings.$inferSelect;

export const supplierPayoutStatus = pgEnum("supplier_payout_status", [
  // debited, waiting for an operator (above the automatic threshold)
  "pending",
  // approved (or under the threshold): the worker signs it
  "approved",
  "signed",
  "broadcast",
  "confirmed",
  // refused by an operator, or the transaction failed: the amount went back to the balance
  "rejected",
  "failed",
]);

/**
 * A supplier's payout in TRX to their payout address, from the treasury (the deposit collection
 * target). Debited from their balance at request (`supplier_payout`, key
 * `supplier:payout:<id>`), returned once if rejected or failed (`supplier_payout_return`, key
 * `supplier:payout:return:<id>`). The signed transaction is stored before it is broadcast; it is
 * re-signed only after it expired unseen.
 */
export const supplierPayouts = pgTable(
  "supplier_payouts",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    supplierUserId: integer("supplier_user_id")
      .notNull()
      .references(() => users.id),
    amountSun: sun("amount_sun").notNull(),
    toAddress: text("to_address").notNull(),
    status: supplierPayoutStatus("status").notNull().default("pending"),
    /** Requested by the supplier, or made automatically above the balance threshold. */
    automatic: boolean("automatic").notNull().default(false),
    debitEntryId: bigint("debit_entry_id", { mode: "number" }).references(() => ledgerEntries.id),
    returnEntryId: bigint("return_entry_id", { mode: "number" }).references(() => ledgerEntries.id),
    attempt: integer("attempt").notNull().default(0),
    signedTx: jsonb("signed_tx"),
    txid: text("txid").unique(),
    txExpiresAt: tstz("tx_expires_at"),
    blockNumber: bigint("block_number", { mode: "number" }),
    decidedByAdminId: integer("decided_by_admin_id"),
    decidedAt: tstz("decided_at"),
    reason: text("reason"),
    error: text("error"),
    confirmedAt: tstz("confirmed_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check("supplier_payouts_amount_positive", sql`${t.amountSun} > 0`),
    index("supplier_payouts_supplier_idx").on(t.supplierUserId, t.id),
    index("supplier_payouts_open_idx")
      .on(t.status, t.id)
      .where(sql`${t.status} in ('pending', 'approved', 'signed', 'broadcast')`),
  ],
);
export type SupplierPayout = typeof supplierPayouts.$inferSelect;
