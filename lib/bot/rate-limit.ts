import { sql } from "drizzle-orm";
import { preparedQuery } from "@/db";
import { rateLimits } from "@/db/schema";
import { takePrefetchedLimitHits } from "./prefetch";

/** The bot's default per-user limit: 5 updates per 2 s. */
export const BOT_RATE_LIMIT = { limit: 5, timeFrame: 2_000 };

/** The `rate_limits` key of a Telegram user's bot limit. */
export const botLimitKey = (telegramId: number | string) => `bot:${telegramId}`;

/**
 * The bot's per-user limit counted in PostgreSQL (the shared `rate_limits` table, keys `bot:<id>`),
 * so every app process counts the same updates: with the webhook spread over several web processes,
 * an in-memory count (@grammyjs/ratelimiter's default) would let each process allow the full limit.
 *
 * The object is the "Redis client" @grammyjs/ratelimiter accepts as `storageClient`: `incr` is one
 * atomic upsert that starts a new window of `timeFrameMs` when the stored one has ended (so
 * `pexpire`, which the limiter calls on a window's first hit, has nothing left to do). Fixed windows,
 * as the in-memory store's, timed by the database's clock (one clock for every process). The
 * statement is prepared once per database client. A webhook update's claim (./updates) counts the
 * hit in the same statement as the claim (one round trip and one commit per update); this upsert
 * runs only when the claim did not (long polling, tests calling handleUpdate, other update kinds).
 */
const hitQuery = preparedQuery((db) => {
  const window = sql`${sql.placeholder("windowMs")}::int * interval '1 millisecond'`;
  const expired = sql`${rateLimits.expire} <= now()`;
  return db
    .insert(rateLimits)
    .values({ key: sql.placeholder("key"), points: 1, expire: sql`now() + ${window}` })
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        points: sql`case when ${expired} then 1 else ${rateLimits.points} + 1 end`,
        expire: sql`case when ${expired} then now() + ${window} else ${rateLimits.expire} end`,
      },
    })
    .returning({ points: rateLimits.points })
    .prepare("bot_rate_limit_hit");
});

export function sharedBotLimitStore(timeFrameMs: number) {
  return {
    async incr(key: string): Promise<number> {
      const counted = takePrefetchedLimitHits(key, timeFrameMs);
      if (counted !== undefined) return counted;
      const [row] = await (await hitQuery()).execute({ key: botLimitKey(key), windowMs: timeFrameMs });
      return row.points;
    },
    async pexpire(): Promise<number> {
      return 1;
    },
  };
}
