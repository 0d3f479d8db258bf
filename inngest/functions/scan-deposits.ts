import { cron } from "inngest";
import { scanOnce } from "@/lib/deposits";
import type { TronClient } from "@/lib/tron/client";
import { inngest } from "../client";
import { depositScanRequested } from "../events/deposits";

/** Steps per run: each reads up to 100 solidified + 100 head blocks (≈ 5 minutes of chain). */
export const MAX_SCAN_STEPS = 20;

/** Tests point the function at their own devnet; null → the env-configured client. */
let clientOverride: TronClient | null = null;
export function setScanClientForTests(client: TronClient | null): void {
  clientOverride = client;
}

/**
 * The deposit block scanner: every minute and on demand (`deposits/scan.requested`). Each step is
 * one `scanOnce` batch (its DB transaction moves deposits, credits and the cursor together), so a
 * retried step simply re-reads from the stored cursor. One run at a time.
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
    let last: { to: number; headBlock: number; solidifiedHead: number } | null = null;
    for (let i = 0; i < MAX_SCAN_STEPS; i++) {
      const r = await step.run(`scan-${i}`, async () => {
        const res = await scanOnce({ client: clientOverride ?? undefined });
        return {
          from: res.from,
          to: res.to,
          found: res.found,
          credited: res.credited,
          headBlock: res.headBlock,
          solidifiedHead: res.solidifiedHead,
          caughtUp: res.caughtUp,
        };
      });
      steps++;
      credited += r.credited;
      found += r.found;
      last = r;
      if (r.caughtUp) break;
    }
    return { steps, found, credited, cursor: last?.to ?? null, head: last?.headBlock ?? null };
  },
);
