import { sql } from "drizzle-orm";
import { bigint, check, index, integer, pgEnum, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, sun, tstz, updatedAt } from "./_columns";
import { users } from "./users";

export const packageStatus = pgEnum("package_status", [
  "active",
  /** All its transfers were counted. */
  "completed",
  /** Its validity ended before; the unused share was refunded by the operator's rule. */
  "expired",
]);

/**
 * Per-transfer packages (lib/packages): N USDT transfers from `address`, paid once at purchase
 * (ledger key `package:<userId>:<idempotency_key>`). The platform keeps the address supplied with
 * energy for one transfer (prepaid orders with `orders.package_id`) until N transfers are counted
 * (`package_uses`) or `ends_at` passes (the unused share refunded once, by `refund_percent`).
 */
export const transferPackages = pgTable(
  "transfer_packages",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    address: text("address").notNull(),
    /** N: transfers bought. */
    transfers: integer("transfers").notNull(),
    priceSun: sun("price_sun").notNull(),
    /** The operator's refund rule at purchase: percent of the unused share's price refunded at expiry. */
    refundPercent: integer("refund_percent").notNull(),
    status: packageStatus("status").notNull().default("active"),
    source: text("source").notNull(),
    idempotencyKey: text("idempotency_key").notNull(),
    endsAt: tstz("ends_at").notNull(),
    /** Refunded at expiry (0 until then, or when the rule gives nothing). */
    refundedSun: sun("refunded_sun").notNull().default(sql`0`),
    /** When the user was told it ended (completed or expired); null before. */
    endNotifiedAt: tstz("end_notified_at"),
    /** Why the last due supply was not placed (pool capacity…), null after one is. */
    lastError: text("last_error"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check(
      "transfer_packages_positive",
      sql`${t.transfers} > 0 and ${t.priceSun} > 0 and ${t.refundPercent} between 0 and 100`,
    ),
    uniqueIndex("transfer_packages_user_key_uq").on(t.userId, t.idempotencyKey),
    index("transfer_packages_user_idx").on(t.userId, t.id),
    index("transfer_packages_address_idx").on(t.address).where(sql`${t.status} = 'active'`),
    index("transfer_packages_status_idx").on(t.status, t.id),
  ],
);

/** One counted transfer of a package: an outgoing USDT transfer of its address, once per txid. */
export const packageUses = pgTable(
  "package_uses",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    packageId: integer("package_id")
      .notNull()
      .references(() => transferPackages.id),
    txid: text("txid").notNull().unique(),
    blockNumber: bigint("block_number", { mode: "number" }).notNull(),
    /** Energy the transfer used, read from its receipt (null until read). */
    energyUsed: bigint("energy_used", { mode: "bigint" }),
    createdAt: createdAt(),
  },
  (t) => [index("package_uses_package_idx").on(t.packageId, t.id)],
);

export type TransferPackage = typeof transferPackages.$inferSelect;
export type PackageUse = typeof packageUses.$inferSelect;
export type PackageStatus = (typeof packageStatus.enumValues)[number];
