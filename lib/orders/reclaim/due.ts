import { and, inArray, isNull, lte, or } from "drizzle-orm";
import { getDb } from "@/db";
import { delegations } from "@/db/schema";
import { delegationExpired } from "@/inngest/events";
import { chainNow } from "@/lib/pool/chain";

/** The expiry sweep's query (inngest/functions/sweep-expired, every minute). */

/** Delegations whose rental is over by the chain's clock (confirmed or reclaiming). */
export async function findDueDelegations(limit = 500): Promise<{ ids: number[]; bucket: number }> {
  const now = await chainNow();
  const db = await getDb();
  const rows = await db
    .select({ id: delegations.id })
    .from(delegations)
    .where(
      and(
        inArray(delegations.status, ["confirmed", "reclaiming"]),
        lte(delegations.expiresAt, new Date(now)),
        // not while a run waits for the chain (a lock, a retry): it is sent again after that
        or(isNull(delegations.reclaimAfter), lte(delegations.reclaimAfter, new Date(now))),
      ),
    )
    .orderBy(delegations.expiresAt)
    .limit(limit);
  return { ids: rows.map((r) => r.id), bucket: Math.floor(Date.now() / 600_000) };
}

export const delegationExpiredEvent = (id: number, bucket: number) =>
  delegationExpired.create({ delegationId: id }, { id: `delegation-expired-${id}-${bucket}` });
