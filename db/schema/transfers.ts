import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
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
import { orders } from "./orders";
import { users } from "./users";

/**
 * Pay by transfer (转账即租): each TRX payment to the platform's rental address, acted on exactly
 * once per (txid, log_index) — lib/transfers.
 *
 * - pending: recorded, waiting for its block to be solidified (above the risk cap, or a refund/credit
 *   that is only ever made from a solidified block);
 * - delivering → delivered: an order (source `transfer`) delivers the offer's energy to the sender;
 * - refunding → refunded: TRX returned on chain minus the refund fee (signed tx stored first);
 * - credited: returned to the balance of the user the sender address belongs to;
 * - kept: not more than the refund fee, nothing to return;
 * - failed: the refund could not be made (the chain refused it): the operator acts;
 * - vanished: seen in a head block, never in the solidified chain (a fork dropped it).
 */
export const rentalTransferStatus = pgEnum("rental_transfer_status", [
  "pending",
  "delivering",
  "delivered",
  "refunding",
  "refunded",
  "credited",
  "kept",
  "failed",
  "vanished",
]);

export const rentalTransfers = pgTable(
  "rental_transfers",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    txid: text("txid").notNull(),
    /** -1 for a TransferContract, −2 − i for the i-th internal transaction of a contract call. */
    logIndex: integer("log_index").notNull(),
    /** Who the TRX came from: the transfer's owner, or the contract that sent it. */
    fromAddress: text("from_address").notNull(),
    /** The account that signed the transaction (differs from `from_address` for a contract sender). */
    originAddress: text("origin_address").notNull(),
    senderIsContract: boolean("sender_is_contract").notNull().default(false),
    amountSun: sun("amount_sun").notNull(),
    blockNumber: bigint("block_number", { mode: "number" }).notNull(),
    blockTime: tstz("block_time"),
    status: rentalTransferStatus("status").notNull().default("pending"),
    /** The offer the amount matched, when it matched one. */
    energy: bigint("energy", { mode: "bigint" }),
    durationKey: text("duration_key"),
    orderId: bigint("order_id", { mode: "number" }).references(() => orders.id),
    /** Why it is refunded or credited: no_offer, contract_sender, no_capacity, order_failed, disabled, … */
    refundReason: text("refund_reason"),
    refundTo: text("refund_to"),
    refundSun: sun("refund_sun"),
    feeSun: sun("fee_sun"),
    refundTxid: text("refund_txid"),
    refundSignedTx: jsonb("refund_signed_tx"),
    creditedUserId: integer("credited_user_id").references(() => users.id),
    ledgerEntryId: bigint("ledger_entry_id", { mode: "number" }).references(() => ledgerEntries.id),
    /** Delegated for a transfer that vanished in a fork: the cost the risk cap bounds. */
    lostSun: sun("lost_sun"),
    error: text("error"),
    /** When the head pass saw it (null: first seen solidified). */
    headSeenAt: tstz("head_seen_at"),
    solidifiedAt: tstz("solidified_at"),
    settledAt: tstz("settled_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("rental_transfers_tx_uq").on(t.txid, t.logIndex),
    uniqueIndex("rental_transfers_order_uq").on(t.orderId),
    check("rental_transfers_amount_positive", sql`${t.amountSun} > 0`),
    index("rental_transfers_status_idx").on(t.status, t.blockNumber),
    index("rental_transfers_created_idx").on(t.createdAt),
    index("rental_transfers_from_idx").on(t.fromAddress),
  ],
);

export type RentalTransfer = typeof rentalTransfers.$inferSelect;
export type RentalTransferStatus = RentalTransfer["status"];
