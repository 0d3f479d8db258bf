import { and, inArray, isNull, lte, sql } from "drizzle-orm";
import type { Tx } from "@/db";
import { rentalTransfers } from "@/db/schema";
import { rentalTransferReceived } from "@/inngest/events";
import { DROPPED_AFTER_BLOCKS } from "@/lib/deposits/credit";
import type { LeanBlock, LeanInfo } from "@/lib/deposits/reader";
import { sendEvents } from "@/lib/events";
import { logger } from "@/lib/log";
import { rentalAddressHex } from "./address";
import { findRentalTransfers } from "./find";

/**
 * The scanner's hook (lib/deposits/scanner.ts): inside the transaction that moves a cursor over
 * `blocks`, records the payments to the rental address they hold, exactly once per (txid, index).
 *
 * - head pass: a new row (`pending`, head_seen_at) — to be acted on at once;
 * - solidified pass: the row is marked solidified (its block as the solidified chain has it), or
 *   created so; rows seen in a head block that the solidified chain passed by DROPPED_AFTER_BLOCKS
 *   without them were dropped by a fork: `vanished` (with what was delegated for them, lost_sun).
 *
 * Returns the ids to act on (after the commit: `announceRentalTransfers`).
 */
export async function recordRentalTransfers(
  tx: Tx,
  read: { blocks: LeanBlock[]; infos?: Map<number, LeanInfo[]> },
  phase: "head" | "solid",
  solidTo?: number,
): Promise<number[]> {
  const seen = findRentalTransfers(read.blocks, read.infos ?? new Map(), rentalAddressHex());
  const ids: number[] = [];
  const now = new Date();
  for (const s of seen) {
    const values = {
      txid: s.txid,
      logIndex: s.logIndex,
      fromAddress: s.from,
      originAddress: s.origin,
      senderIsContract: s.senderIsContract,
      amountSun: s.amountSun,
      blockNumber: s.blockNumber,
      blockTime: s.blockTime,
      headSeenAt: phase === "head" ? now : null,
      solidifiedAt: phase === "solid" ? now : null,
    };
    const q = tx.insert(rentalTransfers).values(values);
    const rows =
      phase === "head"
        ? await q
            .onConflictDoNothing({ target: [rentalTransfers.txid, rentalTransfers.logIndex] })
            .returning({
              id: rentalTransfers.id,
            })
        : await q
            .onConflictDoUpdate({
              target: [rentalTransfers.txid, rentalTransfers.logIndex],
              set: { solidifiedAt: now, blockNumber: s.blockNumber, blockTime: s.blockTime },
              setWhere: isNull(rentalTransfers.solidifiedAt),
            })
            .returning({ id: rentalTransfers.id });
    ids.push(...rows.map((r) => r.id));
  }
  if (phase === "solid" && solidTo !== undefined) {
    const gone = await tx
      .update(rentalTransfers)
      .set({
        status: "vanished",
        lostSun: sql`case when ${rentalTransfers.orderId} is not null then ${rentalTransfers.amountSun} end`,
        settledAt: now,
      })
      .where(
        and(
          isNull(rentalTransfers.solidifiedAt),
          lte(rentalTransfers.blockNumber, solidTo - DROPPED_AFTER_BLOCKS),
          inArray(rentalTransfers.status, ["pending", "delivering", "delivered"]),
        ),
      )
      .returning({ id: rentalTransfers.id, txid: rentalTransfers.txid, lost: rentalTransfers.lostSun });
    for (const v of gone)
      logger.warn(
        { transferId: v.id, txid: v.txid, lostSun: v.lost?.toString() ?? "0" },
        "rental transfer seen in a head block never reached the solidified chain (fork): vanished",
      );
  }
  return ids;
}

/** After the commit: one rental-transfer/received per id (never throws; the sweep re-sends). */
export async function announceRentalTransfers(ids: number[], phase: string): Promise<void> {
  if (!ids.length) return;
  await sendEvents(
    ids.map((id) =>
      rentalTransferReceived.create({ transferId: id }, { id: `rental-transfer-${id}-${phase}` }),
    ),
  );
}
