import { bigint, index, integer, pgEnum, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, tstz } from "./_columns";
import { orders } from "./orders";
import { users } from "./users";

/** Reseller API keys: only a hash is stored, with a visible prefix to recognise the key. */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    name: text("name").notNull(),
    prefix: text("prefix").notNull().unique(),
    keyHash: text("key_hash").notNull().unique(),
    /** Encrypted secret for signing callbacks (shown once, with the key). */
    callbackSecret: text("callback_secret").notNull(),
    rateLimitPerMinute: integer("rate_limit_per_minute").notNull().default(120),
    lastUsedAt: tstz("last_used_at"),
    revokedAt: tstz("revoked_at"),
    createdAt: createdAt(),
  },
  (t) => [index("api_keys_user_idx").on(t.userId)],
);

export const callbackStatus = pgEnum("callback_status", ["pending", "delivered", "failed"]);

/** Each attempt to POST an order's status to its callback URL. */
export const callbackDeliveries = pgTable(
  "callback_deliveries",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    orderId: bigint("order_id", { mode: "number" })
      .notNull()
      .references(() => orders.id),
    url: text("url").notNull(),
    orderStatus: text("order_status").notNull(),
    status: callbackStatus("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    lastHttpStatus: integer("last_http_status"),
    lastError: text("last_error"),
    deliveredAt: tstz("delivered_at"),
    createdAt: createdAt(),
  },
  (t) => [index("callback_deliveries_order_idx").on(t.orderId)],
);

export type ApiKey = typeof apiKeys.$inferSelect;
export type CallbackDelivery = typeof callbackDeliveries.$inferSelect;
