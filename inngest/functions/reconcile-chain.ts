import { cron } from "inngest";
import { inngest } from "@/inngest/client";
import {
  broadcastDriftReclaim,
  checkDriftReclaim,
  driftReclaimsInFlight,
  reconcileChain,
  signDriftReclaim,
} from "@/lib/reconcile";

/**
 * Every 5 minutes: confirm the orphan undelegations sent last
 * time, compare every supplier wallet's delegations on chain with the database (findings stored,
 * alerted, resolved), then undelegate orphan stake whose lock has ended — each signed and stored in
 * one step, broadcast in the next.
 */
export const reconcileChainFunction = inngest.createFunction(
  {
    id: "reconcile-chain",
    name: "Reconcile the pool with the chain",
    triggers: [cron("*/5 * * * *")],
    concurrency: [{ limit: 1 }],
  },
  async ({ step }) => {
    const pending = await step.run("in-flight", () => driftReclaimsInFlight());
    for (const id of pending) await step.run(`check-drift-${id}`, () => checkDriftReclaim(id));
    const r = await step.run("reconcile", () => reconcileChain());
    const sent: number[] = [];
    for (const id of r.reclaimable) {
      const s = await step.run(`sign-drift-${id}`, () => signDriftReclaim(id));
      if (!s.txid) continue;
      const b = await step.run(`broadcast-drift-${id}`, () => broadcastDriftReclaim(id));
      if (b.state === "sent") sent.push(id);
    }
    return { ...r, checked: pending, sent };
  },
);
