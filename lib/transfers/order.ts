import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Tx } from "@/db";
import { type Order, orders, type RentalTransfer, rentalTransfers } from "@/db/schema";
import { credit, debit } from "@/lib/ledger";
import { addOrderEvent, type Changed } from "@/lib/orders/transitions";
import { durationSeconds, type TransferOffer } from "@/lib/settings/schema";

/**
 * The order a matching transfer pays for, in the caller's transaction: the desk account (desk.ts) is
 * credited the transfer and debited the order's price (= the amount sent), the order (`paid`, source
 * `transfer`, receiver = the sender) and its first event are written, and the transfer row points at
 * it (`delivering`). Keys: ledger `rental-transfer:<txid>:<index>` and `order:<desk>:transfer:<txid>:<index>`,
 * order idempotency key `transfer:<txid>:<index>`: a second call fails on them and changes nothing.
 */
export async function insertTransferOrder(
  tx: Tx,
  t: RentalTransfer,
  offer: TransferOffer,
  deskId: number,
  /** Sun burned per energy without energy (lib/pricing `getBurnPrice`): the order's `burn_sun`. */
  burnPriceSun: bigint,
): Promise<Changed> {
  const key = `${t.txid}:${t.logIndex}`;
  const energy = BigInt(offer.energy);
  const price = t.amountSun;
  await credit(
    {
      userId: deskId,
      amountSun: price,
      idempotencyKey: `rental-transfer:${key}`,
      referenceType: "rental_transfer",
      referenceId: String(t.id),
      memo: `pay by transfer from ${t.fromAddress}`,
    },
    tx,
  );
  const unit = price / energy;
  const [order] = await tx
    .insert(orders)
    .values({
      userId: deskId,
      receiverAddress: t.fromAddress,
      energy,
      durationKey: offer.duration,
      durationSeconds: durationSeconds(offer.duration),
      unitPriceSun: unit > 0n ? unit : 1n,
      priceSun: price,
      burnSun: energy * burnPriceSun,
      status: "paid",
      source: "transfer",
      idempotencyKey: `transfer:${key}`,
      fingerprint: createHash("sha256").update(key).digest("hex").slice(0, 32),
    })
    .returning();
  const pay = await debit(
    {
      userId: deskId,
      amountSun: price,
      idempotencyKey: `order:${deskId}:transfer:${key}`,
      referenceType: "order",
      referenceId: String(order.id),
    },
    tx,
  );
  const event = await addOrderEvent(tx, {
    orderId: order.id,
    type: "paid",
    toStatus: "paid",
    details: {
      priceSun: price,
      source: "transfer",
      ledgerEntryId: pay.entry.id,
      transferId: t.id,
      txid: t.txid,
    },
  });
  await tx
    .update(rentalTransfers)
    .set({ status: "delivering", orderId: order.id, energy, durationKey: offer.duration })
    .where(eq(rentalTransfers.id, t.id));
  return { order: order as Order, event };
}
