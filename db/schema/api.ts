import { bigint, index, integer, pgEnum, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, tstz } from "./_columns";
import { orderEvents, orders } from "./orders";
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

/** One callback (an order status change) to POST to the order's callback URL, retried until done. */
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
    /** The order event this callback reports (one delivery per event). */
    orderEventId: bigint("order_event_id", { mode: "number" }).references(() => orderEvents.id, {
      onDelete: "set null",
    }),
    /** Owner and key, for the portal's delivery list. */
    userId: integer("user_id").references(() => users.id),
    apiKeyId: integer("api_key_id").references(() => apiKeys.id),
    /** The exact JSON body sent on every attempt (so retries carry the same bytes). */
    payload: text("payload"),
    nextAttemptAt: tstz("next_attempt_at"),
  },
  (t) => [
    index("callback_deliveries_order_idx").on(t.orderId),
    uniqueIndex("callback_deliveries_event_uq").on(t.orderEventId),
    index("callback_deliveries_user_idx").on(t.userId, t.id.desc()),
  ],
);

/** Every HTTP attempt of a callback delivery (shown to the key owner in the portal). */
export const callbackAttempts = pgTable(
  "callback_attempts",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    deliveryId: bigint("delivery_id", { mode: "number" })
      .notNull()
      .references(() => callbackDeliveries.id, { onDelete: "cascade" }),
    attempt: integer("attempt").notNull(),
    httpStatus: integer("http_status"),
    /** A short, user-safe description of what went wrong (timeout, refused, HTTP 500…). */
    error: text("error"),
    durationMs: integer("duration_ms").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("callback_attempts_delivery_attempt_uq").on(t.deliveryId, t.attempt)],
);

export type ApiKey = typeof apiKeys.$inferSelect;
export type CallbackDelivery = typeof callbackDeliveries.$inferSelect;
export type CallbackAttempt = typeof callbackAttempts.$inferSelect;
