import { getDb } from "@/db";
import { writeAudit } from "@/lib/audit";
import { rescanAddress } from "@/lib/deposits";
import { inngest } from "../client";
import { depositRescanRequested } from "../events/deposits";

/** Blocks per step: a retried step re-reads at most this many (crediting stays exactly once). */
const RESCAN_STEP_BLOCKS = 500;

/**
 * An operator's rescan of a block range for one deposit address (`deposits/rescan.requested`, sent
 * by the console). Steps of RESCAN_STEP_BLOCKS; every deposit found is recorded and credited exactly
 * once (the scanner's own keys). The outcome is written to the audit log under the admin who asked.
 */
export const rescanDeposits = inngest.createFunction(
  { id: "rescan-deposits", triggers: [depositRescanRequested], concurrency: { limit: 1 }, retries: 3 },
  async ({ event, step }) => {
    const { depositAddressId, fromBlock, toBlock, adminId } = event.data;
    let found = 0;
    let credited = 0;
    let belowMinimum = 0;
    for (let start = fromBlock, i = 0; start <= toBlock; start += RESCAN_STEP_BLOCKS, i++) {
      const end = Math.min(toBlock, start + RESCAN_STEP_BLOCKS - 1);
      const r = await step.run(`rescan-${i}`, () =>
        rescanAddress({ depositAddressId, from: start, to: end }),
      );
      found += r.found;
      credited += r.credited;
      belowMinimum += r.belowMinimum;
    }
    const out = { depositAddressId, fromBlock, toBlock, found, credited, belowMinimum };
    await step.run("audit", async () => {
      if (adminId)
        await writeAudit(await getDb(), {
          adminId,
          action: "deposits.rescan_done",
          targetType: "deposit_address",
          targetId: String(depositAddressId),
          after: out,
        });
    });
    return out;
  },
);
