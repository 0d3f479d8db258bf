import { cron } from "inngest";
import { collectionDue, runScheduledCollection } from "@/lib/deposits";
import type { TronClient } from "@/lib/tron/client";
import { inngest } from "../client";
import { depositCollectRequested } from "../events/deposits";

export { COLLECT_MARKER } from "@/lib/deposits";

let clientOverride: TronClient | null = null;
let treasuryOverride: string | null = null;
/** Tests point the function at their own devnet and treasury. */
export function setCollectTargetsForTests(t: { client: TronClient; treasury: string } | null): void {
  clientOverride = t?.client ?? null;
  treasuryOverride = t?.treasury ?? null;
}

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
    const due = await step.run("due", () =>
      collectionDue({ requested: event.name === depositCollectRequested.name }),
    );
    if (!due) return { skipped: true };
    const r = await step.run("collect", () =>
      runScheduledCollection({
        client: clientOverride ?? undefined,
        treasury: treasuryOverride ?? undefined,
      }),
    );
    return { skipped: false, ...r };
  },
);
