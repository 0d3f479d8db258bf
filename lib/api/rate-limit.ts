import { AppError } from "@/lib/errors";

/**
 * Fixed one-minute windows counted IN MEMORY, PER PROCESS (a deployment with N app processes allows
 * up to N × the limit; fine for abuse protection, not a billing quota). Over the limit →
 * AppError("rate_limited") carrying the seconds to wait, sent as `Retry-After`.
 */
export type RateState = { limit: number; remaining: number; resetSeconds: number };

export class RateLimiter {
  private windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly windowMs = 60_000) {}

  /** Counts one hit for `key`; throws rate_limited when the window is full. */
  hit(key: string, limit: number, now = Date.now()): RateState {
    let w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      if (this.windows.size > 50_000) this.sweep(now);
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    const resetSeconds = Math.max(1, Math.ceil((w.start + this.windowMs - now) / 1000));
    if (w.count >= limit) {
      throw new AppError("rate_limited", `Too many requests. Try again in ${resetSeconds} s.`, {
        details: { retryAfter: resetSeconds, limit },
      });
    }
    w.count++;
    return { limit, remaining: limit - w.count, resetSeconds };
  }

  reset(): void {
    this.windows.clear();
  }

  private sweep(now: number) {
    for (const [k, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(k);
  }
}

/** Per API key (limit from the key's `rate_limit_per_minute`). */
export const keyLimiter = new RateLimiter();
/** Per client IP, only for public requests that cost chain look-ups (GET /price with an address). */
export const lookupLimiter = new RateLimiter();
export const PUBLIC_LOOKUPS_PER_MINUTE = 60;
