import { sql } from "drizzle-orm";
import { bigint, index, integer, jsonb, pgEnum, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { sun, tstz } from "./_columns";
import { supplierWallets } from "./pool";

/**
 * Chain reconciliation (lib/reconcile): per pool wallet and receiver, the chain's delegated
 * energy compared with what the database's delegations explain.
 * - orphan: more on chain than any order explains (a delegation made outside the app, or lost);
 * - missing: an order's delegation that is not on chain (the customer is not getting it);
 * - unreclaimed: a delegation the database marked reclaimed that is still on chain;
 * - lock_mismatch: the chain's lock ends later than the orders' (locks merged).
 */
export const driftKind = pgEnum("drift_kind", ["orphan", "missing", "unreclaimed", "lock_mismatch"]);
export const driftStatus = pgEnum("drift_status", ["open", "resolved"]);

export const chainDrift = pgTable(
  "chain_drift",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    kind: driftKind("kind").notNull(),
    supplierWalletId: integer("supplier_wallet_id")
      .notNull()
      .references(() => supplierWallets.id),
    receiverAddress: text("receiver_address").notNull(),
    status: driftStatus("status").notNull().default("open"),
    /** Energy stake (sun) on chain from the wallet to the receiver, and what the orders explain. */
    chainSun: sun("chain_sun").notNull(),
    expectedSun: sun("expected_sun").notNull(),
    /** The part of the drift no longer locked on chain (what a reclaim can take back now). */
    unlockedSun: sun("unlocked_sun").notNull().default(sql`0`),
    chainLockEndsAt: tstz("chain_lock_ends_at"),
    expectedLockEndsAt: tstz("expected_lock_ends_at"),
    /** The database delegations of this wallet and receiver the finding is about. */
    delegationIds: jsonb("delegation_ids").$type<number[]>().notNull().default([]),
    details: jsonb("details").$type<Record<string, unknown>>(),
    runs: integer("runs").notNull().default(1),
    firstSeenAt: tstz("first_seen_at").notNull().defaultNow(),
    lastSeenAt: tstz("last_seen_at").notNull().defaultNow(),
    resolvedAt: tstz("resolved_at"),
    /** Reclaiming an orphan: the undelegate signed and stored before it is broadcast. */
    reclaimSun: sun("reclaim_sun"),
    reclaimSignedTx: jsonb("reclaim_signed_tx"),
    reclaimTxid: text("reclaim_txid").unique(),
    reclaimTxExpiresAt: tstz("reclaim_tx_expires_at"),
    reclaimedAt: tstz("reclaimed_at"),
    reclaimFeeSun: sun("reclaim_fee_sun").notNull().default(sql`0`),
    reclaimError: text("reclaim_error"),
  },
  (t) => [
    uniqueIndex("chain_drift_open_uq")
      .on(t.kind, t.supplierWalletId, t.receiverAddress)
      .where(sql`${t.status} = 'open'`),
    index("chain_drift_status_seen_idx").on(t.status, t.lastSeenAt),
  ],
);

/** One row per reconciliation run (the console shows the last ones). */
export const reconcileRuns = pgTable("reconcile_runs", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
  startedAt: tstz("started_at").notNull().defaultNow(),
  finishedAt: tstz("finished_at"),
  wallets: integer("wallets").notNull().default(0),
  receivers: integer("receivers").notNull().default(0),
  open: integer("open").notNull().default(0),
  raised: integer("raised").notNull().default(0),
  resolved: integer("resolved").notNull().default(0),
  error: text("error"),
  /**
   * Stake permission-mode wallets' owners delegated themselves, seen by this run (information, not
   * findings: theirs, never undelegated nor alerted), per wallet and receiver; sun as text.
   */
  ownersOwn: jsonb("owners_own")
    .$type<{ walletId: number; address: string; receiver: string; sun: string }[]>()
    .notNull()
    .default([]),
});

export type ChainDrift = typeof chainDrift.$inferSelect;
export type DriftKind = (typeof driftKind.enumValues)[number];
export type ReconcileRun = typeof reconcileRuns.$inferSelect;
