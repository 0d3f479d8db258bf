import { index, integer, pgTable, text } from "drizzle-orm/pg-core";
import { tstz } from "./_columns";

/**
 * Rate-limit counters every app instance shares (lib/security/rate-limit, through
 * rate-limiter-flexible's Drizzle store): one row per limiter key ("price-lookup:ip:1.2.3.4"),
 * points used in the current window and when the window ends. Each hit is one atomic upsert;
 * expired rows are deleted by the limiter itself.
 */
export const rateLimits = pgTable(
  "rate_limits",
  {
    key: text("key").primaryKey(),
    points: integer("points").notNull().default(0),
    expire: tstz("expire"),
  },
  (t) => [index("rate_limits_expire_idx").on(t.expire)],
);
