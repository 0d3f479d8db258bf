import { bigint, timestamp } from "drizzle-orm/pg-core";

/** Money: integer sun (or USDT base units) in a `bigint` column, read as a JS `bigint`. */
export const sun = (name: string) => bigint(name, { mode: "bigint" });

export const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

export const createdAt = () => tstz("created_at").notNull().defaultNow();
export const updatedAt = () =>
  tstz("updated_at")
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date());
