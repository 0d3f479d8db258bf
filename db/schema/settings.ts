import { integer, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { updatedAt } from "./_columns";

/** Operator-tunable values, one row per top-level key, validated by `lib/settings` on read and write. */
export const settings = pgTable("settings", {
  key: text("key").primaryKey(),
  value: jsonb("value").notNull(),
  updatedByAdminId: integer("updated_by_admin_id"),
  updatedAt: updatedAt(),
});

export type SettingRow = typeof settings.$inferSelect;
