import { bigint, index, integer, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, tstz, updatedAt } from "./_columns";
import { users } from "./users";

/** Update ids already processed by the webhook (dedupe; pruned after a few days). */
export const telegramUpdates = pgTable(
  "telegram_updates",
  {
    updateId: bigint("update_id", { mode: "number" }).primaryKey(),
    receivedAt: createdAt(),
  },
  (t) => [index("telegram_updates_received_idx").on(t.receivedAt)],
);

/** grammY session storage (per chat), so a restart or another node loses nothing. */
export const botSessions = pgTable("bot_sessions", {
  key: text("key").primaryKey(),
  value: jsonb("value").notNull(),
  updatedAt: updatedAt(),
});

/** One-time portal sign-in links issued by the bot (stored hashed). */
export const loginTokens = pgTable(
  "login_tokens",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    tokenHash: text("token_hash").notNull().unique(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    expiresAt: tstz("expires_at").notNull(),
    usedAt: tstz("used_at"),
    createdAt: createdAt(),
  },
  (t) => [index("login_tokens_user_idx").on(t.userId)],
);
