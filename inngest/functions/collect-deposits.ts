import { cron } from "inngest";
import { collectionDue, runScheduledCollection } from "@/lib/deposits";
import { inngest } from "../client";
import { depositCollectRequested } from "../events/deposits";

export { COLLECT_MARKER } from "@/lib/deposits";

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
    const r = await step.run("collect", () => runScheduledCollection());
    return { skipped: false, ...r };
  },
);
