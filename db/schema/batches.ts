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
import { createdAt, sun, tstz } from "./_columns";
import { orderSource, orders } from "./orders";
import { users } from "./users";

/**
 * Batch orders (lib/batches): many receivers in one action. Each line becomes a normal order
 * through lib/orders (its own ledger debit, its own lifecycle); the batch records what was asked,
 * which line became which order, and why a line was rejected.
 */
export const batches = pgTable(
  "batches",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity({ startWith: 1001 }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id),
    source: orderSource("source").notNull(),
    idempotencyKey: text("idempotency_key").notNull(),
    /** Hash of the lines as asked (and the source and API key): a replay with another body is refused. */
    fingerprint: text("fingerprint").notNull(),
    apiKeyId: integer("api_key_id"),
    lineCount: integer("line_count").notNull(),
    /** Filled when every line is placed or rejected (null while lines are still pending). */
    orderedCount: integer("ordered_count").notNull().default(0),
    rejectedCount: integer("rejected_count").notNull().default(0),
    /** Sums over the ordered lines (what was debited), set when the batch is placed. */
    totalEnergy: bigint("total_energy", { mode: "bigint" }).notNull().default(sql`0`),
    totalPriceSun: sun("total_price_sun").notNull().default(sql`0`),
    /** The Telegram message showing the batch (bot batches), edited as its orders progress. */
    telegramChatId: bigint("telegram_chat_id", { mode: "number" }),
    telegramMessageId: integer("telegram_message_id"),
    /** A placement in progress holds the batch until then; an expired claim is taken over. */
    claimedUntil: tstz("claimed_until"),
    createdAt: createdAt(),
    placedAt: tstz("placed_at"),
  },
  (t) => [
    check("batches_line_count_positive", sql`${t.lineCount} > 0`),
    uniqueIndex("batches_user_idempotency_uq").on(t.userId, t.idempotencyKey),
    index("batches_user_created_idx").on(t.userId, t.createdAt.desc()),
    index("batches_created_idx").on(t.createdAt.desc()),
    index("batches_unplaced_idx").on(t.createdAt).where(sql`${t.placedAt} is null`),
  ],
);

export const batchLineStatus = pgEnum("batch_line_status", ["pending", "ordered", "rejected"]);

export const batchLines = pgTable(
  "batch_lines",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    batchId: bigint("batch_id", { mode: "number" })
      .notNull()
      .references(() => batches.id, { onDelete: "cascade" }),
    /** 1-based, in the order the lines were given (the order they are placed in). */
    lineNo: integer("line_no").notNull(),
    /** As given (trimmed). */
    receiver: text("receiver").notNull(),
    energy: text("energy").notNull(),
    duration: text("duration").notNull(),
    status: batchLineStatus("status").notNull().default("pending"),
    orderId: bigint("order_id", { mode: "number" }).references(() => orders.id),
    errorCode: text("error_code"),
    errorMessage: text("error_message"),
    /** The rejection's details (e.g. `maxEnergy` with no_capacity, `line` with duplicate_receiver). */
    errorDetails: jsonb("error_details").$type<Record<string, unknown>>(),
  },
  (t) => [
    uniqueIndex("batch_lines_batch_line_uq").on(t.batchId, t.lineNo),
    index("batch_lines_order_idx").on(t.orderId),
    check("batch_lines_ordered_has_order", sql`(${t.status} = 'ordered') = (${t.orderId} is not null)`),
  ],
);

export type Batch = typeof batches.$inferSelect;
export type BatchLine = typeof batchLines.$inferSelect;
export type BatchLineStatus = (typeof batchLineStatus.enumValues)[number];
