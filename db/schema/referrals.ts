import { sql } from "drizzle-orm";
import { bigint, check, index, integer, pgTable } from "drizzle-orm/pg-core";
import { createdAt, sun, tstz } from "./_columns";
import { ledgerEntries } from "./ledger";
import { orders } from "./orders";
import { users } from "./users";

/**
 * Referral commissions (lib/referrals): at most one per order, written in the transaction that
 * credits it to the referrer through the ledger (`referral_commission`, key
 * `referral:commission:order:<id>`). A refund of the order afterwards takes it back once
 * (`referral_reversal`, key `referral:reversal:order:<id>`): `reversed_sun` is what came off the
 * referrer's balance, `owed_sun` what their balance could not cover yet, recovered from their next
 * commissions (keys `referral:recover:<order>:<by order>`). reversed + owed never exceeds the commission.
 */
export const referralCommissions = pgTable(
  "referral_commissions",
  {
    orderId: bigint("order_id", { mode: "number" })
      .primaryKey()
      .references(() => orders.id),
    referrerUserId: integer("referrer_user_id")
      .notNull()
      .references(() => users.id),
    refereeUserId: integer("referee_user_id")
      .notNull()
      .references(() => users.id),
    /** The order's price minus what was refunded of it when the commission was credited. */
    baseSun: sun("base_sun").notNull(),
    /** The commission rate then, in basis points of the base. */
    rateBps: integer("rate_bps").notNull(),
    /** floor(base × rate / 10,000): what was credited. */
    commissionSun: sun("commission_sun").notNull(),
    creditEntryId: bigint("credit_entry_id", { mode: "number" })
      .notNull()
      .references(() => ledgerEntries.id),
    /** Of the commission, taken back from the referrer's balance after a refund. */
    reversedSun: sun("reversed_sun").notNull().default(sql`0`),
    /** Of the commission, still to take back (the balance was too low at the refund). */
    owedSun: sun("owed_sun").notNull().default(sql`0`),
    createdAt: createdAt(),
    reversedAt: tstz("reversed_at"),
  },
  (t) => [
    check("referral_commission_positive", sql`${t.commissionSun} > 0`),
    check(
      "referral_commission_reversal_bounds",
      sql`${t.reversedSun} >= 0 and ${t.owedSun} >= 0 and ${t.reversedSun} + ${t.owedSun} <= ${t.commissionSun}`,
    ),
    index("referral_commissions_referrer_idx").on(t.referrerUserId, t.orderId),
    index("referral_commissions_owed_idx").on(t.referrerUserId).where(sql`${t.owedSun} > 0`),
    index("referral_commissions_created_at_idx").on(t.createdAt),
  ],
);

export type ReferralCommission = typeof referralCommissions.$inferSelect;
