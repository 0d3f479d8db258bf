import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { type Executor, getDb } from "@/db";
import { delegations } from "@/db/schema";
import { delegationExpired } from "@/inngest/events";
import { AppError } from "@/lib/errors";
import { sendEvents } from "@/lib/events";
import { loadOwned } from "./read";

/** The order's delegations still out on chain (delivered, not yet reclaimed), oldest first. */
async function outstandingDelegationIds(orderId: number, ex?: Executor): Promise<number[]> {
  const rows = await (ex ?? (await getDb()))
    .select({ id: delegations.id })
    .from(delegations)
    .where(and(eq(delegations.orderId, orderId), inArray(delegations.status, ["confirmed", "reclaiming"])))
    .orderBy(delegations.id);
  return rows.map((r) => r.id);
}

/**
 * Reclaim now (an operator's request, before the rental is over): sends delegation/expired for
 * every delegation of the order still out, each under an id of its own for this request (the
 * reclaim run finds what is already done). invalid_state when nothing is out; `sent` is false when
 * the job queue did not take the events.
 */
export async function reclaimOrderNow(input: {
  orderId: number;
}): Promise<{ orderId: number; delegationIds: number[]; sent: boolean }> {
  const { orderId } = z.object({ orderId: z.number().int().positive() }).parse(input);
  const db = await getDb();
  await loadOwned(db, orderId);
  const ids = await outstandingDelegationIds(orderId, db);
  if (!ids.length) throw new AppError("invalid_state", "This order has no delegation to reclaim.");
  const stamp = Date.now();
  const sent = await sendEvents(
    ids.map((id) =>
      delegationExpired.create({ delegationId: id }, { id: `delegation-reclaim-now-${id}-${stamp}` }),
    ),
  );
  return { orderId, delegationIds: ids, sent };
}
