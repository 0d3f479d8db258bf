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
import { ledgerEntries } from "./ledger";
import { users } from "./users";

export const currency = pgEnum("currency", ["TRX", "USDT"]);
export const depositStatus = pgEnum("deposit_status", ["seen", "credited", "below_minimum"]);

/** A user's own deposit address: BIP44 m/44'/195'/0'/0/<index>. */
export const depositAddresses = pgTable("deposit_addresses", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  userId: integer("user_id")
    .notNull()
    .unique()
    .references(() => users.id),
  derivationIndex: integer("derivation_index").notNull().unique(),
  address: text("address").notNull().unique(),
  /**
   * The chain's head block when the address was handed out: no deposit to it can be older, so the
   * scanner never starts after it. Null when the node did not answer then (the scanner estimates it
   * from created_at).
   */
  firstBlock: bigint("first_block", { mode: "number" }),
  /** Account-endpoint mode (DEPOSIT_SCAN_MODE=accounts): block time (ms) this address is read up to. */
  watchedUntilMs: bigint("watched_until_ms", { mode: "number" }),
  createdAt: createdAt(),
});

/** Each incoming transfer to a deposit address. Credited once, on (txid, log_index). */
export const deposits = pgTable(
  "deposits",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    depositAddressId: integer("deposit_address_id")
      .notNull()
      .references(() => depositAddresses.id),
    address: text("address").notNull(),
    fromAddress: text("from_address"),
    currency: currency("currency").notNull(),
    /** Amount in the currency's base unit (sun for TRX, 6-decimal units for USDT). */
    amountBase: sun("amount_base").notNull(),
    txid: text("txid").notNull(),
    /** -1 for a native TRX transfer, the log index for a TRC20 Transfer log. */
    logIndex: integer("log_index").notNull(),
    blockNumber: bigint("block_number", { mode: "number" }).notNull(),
    blockTime: tstz("block_time"),
    status: depositStatus("status").notNull().default("seen"),
    usdtRateSun: sun("usdt_rate_sun"),
    creditedSun: sun("credited_sun"),
    creditedAt: tstz("credited_at"),
    ledgerEntryId: bigint("ledger_entry_id", { mode: "number" }).references(() => ledgerEntries.id),
    /**
     * The outbox mark of the credit: when its `deposit/credited` event reached Inngest. Null on a
     * credited row until then; every scan re-sends the credited rows left null.
     */
    notifiedAt: tstz("notified_at"),
    createdAt: createdAt(),
  },
  (t) => [
    check("deposits_amount_positive", sql`${t.amountBase} > 0`),
    uniqueIndex("deposits_tx_log_uq").on(t.txid, t.logIndex),
    index("deposits_user_created_idx").on(t.userId, t.createdAt.desc()),
    index("deposits_pending_idx").on(t.blockNumber).where(sql`${t.status} = 'seen'`),
    index("deposits_unsent_idx").on(t.id).where(sql`${t.status} = 'credited' and ${t.notifiedAt} is null`),
  ],
);

/** Block scanner position per chain stream; moved in the same transaction as the credits. */
export const chainCursors = pgTable("chain_cursors", {
  name: text("name").primaryKey(),
  blockNumber: bigint("block_number", { mode: "number" }).notNull(),
  lastRunAt: tstz("last_run_at"),
  headBlockNumber: bigint("head_block_number", { mode: "number" }),
  /** blockID of `block_number` as read: the next batch must continue from it (a reset or fork shows). */
  blockHash: text("block_hash"),
  /** Set while the scanner refuses to go on (the chain went backwards under it); null when fine. */
  problem: text("problem"),
  updatedAt: updatedAt(),
});

export const collectionStatus = pgEnum("collection_status", [
  "planned",
  "energy_delegated",
  "transferred",
  "completed",
  "failed",
]);

/** Moving a deposit address's balance to the treasury. */
export const collections = pgTable(
  "collections",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    depositAddressId: integer("deposit_address_id")
      .notNull()
      .references(() => depositAddresses.id),
    currency: currency("currency").notNull(),
    amountBase: sun("amount_base").notNull(),
    toAddress: text("to_address").notNull(),
    status: collectionStatus("status").notNull().default("planned"),
    energyDelegationTxid: text("energy_delegation_txid"),
    transferSignedTx: jsonb("transfer_signed_tx"),
    transferTxid: text("transfer_txid").unique(),
    reclaimTxid: text("reclaim_txid"),
    feeSun: sun("fee_sun").notNull().default(sql`0`),
    details: jsonb("details").$type<Record<string, unknown>>(),
    error: text("error"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check("collections_amount_positive", sql`${t.amountBase} > 0`),
    index("collections_status_idx").on(t.status),
  ],
);

export type DepositAddress = typeof depositAddresses.$inferSelect;
export type Deposit = typeof deposits.$inferSelect;
export type Collection = typeof collections.$inferSelect;
