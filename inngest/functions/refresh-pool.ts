import { cron } from "inngest";
import { inngest } from "@/inngest/client";
import { poolRefreshRequested } from "@/inngest/events";
import { refreshAllWallets } from "@/lib/pool";

/** Every 5 minutes (and on pool/refresh.requested): re-read every enabled wallet; alerts on low energy/TRX. */
export const refreshPool = inngest.createFunction(
  {
    id: "refresh-pool",
    name: "Refresh supplier pool",
    triggers: [cron("*/5 * * * *"), poolRefreshRequested],
    concurrency: [{ limit: 1 }],
  },
  async ({ step }) => step.run("refresh-all", () => refreshAllWallets()),
);
