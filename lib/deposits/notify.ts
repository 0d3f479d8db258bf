import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import { type Db, getDb } from "@/db";
import { type Deposit, deposits } from "@/db/schema";
import { depositCredited, depositSeen } from "@/inngest/events";
import { sendEvents } from "@/lib/events";

/**
 * Deposit events for the surfaces (the bot's deposit messages are an Inngest function triggered by
 * them). A credit is published durably: the deposit row, credited in the scanner's transaction
 * with `notified_at` null, is its own outbox row; after the commit `deposit/credited` is sent with
 * the id `deposit-credited-<depositId>` and `notified_at` set, and every scan (and rescan) sends
 * again whatever credited row is still unmarked, so a crash between the commit and the send loses
 * nothing and a repeat is deduplicated by the id. "seen" is best effort: sent once, never re-sent.
 */

const depositCreditedEventId = (depositId: number) => `deposit-credited-${depositId}`;
const depositSeenEventId = (depositId: number) => `deposit-seen-${depositId}`;

/** Sends `deposit/seen` for deposits just recorded (after their commit). Never throws. */
export function publishDepositsSeen(rows: Pick<Deposit, "id" | "userId">[]): Promise<boolean> {
  return sendEvents(
    rows.map((d) =>
      depositSeen.create({ depositId: d.id, userId: d.userId }, { id: depositSeenEventId(d.id) }),
    ),
  );
}

/**
 * Sends `deposit/credited` for every credited deposit not marked sent yet (oldest first, up to
 * `limit`) and marks them. Returns how many were sent; 0 when Inngest was not reached (they stay
 * unmarked for the next scan).
 */
export async function publishCreditedDeposits(db?: Db, limit = 200): Promise<number> {
  const d = db ?? (await getDb());
  const pending = await d
    .select({ id: deposits.id, userId: deposits.userId })
    .from(deposits)
    .where(and(eq(deposits.status, "credited"), isNull(deposits.notifiedAt)))
    .orderBy(asc(deposits.id))
    .limit(limit);
  if (pending.length === 0) return 0;
  const ok = await sendEvents(
    pending.map((r) =>
      depositCredited.create({ depositId: r.id, userId: r.userId }, { id: depositCreditedEventId(r.id) }),
    ),
  );
  if (!ok) return 0;
  await d
    .update(deposits)
    .set({ notifiedAt: new Date() })
    .where(
      inArray(
        deposits.id,
        pending.map((r) => r.id),
      ),
    );
  return pending.length;
}
