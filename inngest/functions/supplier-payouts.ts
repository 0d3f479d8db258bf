import { cron } from "inngest";
import { inngest } from "@/inngest/client";
import { supplierPayoutApproved } from "@/inngest/events";
import {
  broadcastPayout,
  checkPayout,
  failPayout,
  type PayoutState,
  signPayout,
  sweepPayouts,
} from "@/lib/suppliers";

const MAX_RESIGNS = 3;
const MAX_POLLS = 60;
const POLL_INTERVAL = "3s";

/**
 * supplier/payout.approved → the payout is signed and stored, broadcast and confirmed in durable
 * steps (lib/suppliers/payouts), re-signed only once the stored one expired; after three expiries
 * it fails and the amount goes back to the supplier. One run at a time per payout; every step reads
 * the row's state, so duplicates do nothing.
 */
export const paySupplier = inngest.createFunction(
  {
    id: "pay-supplier",
    name: "Suppliers: pay a payout",
    triggers: [supplierPayoutApproved],
    concurrency: [{ key: "event.data.payoutId", limit: 1 }],
    retries: 5,
  },
  async ({ event, step }) => {
    const id = event.data.payoutId;
    let r = 0;
    let k = 0;
    let waits = 0;
    let s: PayoutState = await step.run("sign-0", () => signPayout(id));
    while (s.state !== "confirmed" && s.state !== "failed" && s.state !== "none") {
      if (k > MAX_POLLS) throw new Error(`Payout ${id} not settled after ${MAX_POLLS} polls`);
      if (s.state === "signed") s = await step.run(`broadcast-${r}`, () => broadcastPayout(id));
      else if (s.state === "sent") s = await step.run(`check-${r}-${k++}`, () => checkPayout(id));
      else if (s.state === "pending") {
        await step.sleep(`wait-${waits++}`, POLL_INTERVAL);
        s = await step.run(`check-${r}-${k++}`, () => checkPayout(id));
      } else if (s.state === "resign") {
        if (++r >= MAX_RESIGNS) {
          s = await step.run("give-up", () => failPayout(id, `expired ${r} times unsent`));
          break;
        }
        k = 0;
        s = await step.run(`sign-${r}`, () => signPayout(id));
      }
    }
    return { payoutId: id, state: s.state };
  },
);

/** Every 10 minutes: open payouts announced again, automatic payouts above the operator's threshold. */
export const sweepSupplierPayouts = inngest.createFunction(
  {
    id: "sweep-supplier-payouts",
    name: "Suppliers: sweep payouts",
    triggers: [cron("*/10 * * * *")],
    concurrency: [{ limit: 1 }],
  },
  async ({ step }) =>
    step.run("sweep", async () => {
      const r = await sweepPayouts();
      return r;
    }),
);

export const supplierPayoutFunctions = [paySupplier, sweepSupplierPayouts];
