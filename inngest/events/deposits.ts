import { eventType } from "inngest";
import { z } from "zod";

/** Someone asked for a deposit scan now (the portal's "check now", tests, the admin console). */
export const depositScanRequested = eventType("deposits/scan.requested", {
  schema: z.object({ reason: z.string().max(100).optional() }),
});

/** An operator asked to rescan solidified blocks for one deposit address (admin console, audited). */
export const depositRescanRequested = eventType("deposits/rescan.requested", {
  schema: z.object({
    depositAddressId: z.number().int().positive(),
    fromBlock: z.number().int().nonnegative(),
    toBlock: z.number().int().nonnegative(),
    adminId: z.number().int().positive().optional(),
  }),
});

/** Someone asked for a collection run now (admin console, tests); ignores the interval. */
export const depositCollectRequested = eventType("deposits/collect.requested", {
  schema: z.object({ reason: z.string().max(100).optional() }),
});

/**
 * A deposit was credited to its user's balance (sent after the crediting commit; `notified_at`
 * marks it sent and every scan re-sends credited rows left unmarked). Event id =
 * `deposit-credited-<depositId>`.
 */
export const depositCredited = eventType("deposit/credited", {
  schema: z.object({ depositId: z.number().int().positive(), userId: z.number().int().positive() }),
});

/**
 * A deposit was seen on chain, not final yet (best effort: sent once after the commit that
 * recorded it, never re-sent). Event id = `deposit-seen-<depositId>`.
 */
export const depositSeen = eventType("deposit/seen", {
  schema: z.object({ depositId: z.number().int().positive(), userId: z.number().int().positive() }),
});
