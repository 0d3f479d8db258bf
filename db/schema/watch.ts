import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  index,
  integer,
  pgEnum,
  pgTable,
  text,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { createdAt, sun, tstz, updatedAt } from "./_columns";
import { users } from "./users";

/**
 * Watched addresses (lib/watch): addresses the platform keeps supplied with energy. The deposit
 * scanner marks a row `dirty` when a solidified block holds a transaction the address signed (it
 * sent something, so its energy may have gone down); the check cycle re-reads only dirty rows (and a
 * few stale ones as a safety net) from the chain.
 */
export const watchedAddresses = pgTable(
  "watched_addresses",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    address: text("address").notNull().unique(),
    /** The address's 20-byte body as lowercase hex (what block transactions carry after "41"). */
    hex: text("hex").notNull().unique(),
    /** Set by the scanner when the address sent a transaction; cleared by the check that re-read it. */
    dirty: boolean("dirty").notNull().default(true),
    /** The last solidified block in which the address sent a transaction. */
    lastSentBlock: bigint("last_sent_block", { mode: "number" }),
    /** Available energy as last read from the chain. */
    energyAvailable: bigint("energy_available", { mode: "bigint" }),
    checkedAt: tstz("checked_at"),
    createdAt: createdAt(),
  },
  (t) => [
    index("watched_addresses_dirty_idx").on(t.id).where(sql`${t.dirty}`),
    index("watched_addresses_checked_idx").on(t.checkedAt),
  ],
);

export const subscriptionStatus = pgEnum("subscription_status", [
  "active",
  "paused",
  /** The budget cannot pay for another top-up. */
  "exhausted",
  /** Its end time passed. */
  "ended",
  "cancelled",
]);

/**
 * Keep-energy subscriptions (lib/subscriptions): keep at least `min_energy` available on `address`
 * until `ends_at`, delegating more (an order with `orders.subscription_id`) whenever it falls below,
 * each top-up paid from the balance, all of them within `budget_sun`.
 */
export const energySubscriptions = pgTable(
  "energy_subscriptions",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    address: text("address").notNull(),
    minEnergy: bigint("min_energy", { mode: "bigint" }).notNull(),
    budgetSun: sun("budget_sun").notNull(),
    status: subscriptionStatus("status").notNull().default("active"),
    source: text("source").notNull(),
    /** The client's request id (API Idempotency-Key, a bot or portal form token). */
    idempotencyKey: text("idempotency_key").notNull(),
    endsAt: tstz("ends_at").notNull(),
    /** Set when the low-balance warning was sent; cleared when the balance is enough again. */
    lowBalanceWarnedAt: tstz("low_balance_warned_at"),
    /** Why the last due top-up was not placed (short balance, pool capacity…), null after one is. */
    lastError: text("last_error"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check("energy_subscriptions_positive", sql`${t.minEnergy} > 0 and ${t.budgetSun} > 0`),
    uniqueIndex("energy_subscriptions_user_key_uq").on(t.userId, t.idempotencyKey),
    index("energy_subscriptions_user_idx").on(t.userId, t.id),
    index("energy_subscriptions_address_idx").on(t.address).where(sql`${t.status} = 'active'`),
    index("energy_subscriptions_status_idx").on(t.status, t.id),
  ],
);

export type WatchedAddress = typeof watchedAddresses.$inferSelect;
export type EnergySubscription = typeof energySubscriptions.$inferSelect;
export type SubscriptionStatus = (typeof subscriptionStatus.enumValues)[number];
