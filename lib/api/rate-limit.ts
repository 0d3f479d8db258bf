import { type RateState, SharedLimiter } from "@/lib/security/rate-limit";

/**
 * The reseller API's limits, kept in the shared store (lib/security/rate-limit) so every app
 * instance counts against the same one-minute windows. Over the limit → AppError("rate_limited")
 * carrying the seconds to wait, sent as `Retry-After`.
 */
export type { RateState };

/** Per API key (limit from the key's `rate_limit_per_minute`). */
export const keyLimiter = new SharedLimiter("api-key", 60);
/** Per trusted client IP, only for public requests that cost chain look-ups (GET /price with an address). */
export const lookupLimiter = new SharedLimiter("price-lookup", 60);
export const PUBLIC_LOOKUPS_PER_MINUTE = 60;
