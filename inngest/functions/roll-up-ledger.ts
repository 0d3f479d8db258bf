import { cron } from "inngest";
import { inngest } from "@/inngest/client";
import { rollUpLedger } from "@/lib/ledger/daily";

/**
 * Every 10 minutes: add the ledger rows written since the last run to the daily rollup the admin
 * dashboard and finance report read (lib/ledger/daily), so no page view pays for a large catch-up.
 * Safe to overlap with a roll-up started by a page view; exact whether or not it runs.
 */
export const rollUpLedgerDaily = inngest.createFunction(
  {
    id: "roll-up-ledger",
    name: "Roll up the ledger by day",
    triggers: [cron("*/10 * * * *")],
    concurrency: [{ limit: 1 }],
  },
  async ({ step }) => step.run("roll-up", () => rollUpLedger()),
);
