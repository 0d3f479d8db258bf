import { sql } from "drizzle-orm";
import {
  bigint,
  check,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { createdAt, sun, tstz, updatedAt } from "./_columns";
import { transferPackages } from "./packages";
import { supplierWallets } from "./pool";
import { users } from "./users";
import { energySubscriptions } from "./watch";

export const orderStatus = pgEnum("order_status", [
  "paid",
  "delegating",
  "active",
  "reclaiming",
  "completed",
  "failed",
  "cancelled",
  "refunded",
]);
export const orderSource = pgEnum("order_source", ["bot", "portal", "api", "admin", "transfer"]);

export const orders = pgTable(
  "orders",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity({ startWith: 10001 }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    receiverAddress: text("receiver_address").notNull(),
    energy: bigint("energy", { mode: "bigint" }).notNull(),
    durationKey: text("duration_key").notNull(),
    durationSeconds: integer("duration_seconds").notNull(),
    unitPriceSun: sun("unit_price_sun").notNull(),
    priceSun: sun("price_sun").notNull(),
    /** What the same energy would burn without renting, at quote time. */
    burnSun: sun("burn_sun").notNull(),
    /** Part of the price refunded (undelivered share of a split order, or all of it). */
    refundedSun: sun("refunded_sun").notNull().default(sql`0`),
    status: orderStatus("status").notNull().default("paid"),
    source: orderSource("source").notNull(),
    idempotencyKey: text("idempotency_key").notNull(),
    fingerprint: text("fingerprint").notNull(),
    telegramChatId: bigint("telegram_chat_id", { mode: "number" }),
    telegramMessageId: integer("telegram_message_id"),
    apiKeyId: integer("api_key_id"),
    callbackUrl: text("callback_url"),
    /** The keep-energy subscription this order tops up (lib/subscriptions), if any. */
    subscriptionId: integer("subscription_id").references(() => energySubscriptions.id),
    /** The per-transfer package this prepaid supply belongs to (lib/packages): paid by the package, not debited again. */
    packageId: integer("package_id").references(() => transferPackages.id),
    failureReason: text("failure_reason"),
    attempts: integer("attempts").notNull().default(0),
    createdAt: createdAt(),
    deliveredAt: tstz("delivered_at"),
    expiresAt: tstz("expires_at"),
    completedAt: tstz("completed_at"),
    updatedAt: updatedAt(),
  },
  (t) => [
    check("orders_energy_positive", sql`${t.energy} > 0`),
    check("orders_price_positive", sql`${t.priceSun} > 0 and ${t.unitPriceSun} > 0`),
    check("orders_duration_positive", sql`${t.durationSeconds} > 0`),
    check("orders_refund_bounded", sql`${t.refundedSun} >= 0 and ${t.refundedSun} <= ${t.priceSun}`),
    uniqueIndex("orders_user_idempotency_uq").on(t.userId, t.idempotencyKey),
    index("orders_user_created_idx").on(t.userId, t.createdAt.desc()),
    index("orders_status_updated_idx").on(t.status, t.updatedAt),
    // Covering (drizzle has no INCLUDE, so trailing key columns): the dashboard's per-day
    // aggregates and delivery medians are index-only scans.
    index("orders_created_cov_idx").on(
      t.createdAt,
      t.status,
      t.energy,
      t.priceSun,
      t.refundedSun,
      t.deliveredAt,
    ),
    index("orders_failed_created_idx").on(t.createdAt).where(sql`${t.failureReason} is not null`),
    // The pool's capacity check sums the energy of orders waiting for delivery (lib/pool/capacity).
    index("orders_pending_idx")
      .on(t.status, t.energy, t.durationSeconds, t.id)
      .where(sql`${t.status} in ('paid', 'delegating')`),
    // Revenue is recognised on delivery: finance and the dashboard sum delivered orders by day
    // (a package's prepaid supplies, package_id set, are not sales).
    index("orders_delivered_cov_idx")
      .on(t.deliveredAt, t.priceSun, t.refundedSun, t.energy, t.packageId)
      .where(sql`${t.deliveredAt} is not null`),
    index("orders_receiver_idx").on(t.receiverAddress),
    index("orders_package_idx").on(t.packageId, t.status).where(sql`${t.packageId} is not null`),
    index("orders_subscription_idx")
      .on(t.subscriptionId, t.status)
      .where(sql`${t.subscriptionId} is not null`),
    index("orders_active_expiry_idx").on(t.expiresAt).where(sql`${t.status} in ('active', 'reclaiming')`),
  ],
);

export const orderEvents = pgTable(
  "order_events",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    orderId: bigint("order_id", { mode: "number" })
      .notNull()
      .references(() => orders.id, { onDelete: "cascade" }),
    fromStatus: orderStatus("from_status"),
    toStatus: orderStatus("to_status"),
    type: text("type").notNull(),
    details: jsonb("details").$type<Record<string, unknown>>(),
    createdAt: createdAt(),
    /**
     * The outbox mark of a status change (a row with `to_status`): when its `order/status.changed`
     * event reached Inngest. Null until then; the safety sweep re-sends rows left null. Rows that
     * change no status are never sent and stay null.
     */
    sentAt: tstz("sent_at"),
  },
  (t) => [
    index("order_events_order_idx").on(t.orderId, t.id),
    index("order_events_unsent_idx").on(t.id).where(sql`${t.sentAt} is null and ${t.toStatus} is not null`),
  ],
);

export const delegationStatus = pgEnum("delegation_status", [
  "planned",
  "signed",
  "broadcast",
  "confirmed",
  "failed",
  "reclaiming",
  "reclaimed",
]);

/** One part of an order's delivery from one supplier wallet (large orders may be split). */
export const delegations = pgTable(
  "delegations",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    orderId: bigint("order_id", { mode: "number" })
      .notNull()
      .references(() => orders.id),
    supplierWalletId: integer("supplier_wallet_id")
      .notNull()
      .references(() => supplierWallets.id),
    receiverAddress: text("receiver_address").notNull(),
    /** Staked TRX delegated, in sun (what delegateResource's `balance` carries). */
    sun: sun("sun").notNull(),
    energy: bigint("energy", { mode: "bigint" }).notNull(),
    lockPeriodBlocks: integer("lock_period_blocks").notNull(),
    status: delegationStatus("status").notNull().default("planned"),
    attempt: integer("attempt").notNull().default(0),
    signedTx: jsonb("signed_tx"),
    txid: text("txid").unique(),
    txExpiresAt: tstz("tx_expires_at"),
    blockNumber: bigint("block_number", { mode: "number" }),
    feeSun: sun("fee_sun").notNull().default(sql`0`),
    confirmedAt: tstz("confirmed_at"),
    expiresAt: tstz("expires_at"),
    reclaimSun: sun("reclaim_sun"),
    reclaimSignedTx: jsonb("reclaim_signed_tx"),
    reclaimTxid: text("reclaim_txid").unique(),
    reclaimTxExpiresAt: tstz("reclaim_tx_expires_at"),
    reclaimFeeSun: sun("reclaim_fee_sun").notNull().default(sql`0`),
    reclaimedAt: tstz("reclaimed_at"),
    reclaimAttempts: integer("reclaim_attempts").notNull().default(0),
    /** No reclaim before this (the lock ends then, or a retry waits): the sweep does not re-send. */
    reclaimAfter: tstz("reclaim_after"),
    /**
     * Energy usage the undelegation moved from the receiver to the supplier wallet, and the stake
     * (sun) it keeps from being delegated again until it recovers (linearly, over about 24 h).
     */
    reclaimMovedEnergy: bigint("reclaim_moved_energy", { mode: "bigint" }),
    reclaimBlockedSun: sun("reclaim_blocked_sun"),
    error: text("error"),
    /** Set when the wallet's permission was revoked with this still delegated: the owner must undelegate it. */
    ownerReclaimAt: tstz("owner_reclaim_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check("delegations_sun_positive", sql`${t.sun} > 0 and ${t.energy} > 0`),
    index("delegations_order_idx").on(t.orderId),
    index("delegations_wallet_status_idx").on(t.supplierWalletId, t.status),
    index("delegations_due_idx").on(t.expiresAt).where(sql`${t.status} in ('confirmed', 'reclaiming')`),
    index("delegations_receiver_idx").on(t.receiverAddress, t.supplierWalletId),
    // Finance and dashboard: chain fees by day, and delegated time (opportunity cost) by window.
    index("delegations_created_fee_idx").on(t.createdAt, t.feeSun),
    index("delegations_reclaimed_fee_idx")
      .on(t.reclaimedAt, t.reclaimFeeSun)
      .where(sql`${t.reclaimedAt} is not null`),
    index("delegations_delegated_until_idx")
      .on(
        sql`coalesce(${t.reclaimedAt}, ${t.expiresAt})`,
        t.sun,
        t.confirmedAt,
        t.reclaimedAt,
        t.expiresAt,
        // the opportunity cost leaves out suppliers' wallets (their stake is not the platform's)
        t.supplierWalletId,
      )
      .where(sql`${t.confirmedAt} is not null`),
  ],
);

export type Order = typeof orders.$inferSelect;
export type NewOrder = typeof orders.$inferInsert;
export type OrderStatus = (typeof orderStatus.enumValues)[number];
export type OrderSource = (typeof orderSource.enumValues)[number];
export type OrderEvent = typeof orderEvents.$inferSelect;
export type Delegation = typeof delegations.$inferSelect;
export type DelegationStatus = (typeof delegationStatus.enumValues)[number];
