import { cron } from "inngest";
import { inngest } from "@/inngest/client";
import { resumeUnplacedBatches } from "@/lib/batches";

/**
 * Every minute: batch orders left with lines unplaced for over a minute (the process placing them
 * stopped, or the TRON node stopped answering mid-batch) are placed now, line by line under the
 * same per-line order keys, so no line is ever paid twice (lib/batches/create.ts).
 */
export const resumeBatches = inngest.createFunction(
  { id: "resume-batches", name: "Resume unplaced batch orders", triggers: [cron("* * * * *")] },
  async ({ step }) => {
    const placed = await step.run("place-unplaced", () => resumeUnplacedBatches({ olderThanSeconds: 60 }));
    return { placed };
  },
);
