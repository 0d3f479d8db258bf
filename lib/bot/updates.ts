import { eq, lt } from "drizzle-orm";
import { getDb } from "@/db";
import { telegramUpdates } from "@/db/schema";
import { logger } from "@/lib/log";

/**
 * Each Telegram update is processed once: `claimUpdate` records its id (false when already seen),
 * `releaseUpdate` forgets it when processing failed so Telegram's retry is handled. Old ids are
 * pruned every 1,000 claims.
 */
const KEEP_MS = 3 * 24 * 3600_000;
let sincePrune = 0;

export async function claimUpdate(updateId: number): Promise<boolean> {
  const db = await getDb();
  const fresh = await db
    .insert(telegramUpdates)
    .values({ updateId })
    .onConflictDoNothing()
    .returning({ id: telegramUpdates.updateId });
  if (++sincePrune >= 1000) {
    sincePrune = 0;
    db.delete(telegramUpdates)
      .where(lt(telegramUpdates.receivedAt, new Date(Date.now() - KEEP_MS)))
      .catch((e) => logger.warn({ err: String(e) }, "telegram_updates prune failed"));
  }
  return fresh.length > 0;
}

export async function releaseUpdate(updateId: number): Promise<void> {
  const db = await getDb();
  await db
    .delete(telegramUpdates)
    .where(eq(telegramUpdates.updateId, updateId))
    .catch((e) => logger.warn({ err: String(e), updateId }, "could not release telegram update id"));
}
