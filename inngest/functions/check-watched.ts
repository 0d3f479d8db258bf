import { cron } from "inngest";
import { announceEndedPackages, expirePackages, markPackageRetries, supplyChecked } from "@/lib/packages";
import { checkAndTopUp, endExpiredSubscriptions, markRetries } from "@/lib/subscriptions";
import { inngest } from "../client";
import { watchCheckRequested } from "../events/watch";

/** Cycles per run: each re-reads up to 500 marked addresses. */
const MAX_CYCLES = 10;

/**
 * The watcher's check cycle (lib/watch): on `watch/check.requested` (sent by the deposit scanner
 * when it marked watched addresses that sent a transaction) and every minute (the slow safety
 * re-read of stale rows, subscriptions past their end, top-ups that could not be placed). Each step
 * re-reads the marked addresses from the chain and tops up the subscriptions below their minimum
 * (lib/subscriptions) and supplies the per-transfer packages short of one transfer's energy
 * (lib/packages; a retried step re-finds the same order by its idempotency key). Every minute it also
 * expires packages past their validity (refunding the unused share once). One run at a time.
 */
export const checkWatched = inngest.createFunction(
  {
    id: "check-watched",
    name: "Watched addresses: check and top up",
    triggers: [cron("* * * * *"), watchCheckRequested],
    concurrency: { limit: 1 },
    retries: 3,
  },
  async ({ step }) => {
    const ended = await step.run("end-expired", async () => ({
      ended: await endExpiredSubscriptions(),
      retries: await markRetries(),
      // per-transfer packages: expired ones refunded by their rule, supplies not placed retried
      expiredPackages: await expirePackages(),
      packageRetries: await markPackageRetries(),
      packagesEnded: await announceEndedPackages(),
    }));
    let checked = 0;
    let ordered = 0;
    for (let i = 0; i < MAX_CYCLES; i++) {
      const r = await step.run(`cycle-${i}`, async () => {
        const { cycle, topups } = await checkAndTopUp();
        const supplies = await supplyChecked(cycle.checked);
        return {
          checked: cycle.checked.length,
          ordered: [...topups, ...supplies].filter((o) => o.result === "ordered").length,
          more: cycle.more,
        };
      });
      checked += r.checked;
      ordered += r.ordered;
      if (!r.more) break;
    }
    return { ...ended, checked, ordered };
  },
);
