import { getDb } from "@/db";
import { scanReader } from "@/lib/deposits/find";
import { RateLimitedError, scannerPausedUntil } from "@/lib/deposits/reader";
import { getSettings } from "@/lib/settings";
import { type TronClient, tron } from "@/lib/tron/client";
import { announceRentalTransfers, recordRentalTransfers } from "./record";

/**
 * The head watch: between the scanner's once-a-minute passes, reads the node's head block (one
 * `getnowblock`, which carries its transactions) and records the payments to the rental address in
 * it, as the scanner's head pass would (same hook, same keys: whichever sees a payment first records
 * it, the other finds it). So a payment is usually acted on in the block after it, not up to a minute
 * later. A block that falls between two reads is recorded by the scanner's next head pass.
 * Does nothing while pay by transfer is off or the scanner is paused by a rate limit.
 */
export async function watchHeadOnce(
  opts: { client?: TronClient } = {},
): Promise<{ block: number | null; recorded: number }> {
  const s = await getSettings();
  if (!s.transfer.enabled || s.transfer.offers.length === 0) return { block: null, recorded: 0 };
  const client = opts.client ?? tron();
  if (scannerPausedUntil(client)) return { block: null, recorded: 0 };
  let block: Awaited<ReturnType<ReturnType<typeof scanReader>["headBlock"]>>;
  try {
    block = await scanReader(client).headBlock();
  } catch (e) {
    if (e instanceof RateLimitedError) return { block: null, recorded: 0 };
    throw e;
  }
  const db = await getDb();
  const ids = await db.transaction((tx) => recordRentalTransfers(tx, { blocks: [block] }, "head"));
  await announceRentalTransfers(ids, "head");
  return { block: block.number, recorded: ids.length };
}
