import { eq } from "drizzle-orm";
import { cron } from "inngest";
import { getDb } from "@/db";
import { chainCursors } from "@/db/schema";
import { collectOnce } from "@/lib/deposits";
import { getSettings } from "@/lib/settings";
import { inngest } from "../client";
import { depositCollectRequested } from "../events/deposits";

/** The last collection run is kept as a row of chain_cursors (block_number unused). */
export const COLLECT_MARKER = "deposits:collect";

/**
 * Collection to the treasury: checked every minute, runs every `settings.collection.intervalMinutes`
 * (or at once on `deposits/collect.requested`). Each collection is a DB row advanced with
 * store-before-broadcast steps, so a retried run resumes where the last one stopped.
 */
export const collectDeposits = inngest.createFunction(
  {
    id: "collect-deposits",
    triggers: [cron("* * * * *"), depositCollectRequested],
    concurrency: { limit: 1 },
    retries: 2,
  },
  async ({ event, step }) => {
    const due = await step.run("due", async () => {
      if (event.name === depositCollectRequested.name) return true;
      const db = await getDb();
      const [m] = await db.select().from(chainCursors).where(eq(chainCursors.name, COLLECT_MARKER));
      const { collection } = await getSettings();
      return !m?.lastRunAt || Date.now() - m.lastRunAt.getTime() >= collection.intervalMinutes * 60_000;
    });
    if (!due) return { skipped: true };
    const r = await step.run("collect", async () => {
      const db = await getDb();
      await db
        .insert(chainCursors)
        .values({ name: COLLECT_MARKER, blockNumber: 0, lastRunAt: new Date() })
        .onConflictDoUpdate({ target: chainCursors.name, set: { lastRunAt: new Date() } });
      return collectOnce();
    });
    return { skipped: false, ...r };
  },
);
