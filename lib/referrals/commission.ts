import { and, asc, eq, gt } from "drizzle-orm";
import { getDb, type Tx } from "@/db";
import { orders, type ReferralCommission, referralCommissions, users } from "@/db/schema";
import { post } from "@/lib/ledger";
import { getSettings } from "@/lib/settings";

/**
 * Referral commissions, settled per order. `settleReferralCommission(orderId)` makes the ledger
 * agree with the order as it is now, and does nothing when it already does, so it can run any
 * number of times, in any order, for any of the order's status changes (the `referral-commission`
 * function runs it on order/status.changed to `active` and to `refunded`):
 *
 * - **Credit on delivery.** An order of a referred user that was delivered (`delivered_at` set)
 *   credits the referrer `floor((price − refunded) × rate / 10,000)` sun once, ledger type
 *   `referral_commission`, key `referral:commission:order:<id>`, with its `referral_commissions`
 *   row in the same transaction. Not at payment: a paid order can still fail and be refunded in
 *   full, and the undelivered share of a split order is refunded when the order becomes active, so
 *   at delivery the base is what the order really kept and a commission is never paid on money
 *   that goes straight back.
 * - **Conditions**, read when the commission is credited: the rate (settings `referral.commissionBps`,
 *   0 = off), the window (`referral.windowDays`: the order was placed within that many days of the
 *   invitee's first contact; 0 = no limit), an active referrer. An order that did not qualify then
 *   never earns one later.
 * - **Reversal on refund.** When a credited order is refunded afterwards, the commission on what
 *   was refunded is taken back once (`referral_reversal`, key `referral:reversal:order:<id>`). The
 *   ledger never lets a balance go below zero, so what the referrer's balance cannot cover is
 *   recorded as owed (`owed_sun`) and recovered from their next commissions as they are credited
 *   (key `referral:recover:<order>:<by order>`), oldest first: the referrer never gets a negative
 *   balance and never keeps a commission on refunded money for longer than their next earning.
 *
 * The order row is locked first, then the referrer's user row, then commission rows, in every
 * path, so concurrent settlements of one referrer's orders queue instead of deadlocking.
 */

export type SettleResult =
  | { status: "credited"; commissionSun: bigint; recoveredSun: bigint }
  | { status: "reversed"; reversedSun: bigint; owedSun: bigint }
  | { status: "unchanged" }
  | {
      status: "none";
      reason:
        | "no_order"
        | "not_referred"
        | "prepaid"
        | "not_delivered"
        | "nothing_kept"
        | "off"
        | "window_over"
        | "referrer_inactive"
        | "too_small";
    };

const BPS = 10_000n;

export const commissionKey = (orderId: number) => `referral:commission:order:${orderId}`;
export const reversalKey = (orderId: number) => `referral:reversal:order:${orderId}`;
export const recoveryKey = (owedOrderId: number, byOrderId: number) =>
  `referral:recover:${owedOrderId}:${byOrderId}`;

/** The commission on `baseSun` at `rateBps`, rounded down to whole sun. */
export function commissionOf(baseSun: bigint, rateBps: number): bigint {
  if (baseSun <= 0n || rateBps <= 0) return 0n;
  return (baseSun * BigInt(rateBps)) / BPS;
}

export async function settleReferralCommission(orderId: number): Promise<SettleResult> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [o] = await tx.select().from(orders).where(eq(orders.id, orderId)).for("update");
    if (!o) return { status: "none", reason: "no_order" } as const;
    // a package's supply (lib/packages) was paid by the package, not by this order: no commission
    if (o.packageId !== null) return { status: "none", reason: "prepaid" } as const;
    const [referee] = await tx
      .select({ id: users.id, referredBy: users.referredByUserId, createdAt: users.createdAt })
      .from(users)
      .where(eq(users.id, o.userId));
    if (!referee?.referredBy) return { status: "none", reason: "not_referred" } as const;
    const [referrer] = await tx
      .select({ id: users.id, status: users.status, balance: users.balanceSun })
      .from(users)
      .where(eq(users.id, referee.referredBy))
      .for("update");
    const [existing] = await tx
      .select()
      .from(referralCommissions)
      .where(eq(referralCommissions.orderId, orderId))
      .for("update");
    const kept = o.deliveredAt ? o.priceSun - o.refundedSun : 0n;
    if (existing) return reverseIfRefunded(tx, existing, kept, referrer.balance);

    if (!o.deliveredAt) return { status: "none", reason: "not_delivered" } as const;
    if (kept <= 0n) return { status: "none", reason: "nothing_kept" } as const;
    const { referral } = await getSettings();
    if (referral.commissionBps === 0) return { status: "none", reason: "off" } as const;
    if (
      referral.windowDays > 0 &&
      o.createdAt.getTime() > referee.createdAt.getTime() + referral.windowDays * 86_400_000
    )
      return { status: "none", reason: "window_over" } as const;
    if (referrer.status !== "active") return { status: "none", reason: "referrer_inactive" } as const;
    const commissionSun = commissionOf(kept, referral.commissionBps);
    if (commissionSun === 0n) return { status: "none", reason: "too_small" } as const;

    const { entry } = await post(
      {
        userId: referrer.id,
        type: "referral_commission",
        amountSun: commissionSun,
        idempotencyKey: commissionKey(orderId),
        referenceType: "order",
        referenceId: String(orderId),
        memo: `referral commission, order #${orderId}`,
      },
      tx,
    );
    await tx.insert(referralCommissions).values({
      orderId,
      referrerUserId: referrer.id,
      refereeUserId: referee.id,
      baseSun: kept,
      rateBps: referral.commissionBps,
      commissionSun,
      creditEntryId: entry.id,
    });
    const recoveredSun = await recoverOwed(tx, referrer.id, orderId, commissionSun);
    return { status: "credited", commissionSun, recoveredSun } as const;
  });
}

/** A credited commission whose order has since been refunded (in part or in full): take back the difference once. */
async function reverseIfRefunded(
  tx: Tx,
  row: ReferralCommission,
  keptNow: bigint,
  balance: bigint,
): Promise<SettleResult> {
  if (row.reversedAt) return { status: "unchanged" };
  const due = row.commissionSun - commissionOf(keptNow < row.baseSun ? keptNow : row.baseSun, row.rateBps);
  if (due <= 0n) return { status: "unchanged" };
  const take = due < balance ? due : balance;
  if (take > 0n)
    await post(
      {
        userId: row.referrerUserId,
        type: "referral_reversal",
        amountSun: -take,
        idempotencyKey: reversalKey(row.orderId),
        referenceType: "order",
        referenceId: String(row.orderId),
        memo: `referral commission reversed, order #${row.orderId} refunded`,
      },
      tx,
    );
  await tx
    .update(referralCommissions)
    .set({ reversedSun: take, owedSun: due - take, reversedAt: new Date() })
    .where(eq(referralCommissions.orderId, row.orderId));
  return { status: "reversed", reversedSun: take, owedSun: due - take };
}

/**
 * After crediting `byOrderId`'s commission (`credited` sun): what the referrer still owes from
 * earlier reversals is taken out of it, oldest first (never more than it, so money of their own is
 * never touched). Returns the sun recovered.
 */
async function recoverOwed(tx: Tx, referrerId: number, byOrderId: number, credited: bigint): Promise<bigint> {
  const owed = await tx
    .select()
    .from(referralCommissions)
    .where(and(eq(referralCommissions.referrerUserId, referrerId), gt(referralCommissions.owedSun, 0n)))
    .orderBy(asc(referralCommissions.orderId))
    .for("update");
  let left = credited;
  let recovered = 0n;
  for (const r of owed) {
    if (left <= 0n) break;
    const take = r.owedSun < left ? r.owedSun : left;
    await post(
      {
        userId: referrerId,
        type: "referral_reversal",
        amountSun: -take,
        idempotencyKey: recoveryKey(r.orderId, byOrderId),
        referenceType: "order",
        referenceId: String(r.orderId),
        memo: `referral commission owed for order #${r.orderId}, recovered from order #${byOrderId}`,
      },
      tx,
    );
    await tx
      .update(referralCommissions)
      .set({ reversedSun: r.reversedSun + take, owedSun: r.owedSun - take })
      .where(eq(referralCommissions.orderId, r.orderId));
    left -= take;
    recovered += take;
  }
  return recovered;
}
