import { inngest } from "@/inngest/client";
import { delegationExpired } from "@/inngest/events";
import { MAX_POLLS, POLL_INTERVAL } from "@/lib/orders/fulfil";
import {
  broadcastReclaim,
  checkReclaim,
  MAX_RECLAIM_ROUNDS,
  markGone,
  RECLAIM_SLEEP_LIMIT_MS,
  prepareReclaim,
  reclaimGiveUp,
  reclaimRetriesSpent,
  refreshWalletOfDelegation,
  signReclaim,
} from "@/lib/orders/reclaim";

/**
 * delegation/expired → read the exact unlockable amount → sign + store the undelegate → broadcast
 * → confirm → reclaimed (order completed when all parts are). Still locked → sleep until the lock
 * ends. Failures raise a `reclaim:<id>` alert and are retried with backoff; the sweep re-sends.
 */
export const reclaimDelegation = inngest.createFunction(
  {
    id: "reclaim-delegation",
    name: "Reclaim delegation",
    triggers: [delegationExpired],
    // one run per delegation; at most 10 at once, so a burst of expiries does not stampede the node
    concurrency: [{ key: "event.data.delegationId", limit: 1 }, { limit: 10 }],
    retries: 10,
    onFailure: async ({ event, error }) => {
      const { delegationId } = event.data.event.data as { delegationId: number };
      await reclaimRetriesSpent(delegationId, error.message);
    },
  },
  async ({ event, step }) => {
    const id = event.data.delegationId;
    let waits = 0;
    for (let r = 0; r < MAX_RECLAIM_ROUNDS; r++) {
      const prep = await step.run(`prepare-${r}`, () => prepareReclaim(id));
      if (prep.state === "done") return { delegationId: id, status: "reclaimed" };
      if (prep.state === "gone") {
        await step.run(`gone-${r}`, () => markGone(id));
        return { delegationId: id, status: "reclaimed", note: "nothing on chain" };
      }
      // permission mode: revoked (the owner must undelegate) or the owner's daily caps spent; the
      // sweep sends it again after `until`
      if (prep.state === "waiting")
        return { delegationId: id, status: "waiting", reason: prep.reason, until: prep.until };
      if (prep.state === "locked") {
        // a long lock: end here; the sweep sends the delegation again when it is over
        if (prep.waitMs > RECLAIM_SLEEP_LIMIT_MS)
          return { delegationId: id, status: "waiting", until: prep.until };
        await step.sleep(`wait-${waits++}`, `${Math.ceil(prep.waitMs / 1000)}s`);
        continue;
      }
      if (prep.state === "ready")
        await step.run(`sign-reclaim-${r}`, () => signReclaim(id, BigInt(prep.sun)));
      const b = await step.run(`broadcast-reclaim-${r}`, () => broadcastReclaim(id));
      if (b.state === "replan") continue;
      // the wallet cannot pay for it: alerted; the sweep sends it again after a while
      if (b.state === "stalled") return { delegationId: id, status: "waiting", reason: "bandwidth" };
      let c: { state: string } = { state: b.state === "done" ? "done" : "pending" };
      for (let p = 0; c.state === "pending" && p < MAX_POLLS; p++) {
        if (p > 0) await step.sleep(`wait-${waits++}`, POLL_INTERVAL);
        c = await step.run(`confirm-reclaim-${r}-${p}`, () => checkReclaim(id));
      }
      if (c.state === "done") {
        await step.run("refresh-wallet", () => refreshWalletOfDelegation(id));
        return { delegationId: id, status: "reclaimed" };
      }
      if (c.state === "pending")
        throw new Error(`Undelegate for ${id} still pending after ${MAX_POLLS} polls`);
    }
    return step.run("give-up", () => reclaimGiveUp(id, MAX_RECLAIM_ROUNDS));
  },
);
