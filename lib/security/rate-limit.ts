import { like } from "drizzle-orm";
import { RateLimiterDrizzle, RateLimiterRes } from "rate-limiter-flexible";
import { type Db, getDb } from "@/db";
import { rateLimits } from "@/db/schema";
import { AppError } from "@/lib/errors";

/**
 * Rate limits every app instance shares: counters live in PostgreSQL (the `rate_limits` table),
 * through rate-limiter-flexible's Drizzle store, so two instances never double a limit and a
 * restart forgets nothing. One hit is one atomic upsert (`INSERT … ON CONFLICT DO UPDATE SET
 * points = CASE WHEN expired THEN 1 ELSE points + 1 END … RETURNING`): parallel hits on one key
 * are serialised by the row, none is lost. Fixed windows; a key over its limit is also remembered
 * in this process until its window ends, so a flood stops costing database writes.
 *
 * Keys are the trusted client IP (lib/security/client-ip), an API key id, a user id or an email,
 * prefixed by the limiter's name.
 */
export type RateState = { limit: number; remaining: number; resetSeconds: number };

type Store = { db: Db; limiters: Map<number, RateLimiterDrizzle> };
const stores = new Map<string, Store>();

export class SharedLimiter {
  constructor(
    /** Row key prefix, e.g. "api-key". */
    readonly name: string,
    readonly windowSeconds: number,
  ) {}

  private async limiter(limit: number): Promise<RateLimiterDrizzle> {
    const db = await getDb();
    let s = stores.get(this.name);
    if (!s || s.db !== db) {
      s = { db, limiters: new Map() };
      stores.set(this.name, s);
    }
    let l = s.limiters.get(limit);
    if (!l) {
      l = new RateLimiterDrizzle({
        storeClient: db,
        schema: rateLimits,
        keyPrefix: this.name,
        points: limit,
        duration: this.windowSeconds,
        inMemoryBlockOnConsumed: limit + 1,
      });
      s.limiters.set(limit, l);
    }
    return l;
  }

  /** Counts one hit for `key`; throws AppError("rate_limited") with the seconds to wait when full. */
  async hit(key: string, limit: number, points = 1): Promise<RateState> {
    const l = await this.limiter(limit);
    try {
      const r = await l.consume(key, points);
      return { limit, remaining: r.remainingPoints, resetSeconds: secondsOf(r) };
    } catch (e) {
      if (e instanceof RateLimiterRes) {
        const retryAfter = secondsOf(e);
        throw new AppError("rate_limited", `Too many requests. Try again in ${retryAfter} s.`, {
          details: { retryAfter, limit },
        });
      }
      throw e;
    }
  }

  /** Points used by `key` in its current window (0 when none). */
  async used(key: string, limit: number): Promise<number> {
    const r = await (await this.limiter(limit)).get(key);
    return r?.consumedPoints ?? 0;
  }

  /** Forgets `key` (e.g. failures after a successful sign-in). */
  async forget(key: string, limit: number): Promise<void> {
    await (await this.limiter(limit)).delete(key);
  }

  /** Tests: forgets every key of this limiter (rows and this process's memory). */
  async reset(): Promise<void> {
    const db = await getDb();
    await db.delete(rateLimits).where(like(rateLimits.key, `${this.name}:%`));
    stores.delete(this.name);
  }
}

const secondsOf = (r: RateLimiterRes) => Math.max(1, Math.ceil(r.msBeforeNext / 1000));
