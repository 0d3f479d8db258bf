import { and, eq, isNull } from "drizzle-orm";
import type { Types } from "tronweb";
import { getDb } from "@/db";
import { type RentalTransfer, rentalTransfers } from "@/db/schema";
import { raiseAlert } from "@/lib/alerts";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/log";
import { type TronClient, tron } from "@/lib/tron/client";
import { ChainError } from "@/lib/tron/errors";
import { broadcast, buildTrxTransfer, txStatus, txTimesOf } from "@/lib/tron/tx";
import { rentalAddress, rentalSigner } from "./address";

/**
 * The on-chain refund of a `refunding` transfer: a TransferContract from the rental address to
 * `refund_to` of `refund_sun` (the amount minus the fee). Store before broadcast: the signed tx and
 * its txid are written to the row first; a rerun rebroadcasts or awaits the stored one (a duplicate
 * is a success) and signs again only once it provably can never be included (expired on the
 * solidified chain). The chain refusing it (e.g. the rental address lacks TRX) fails the transfer
 * with an alert: the operator returns it by hand.
 */
export type RefundState = {
  state: "signed" | "sent" | "pending" | "resign" | "refunded" | "failed" | "none";
};

async function load(id: number): Promise<RentalTransfer> {
  const db = await getDb();
  const [t] = await db.select().from(rentalTransfers).where(eq(rentalTransfers.id, id));
  if (!t) throw new AppError("not_found", `Rental transfer ${id} not found.`);
  return t;
}

async function fail(t: RentalTransfer, error: string): Promise<RefundState> {
  const db = await getDb();
  await db
    .update(rentalTransfers)
    .set({ status: "failed", error: error.slice(0, 1000), settledAt: new Date() })
    .where(and(eq(rentalTransfers.id, t.id), eq(rentalTransfers.status, "refunding")));
  logger.error({ transferId: t.id, txid: t.txid, error }, "rental transfer refund failed");
  await raiseAlert({
    rule: "rental_transfer_refund_failed",
    dedupeKey: `rental-transfer-refund:${t.id}`,
    severity: "critical",
    message: `The refund of pay-by-transfer payment ${t.txid} to ${t.refundTo} failed (${error.slice(0, 300)}): return it by hand.`,
    details: { transferId: t.id, refundTo: t.refundTo, refundSun: t.refundSun?.toString() },
  }).catch(() => {});
  return { state: "failed" };
}

/** Signs the refund and stores it (once; a stored, unexpired one is kept). */
export async function signRefund(id: number, client: TronClient = tron()): Promise<RefundState> {
  const t = await load(id);
  if (t.status !== "refunding") return { state: t.status === "refunded" ? "refunded" : "none" };
  if (t.refundTxid) return { state: "signed" };
  if (!t.refundTo || !t.refundSun || t.refundSun <= 0n) return fail(t, "nothing to refund");
  let signed: Awaited<ReturnType<typeof buildTrxTransfer>>;
  try {
    signed = await buildTrxTransfer(
      client,
      { from: rentalAddress(), to: t.refundTo, sun: t.refundSun },
      rentalSigner(client),
    );
  } catch (e) {
    if (e instanceof ChainError) return fail(t, e.chainMessage || e.message);
    throw e;
  }
  const db = await getDb();
  await db
    .update(rentalTransfers)
    .set({ refundTxid: signed.txid, refundSignedTx: signed.signedTx })
    .where(
      and(
        eq(rentalTransfers.id, id),
        eq(rentalTransfers.status, "refunding"),
        isNull(rentalTransfers.refundTxid),
      ),
    );
  return { state: "signed" }; // whichever stored first is the one broadcast
}

/** Broadcasts the stored refund (a duplicate counts as sent). */
export async function broadcastRefund(id: number, client: TronClient = tron()): Promise<RefundState> {
  const t = await load(id);
  if (t.status !== "refunding") return { state: t.status === "refunded" ? "refunded" : "none" };
  if (!t.refundSignedTx) return { state: "resign" };
  try {
    await broadcast(client, t.refundSignedTx as Types.SignedTransaction);
  } catch (e) {
    if (e instanceof ChainError) {
      // Expired / TaPoS prove nothing about inclusion: look it up.
      if (e.kind === "expired" || e.kind === "tapos" || e.kind === "server_busy") return { state: "sent" };
      return fail(t, e.chainMessage || e.message);
    }
    throw e;
  }
  return { state: "sent" };
}

/** Looks the stored refund up: in a block → refunded; provably expired → re-sign; else pending. */
export async function checkRefund(id: number, client: TronClient = tron()): Promise<RefundState> {
  const t = await load(id);
  if (t.status !== "refunding") return { state: t.status === "refunded" ? "refunded" : "none" };
  if (!t.refundTxid) return { state: "resign" };
  const st = await txStatus(client, t.refundTxid, txTimesOf(t.refundSignedTx));
  const db = await getDb();
  if (st.status === "included" || st.status === "solidified") {
    await db
      .update(rentalTransfers)
      .set({ status: "refunded", settledAt: new Date() })
      .where(and(eq(rentalTransfers.id, id), eq(rentalTransfers.status, "refunding")));
    logger.info({ transferId: id, refundTxid: t.refundTxid }, "rental transfer refunded");
    return { state: "refunded" };
  }
  if (st.status === "failed") return fail(t, `refund ${t.refundTxid} failed on chain (${st.receiptResult})`);
  if (st.expired) {
    await db
      .update(rentalTransfers)
      .set({ refundTxid: null, refundSignedTx: null })
      .where(and(eq(rentalTransfers.id, id), eq(rentalTransfers.refundTxid, t.refundTxid)));
    return { state: "resign" };
  }
  return { state: "pending" };
}
