import { sql } from "drizzle-orm";
import {
  bigint,
  check,
  date,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
} from "drizzle-orm/pg-core";
import { createdAt, sun, updatedAt } from "./_columns";
import { users } from "./users";

export const ledgerType = pgEnum("ledger_type", [
  "deposit",
  "order_payment",
  "refund",
  "adjustment",
  // referral commissions (lib/referrals): credited to a referrer, and taken back when the order is refunded
  "referral_commission",
  "referral_reversal",
  // third-party suppliers (lib/suppliers): earnings per delegation, payouts debited at request, returned if refused or failed
  "supplier_earning",
  "supplier_payout",
  "supplier_payout_return",
  // TRX a supplier's wallet burned for the platform's delegate / undelegate transactions, repaid
  "supplier_fee_refund",
]);

/**
 * Every balance change, written in the same statement/transaction as the balance itself.
 * `amount_sun` is signed (debits negative); `balance_after_sun` is the user's balance after it.
 * `idempotency_key` is unique: a retry finds the first row. `fingerprint` is a hash of the
 * content, so a key reused with different content is detected.
 */
export const ledgerEntries = pgTable(
  "ledger_entries",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    type: ledgerType("type").notNull(),
    amountSun: sun("amount_sun").notNull(),
    balanceAfterSun: sun("balance_after_sun").notNull(),
    referenceType: text("reference_type"),
    referenceId: text("reference_id"),
    idempotencyKey: text("idempotency_key").notNull().unique(),
    fingerprint: text("fingerprint").notNull(),
    /** Sun credited per 1 USDT, for USDT deposits. */
    usdtRateSun: sun("usdt_rate_sun"),
    memo: text("memo"),
    adminId: integer("admin_id"),
    createdAt: createdAt(),
  },
  (t) => [
    check("ledger_amount_nonzero", sql`${t.amountSun} <> 0`),
    check("ledger_balance_after_nonnegative", sql`${t.balanceAfterSun} >= 0`),
    index("ledger_user_id_idx").on(t.userId, t.id),
    index("ledger_reference_idx").on(t.referenceType, t.referenceId),
    index("ledger_created_at_idx").on(t.createdAt),
  ],
);

export type LedgerEntry = typeof ledgerEntries.$inferSelect;

/**
 * Daily rollup of the ledger: per UTC day and type, the sum and count of the ledger rows with
 * `id <= ledger_rollup_state.through_id`. The ledger is append-only, so these sums never go stale;
 * a row written later (even one back-dated into an old day) has a larger id and is counted live
 * until the next roll-up adds it. lib/ledger/daily.ts owns both tables.
 */
export const ledgerDaily = pgTable(
  "ledger_daily",
  {
    day: date("day", { mode: "string" }).notNull(),
    type: ledgerType("type").notNull(),
    amountSun: sun("amount_sun").notNull(),
    entries: integer("entries").notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.type] })],
);

/** One row (id 1): how far `ledger_daily` has counted the ledger, by ledger id. */
export const ledgerRollupState = pgTable(
  "ledger_rollup_state",
  {
    id: smallint("id").primaryKey().default(1),
    throughId: bigint("through_id", { mode: "number" }).notNull().default(0),
    updatedAt: updatedAt(),
  },
  (t) => [check("ledger_rollup_state_single", sql`${t.id} = 1`)],
);
