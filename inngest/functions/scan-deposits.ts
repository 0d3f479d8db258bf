import { cron } from "inngest";
import { scanAccountsOnce, scanOnce } from "@/lib/deposits";
import { env } from "@/lib/env";
import { sendEvents } from "@/lib/events";
import { logger } from "@/lib/log";
import { inngest } from "../client";
import { depositScanRequested } from "../events/deposits";
import { watchCheckRequested } from "../events/watch";

/** Steps per run: each reads up to 100 solidified + 100 head blocks (≈ 5 minutes of chain). */
const MAX_SCAN_STEPS = 20;

/**
 * The deposit scanner: every minute and on demand (`deposits/scan.requested`). Blocks mode: each
 * step is one `scanOnce` batch (its DB transaction moves deposits, credits and the cursor together),
 * so a retried step simply re-reads from the stored cursor. Accounts mode (DEPOSIT_SCAN_MODE): one
 * step reads the watched addresses through TronGrid's account endpoints. A rate-limited node pauses
 * the run (a durable sleep until the pause is over, never a hammering retry); a scanner that stopped
 * because the chain went backwards ends the run (health check and alert say why). One run at a time.
 */
export const scanDeposits = inngest.createFunction(
  {
    id: "scan-deposits",
    triggers: [cron("* * * * *"), depositScanRequested],
    concurrency: { limit: 1 },
    retries: 3,
  },
  async ({ step }) => {
    let credited = 0;
    let found = 0;
    let steps = 0;
    let pauses = 0;
    let last: { to: number; headBlock: number; solidifiedHead: number } | null = null;
    let problem: string | null = null;
    let watched = 0;
    for (let i = 0; i < MAX_SCAN_STEPS; i++) {
      const r = await step.run(`scan-${i}`, async () => {
        const res = env.DEPOSIT_SCAN_MODE === "accounts" ? await scanAccountsOnce() : await scanOnce();
        return {
          from: res.from,
          to: res.to,
          found: res.found,
          credited: res.credited,
          headBlock: res.headBlock,
          solidifiedHead: res.solidifiedHead,
          caughtUp: res.caughtUp,
          pausedUntil: res.pausedUntil ?? null,
          problem: res.problem ?? null,
          watched: res.watched ?? 0,
        };
      });
      steps++;
      credited += r.credited;
      found += r.found;
      watched += r.watched;
      if (r.problem) {
        problem = r.problem;
        break;
      }
      if (r.pausedUntil) {
        // TronGrid blocks a rate-limited caller for 30 s: wait it out, then go on
        if (++pauses > 2) break;
        await step.sleep(`rate-limited-${i}`, Math.max(1_000, r.pausedUntil - Date.now()));
        continue;
      }
      last = r;
      if (r.caughtUp) break;
    }
    // watched addresses that sent a transaction: check them now (lib/watch)
    if (watched > 0) {
      const sent = await step.run("watch-check", () =>
        sendEvents([watchCheckRequested.create({ reason: "scan" })]),
      );
      // not fatal: the watcher's own cron runs the check within a minute
      if (!sent) logger.warn({ watched }, "could not ask for a watch check; the cron will run it");
    }
    return {
      steps,
      watched,
      found,
      credited,
      pauses,
      problem,
      cursor: last?.to ?? null,
      head: last?.headBlock ?? null,
    };
  },
);
