import { and, eq, isNull } from "drizzle-orm";
import { getDb } from "@/db";
import { orders, type RentalTransfer, type RentalTransferStatus, rentalTransfers } from "@/db/schema";
import { orderPaid } from "@/inngest/events";
import { raiseAlert } from "@/lib/alerts";
import { AppError } from "@/lib/errors";
import { adjust, credit } from "@/lib/ledger";
import { logger } from "@/lib/log";
import { orderPaidEventId, publishOrderChanges } from "@/lib/orders/publish";
import type { Changed } from "@/lib/orders/transitions";
import { checkOrderCapacity } from "@/lib/pool/capacity";
import { getBurnPrice } from "@/lib/pricing";
import { getSettings, type Settings } from "@/lib/settings";
import { durationSeconds } from "@/lib/settings/schema";
import { type TronClient, tron } from "@/lib/tron/client";
import { lockPeriodBlocksLive } from "@/lib/tron/resources";
import { deskUserId, userOfAddress } from "./desk";
import { matchOffer } from "./offers";
import { insertTransferOrder } from "./order";

/**
 * Acting on one payment to the rental address (rental_transfers row), idempotent: every call reads
 * the row's state and does only what is left, so a duplicate event, a sweep re-send or a retried
 * step never orders, credits or refunds twice.
 *
 * - A matching amount (an offer), from an account (not a contract), that the pool can cover: an
 *   order for the sender — at once from a head block when the amount is within the risk cap, else
 *   once its block is solidified.
 * - Anything else is returned, and only once its block is solidified (a head-block transfer may
 *   still vanish in a fork): credited to the sender's balance when the address belongs to a user
 *   (desk.ts: userOfAddress), else refunded on chain minus the refund fee (refund.ts).
 */

export type RefundReason =
  | "disabled"
  | "no_offer"
  | "contract_sender"
  | "no_capacity"
  | "cannot_deliver"
  | "order_failed";

export type ActResult = {
  status: RentalTransferStatus;
  /** wait: nothing to do until its block is solidified; refund: the chain refund is due (refund.ts). */
  action: "wait" | "ordered" | "credited" | "refund" | "kept" | "none";
  orderId?: number;
};

async function load(id: number): Promise<RentalTransfer> {
  const db = await getDb();
  const [t] = await db.select().from(rentalTransfers).where(eq(rentalTransfers.id, id));
  if (!t) throw new AppError("not_found", `Rental transfer ${id} not found.`);
  return t;
}

/** Why a transfer cannot buy anything (before asking the pool), or null. */
function refusal(s: Settings, t: RentalTransfer): RefundReason | null {
  if (!s.transfer.enabled || s.maintenance.enabled) return "disabled"; // paused: returned, as the pages say
  if (t.senderIsContract) return "contract_sender"; // java-tron refuses delegating to a contract
  if (!matchOffer(s, t.amountSun)) return "no_offer";
  return null;
}

/** Whether the pool can deliver the offer to the sender now (lib/pool/capacity), else the reason. */
async function deliverable(s: Settings, t: RentalTransfer, client: TronClient): Promise<RefundReason | null> {
  const offer = matchOffer(s, t.amountSun)!;
  const seconds = durationSeconds(offer.duration);
  try {
    await Promise.all([
      // the order's price is the amount sent (lib/transfers/order)
      checkOrderCapacity(
        { energy: BigInt(offer.energy), priceSun: t.amountSun, durationSeconds: seconds },
        { receiver: t.fromAddress, energyMin: s.energyMin, energyMax: s.energyMax },
      ),
      lockPeriodBlocksLive(client, seconds),
    ]);
    return null;
  } catch (e) {
    if (e instanceof AppError && e.code === "no_capacity") return "no_capacity";
    if (e instanceof AppError && e.code !== "provider_unavailable" && e.code !== "internal")
      return "cannot_deliver";
    throw e;
  }
}

export async function actOnRentalTransfer(
  id: number,
  opts: { client?: TronClient } = {},
): Promise<ActResult> {
  const t = await load(id);
  if (t.status === "refunding") return { status: t.status, action: "refund" };
  if (t.status !== "pending") return { status: t.status, action: "none", orderId: t.orderId ?? undefined };
  const s = await getSettings();
  const solid = t.solidifiedAt !== null;
  let reason = (t.refundReason as RefundReason | null) ?? refusal(s, t);
  if (!reason) {
    if (!solid && t.amountSun > s.transfer.riskCapSun) return { status: t.status, action: "wait" };
    reason = await deliverable(s, t, opts.client ?? tron());
    if (!reason) return order(t, s);
  }
  if (!t.refundReason) {
    const db = await getDb();
    await db
      .update(rentalTransfers)
      .set({ refundReason: reason })
      .where(
        and(
          eq(rentalTransfers.id, id),
          eq(rentalTransfers.status, "pending"),
          isNull(rentalTransfers.refundReason),
        ),
      );
  }
  if (!solid) return { status: "pending", action: "wait" };
  return settle(id);
}

async function order(t: RentalTransfer, s: Settings): Promise<ActResult> {
  const offer = matchOffer(s, t.amountSun)!;
  // what the energy would burn without the rental: the chain's figure, as a quote records it
  const [deskId, { burnPriceSun }] = await Promise.all([deskUserId(), getBurnPrice(s)]);
  const db = await getDb();
  const created = await db.transaction(async (tx): Promise<Changed | null> => {
    const [row] = await tx.select().from(rentalTransfers).where(eq(rentalTransfers.id, t.id)).for("update");
    if (row.status !== "pending" || row.orderId !== null) return null; // another run ordered it
    return insertTransferOrder(tx, row, offer, deskId, burnPriceSun);
  });
  if (!created) {
    const now = await load(t.id);
    return { status: now.status, action: "none", orderId: now.orderId ?? undefined };
  }
  logger.info(
    {
      transferId: t.id,
      txid: t.txid,
      orderId: created.order.id,
      receiver: t.fromAddress,
      energy: offer.energy,
    },
    "rental transfer: order placed",
  );
  await publishOrderChanges(
    [created],
    [orderPaid.create({ orderId: created.order.id }, { id: orderPaidEventId(created.order.id) })],
  );
  return { status: "delivering", action: "ordered", orderId: created.order.id };
}

/**
 * Returns a solidified, undeliverable transfer, once (row lock + status guard, ledger keys): to the
 * balance of the user its address belongs to, else on chain minus the fee (`refunding`; refund.ts
 * signs, stores and broadcasts), or keeps it when it is not more than the fee. A failed order's
 * price first leaves the desk account it was refunded to.
 */
async function settle(id: number): Promise<ActResult> {
  const db = await getDb();
  const s = await getSettings();
  const deskId = await deskUserId();
  return db.transaction(async (tx) => {
    const [t] = await tx.select().from(rentalTransfers).where(eq(rentalTransfers.id, id)).for("update");
    if (t.status !== "pending" || !t.solidifiedAt || !t.refundReason) {
      return { status: t.status, action: t.status === "refunding" ? "refund" : "none" } as ActResult;
    }
    let back = t.amountSun;
    if (t.refundReason === "order_failed" && t.orderId) {
      const [o] = await tx.select().from(orders).where(eq(orders.id, t.orderId));
      back = o.refundedSun;
      await adjust(
        {
          userId: deskId,
          amountSun: -back,
          idempotencyKey: `rental-transfer-return:${t.id}`,
          referenceType: "rental_transfer",
          referenceId: String(t.id),
          memo: `order ${t.orderId} failed: transfer ${t.txid} returned to its sender`,
        },
        tx,
      );
    }
    const to = t.senderIsContract ? t.originAddress : t.fromAddress;
    const owner = await userOfAddress(to, tx);
    const done = { settledAt: new Date(), refundTo: to };
    if (owner && back > 0n) {
      const r = await credit(
        {
          userId: owner,
          amountSun: back,
          idempotencyKey: `rental-transfer-credit:${t.id}`,
          referenceType: "rental_transfer",
          referenceId: String(t.id),
          memo: `transfer ${t.txid} (${t.refundReason})`,
        },
        tx,
      );
      await tx
        .update(rentalTransfers)
        .set({
          ...done,
          status: "credited",
          creditedUserId: owner,
          ledgerEntryId: r.entry.id,
          refundSun: back,
          feeSun: 0n,
        })
        .where(eq(rentalTransfers.id, id));
      return { status: "credited", action: "credited" } as ActResult;
    }
    const fee = s.transfer.refundFeeSun;
    if (back <= fee) {
      await tx
        .update(rentalTransfers)
        .set({ ...done, status: "kept", refundSun: 0n, feeSun: back })
        .where(eq(rentalTransfers.id, id));
      return { status: "kept", action: "kept" } as ActResult;
    }
    await tx
      .update(rentalTransfers)
      .set({ status: "refunding", refundTo: to, refundSun: back - fee, feeSun: fee })
      .where(eq(rentalTransfers.id, id));
    return { status: "refunding", action: "refund" } as ActResult;
  });
}

/**
 * A transfer's order changed (order/status.changed): delivered → `delivered`; refunded (the order
 * failed; its price went back to the desk) → the transfer is to be returned (`pending`, reason
 * order_failed). Returns the transfer id when there is something left to do, else null.
 */
export async function onTransferOrderChanged(orderId: number, to: string): Promise<number | null> {
  const db = await getDb();
  const [t] = await db.select().from(rentalTransfers).where(eq(rentalTransfers.orderId, orderId));
  if (t?.status !== "delivering") return null;
  if (to === "active") {
    const [o] = await db.select().from(orders).where(eq(orders.id, orderId));
    await db
      .update(rentalTransfers)
      .set({ status: "delivered", settledAt: new Date() })
      .where(and(eq(rentalTransfers.id, t.id), eq(rentalTransfers.status, "delivering")));
    if (o.refundedSun > 0n) {
      // A split order delivered in part: its undelivered share was refunded to the desk account.
      await raiseAlert({
        rule: "rental_transfer_partial",
        dedupeKey: `rental-transfer-partial:${t.id}`,
        severity: "warning",
        message: `Pay-by-transfer order ${orderId} was delivered in part: ${o.refundedSun} sun of transfer ${t.txid} is on the transfer desk's balance; return it to ${t.fromAddress} by hand.`,
        details: { transferId: t.id, orderId, refundedSun: o.refundedSun.toString() },
      }).catch(() => {});
    }
    return null;
  }
  if (to === "refunded") {
    await db
      .update(rentalTransfers)
      .set({ status: "pending", refundReason: "order_failed" })
      .where(and(eq(rentalTransfers.id, t.id), eq(rentalTransfers.status, "delivering")));
    return t.id;
  }
  return null;
}
