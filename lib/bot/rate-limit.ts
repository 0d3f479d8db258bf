import { sql } from "drizzle-orm";
import { getDb } from "@/db";
import { rateLimits } from "@/db/schema";

/**
 * The bot's per-user limit counted in PostgreSQL (the shared `rate_limits` table, keys `bot:<id>`),
 * so every app process counts the same updates: with the webhook spread over several web processes,
 * an in-memory count (@grammyjs/ratelimiter's default) would let each process allow the full limit.
 *
 * The object is the "Redis client" @grammyjs/ratelimiter accepts as `storageClient`: `incr` is one
 * atomic upsert that starts a new window of `timeFrameMs` when the stored one has ended (so
 * `pexpire`, which the limiter calls on a window's first hit, has nothing left to do). Fixed windows,
 * as the in-memory store's.
 */
export function sharedBotLimitStore(timeFrameMs: number) {
  return {
    async incr(key: string): Promise<number> {
      const db = await getDb();
      const now = new Date();
      const fresh = new Date(now.getTime() + timeFrameMs);
      const expired = sql`${rateLimits.expire} <= ${sql.param(now, rateLimits.expire)}`;
      const [row] = await db
        .insert(rateLimits)
        .values({ key: `bot:${key}`, points: 1, expire: fresh })
        .onConflictDoUpdate({
          target: rateLimits.key,
          set: {
            points: sql`case when ${expired} then 1 else ${rateLimits.points} + 1 end`,
            expire: sql`case when ${expired} then ${sql.param(fresh, rateLimits.expire)} else ${rateLimits.expire} end`,
          },
        })
        .returning({ points: rateLimits.points });
      return row.points;
    },
    async pexpire(): Promise<number> {
      return 1;
    },
  };
}
