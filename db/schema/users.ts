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
import { createdAt, sun, updatedAt } from "./_columns";
import { locales } from "../../lib/locale";

export const userStatus = pgEnum("user_status", ["active", "banned"]);
export const language = pgEnum("language", locales);

export const users = pgTable(
  "users",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    telegramId: bigint("telegram_id", { mode: "number" }).unique(),
    username: text("username"),
    firstName: text("first_name"),
    language: language("language").notNull().default("en"),
    timezone: text("timezone"),
    status: userStatus("status").notNull().default("active"),
    balanceSun: sun("balance_sun").notNull().default(sql`0`),
    referralCode: text("referral_code").notNull().unique(),
    referredByUserId: integer("referred_by_user_id").references((): any => users.id),
    startParam: text("start_param"),
    /** Set on the platform's own accounts (`transfer`: pay by transfer, lib/transfers); null for people. */
    systemAccount: text("system_account").unique(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    check("users_balance_nonnegative", sql`${t.balanceSun} >= 0`),
    check("users_not_self_referred", sql`${t.referredByUserId} is null or ${t.referredByUserId} <> ${t.id}`),
    index("users_referred_by_idx").on(t.referredByUserId, t.id).where(sql`${t.referredByUserId} is not null`),
    index("users_created_at_idx").on(t.createdAt),
    index("users_username_idx").on(t.username),
  ],
);

export const userWallets = pgTable(
  "user_wallets",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    address: text("address").notNull(),
    label: text("label"),
    isDefault: boolean("is_default").notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("user_wallets_user_address_uq").on(t.userId, t.address),
    uniqueIndex("user_wallets_one_default_uq").on(t.userId).where(sql`${t.isDefault}`),
    check("user_wallets_label_len", sql`${t.label} is null or char_length(${t.label}) <= 64`),
  ],
);

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
export type UserWallet = typeof userWallets.$inferSelect;
