import { eventType } from "inngest";
import { z } from "zod";

/**
 * The scanner marked watched addresses that sent a transaction (lib/watch), or someone asked for a
 * check cycle now (tests, a resumed subscription): run one.
 */
export const watchCheckRequested = eventType("watch/check.requested", {
  schema: z.object({ reason: z.string().max(100).optional() }),
});

/**
 * A keep-energy subscription's balance warning (lib/subscriptions): `low` — the balance pays for
 * few more top-ups; `empty` — a due top-up could not be paid; `exhausted` — the budget is spent.
 * Sent once per low episode.
 */
export const subscriptionBalanceLow = eventType("subscription/balance.low", {
  schema: z.object({
    subscriptionId: z.number().int().positive(),
    userId: z.number().int().positive(),
    kind: z.enum(["low", "empty", "exhausted"]),
    priceSun: z.string().regex(/^\d{1,22}$/),
  }),
});

/** A per-transfer package ended (lib/packages): all its transfers were counted, or it expired. */
export const packageEnded = eventType("package/ended", {
  schema: z.object({
    packageId: z.number().int().positive(),
    userId: z.number().int().positive(),
    status: z.enum(["completed", "expired"]),
  }),
});
