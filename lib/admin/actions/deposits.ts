import { z } from "zod";
import { getDb } from "@/db";
import { depositRescanRequested } from "@/inngest/events";
import { writeAudit } from "@/lib/audit";
import { getDepositAddressOf, MAX_RESCAN_BLOCKS, scannerStatus, setScanCursor } from "@/lib/deposits";
import { AppError } from "@/lib/errors";
import { sendEvents } from "@/lib/events";
import { defineAction, id, reason } from "./define";

const block = z.coerce.number().int("A whole block number.").min(0, "A block number.");

/** Queues a rescan of solidified blocks [fromBlock, toBlock] for the user's deposit address. */
export const rescanDepositsAction = defineAction(
  "deposits.rescan",
  z
    .object({ userId: id, fromBlock: block, toBlock: block })
    .refine((i) => i.toBlock >= i.fromBlock, {
      message: "The range ends before it starts.",
      path: ["toBlock"],
    })
    .refine((i) => i.toBlock - i.fromBlock + 1 <= MAX_RESCAN_BLOCKS, {
      message: `At most ${MAX_RESCAN_BLOCKS} blocks at a time.`,
      path: ["toBlock"],
    }),
  async (ctx, i) => {
    const addr = await getDepositAddressOf(i.userId);
    if (!addr) throw new AppError("not_found", "This user has no deposit address.");
    const sent = await sendEvents([
      depositRescanRequested.create(
        { depositAddressId: addr.id, fromBlock: i.fromBlock, toBlock: i.toBlock, adminId: ctx.admin.id },
        { id: `deposit-rescan-${addr.id}-${i.fromBlock}-${i.toBlock}-${Date.now()}` },
      ),
    ]);
    await writeAudit(await getDb(), {
      adminId: ctx.admin.id,
      action: "deposits.rescan",
      targetType: "user",
      targetId: String(i.userId),
      after: { address: addr.address, fromBlock: i.fromBlock, toBlock: i.toBlock, queued: sent },
      ip: ctx.ip,
    });
    if (!sent)
      throw new AppError("provider_unavailable", "The job queue is not reachable; try again shortly.");
    return { depositAddressId: addr.id, fromBlock: i.fromBlock, toBlock: i.toBlock };
  },
);

/** Puts the deposit scanner's cursors at a block (the next scan reads from it) and clears a stop. */
export const restartScannerAction = defineAction(
  "deposits.scanner",
  z.object({ fromBlock: block, reason }),
  async (ctx, i) => {
    const before = await scannerStatus();
    await setScanCursor(i.fromBlock);
    await writeAudit(await getDb(), {
      adminId: ctx.admin.id,
      action: "deposits.scanner_restart",
      targetType: "scanner",
      targetId: "deposits",
      before: { cursor: before.cursor, problem: before.problem },
      after: { fromBlock: i.fromBlock, reason: i.reason },
      ip: ctx.ip,
    });
    return { fromBlock: i.fromBlock };
  },
);
