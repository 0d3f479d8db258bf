/** Rounds of prepare → sign → broadcast → confirm a reclaim run makes before it gives up. */
export const MAX_RECLAIM_ROUNDS = 6;

/**
 * A reclaim run sleeps for a lock that ends within this; a longer one ends the run, and the sweep
 * sends the delegation again once its `reclaim_after` has passed — so runs never pile up asleep.
 */
export const RECLAIM_SLEEP_LIMIT_MS = 15 * 60_000;

/** How long a reclaim waits for a wallet without bandwidth or TRX before it tries again. */
export const NO_BANDWIDTH_RETRY_MS = 10 * 60_000;
