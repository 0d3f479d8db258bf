import { inngest } from "@/inngest/client";
import { orderPaid } from "@/inngest/events";
import {
  broadcastPart,
  checkPart,
  finishOrder,
  fulfilmentGaveUp,
  MAX_PLAN_ATTEMPTS,
  MAX_POLLS,
  MAX_RESIGNS,
  type PartState,
  POLL_INTERVAL,
  planOrder,
  refreshWallets,
  resignPart,
  signPart,
  startFulfilment,
  walletsOfOrder,
} from "@/lib/orders/fulfil";

/**
 * order/paid → plan → sign + store → broadcast → confirm (poll with step.sleep; an expired tx is
 * re-signed on a fresh block) → active. A chain refusal fails that part, refreshes its wallet and
 * re-plans elsewhere; when the retries are spent the order is failed and refunded once. All state
 * lives in the database, so a duplicate event, a sweep re-send or a crashed run resumes the same work.
 * Sleep step ids are `wait-<n>` (n counts up within a run).
 */
export const fulfilOrder = inngest.createFunction(
  {
    id: "fulfil-order",
    name: "Fulfil order",
    triggers: [orderPaid],
    concurrency: [{ key: "event.data.orderId", limit: 1 }],
    retries: 5,
    onFailure: async ({ event, error }) => {
      const { orderId } = event.data.event.data as { orderId: number };
      await fulfilmentGaveUp(orderId, error.message);
    },
  },
  async ({ event, step }) => {
    const orderId = event.data.orderId;
    const start = await step.run("start", () => startFulfilment(orderId));
    if (!start.proceed) return { orderId, status: start.status, skipped: true };
    let waits = 0;
    const excluded: number[] = [];
    let lastReason = "no capacity";
    for (let attempt = 0; attempt < MAX_PLAN_ATTEMPTS; attempt++) {
      const plan = await step.run(`plan-${attempt}`, () => planOrder(orderId, excluded));
      if (plan.parts.length === 0) break;
      const failedWallets: number[] = [];
      for (const id of plan.parts) {
        // One part: a small state machine over memoized steps. `r` counts signed txs, `k` steps.
        let r = 0;
        let k = 0;
        let s: PartState = await step.run(`sign-${id}-0`, () => signPart(id));
        while (s.state !== "confirmed" && s.state !== "failed") {
          if (k > MAX_POLLS) throw new Error(`Delegation ${id} not settled after ${MAX_POLLS} polls`);
          if (s.state === "signed") s = await step.run(`broadcast-${id}-${r}`, () => broadcastPart(id));
          else if (s.state === "sent") s = await step.run(`confirm-${id}-${r}-${k++}`, () => checkPart(id));
          else if (s.state === "pending") {
            await step.sleep(`wait-${waits++}`, POLL_INTERVAL);
            s = await step.run(`confirm-${id}-${r}-${k++}`, () => checkPart(id));
          } else if (s.state === "expired") {
            const giveUp = r >= MAX_RESIGNS - 1;
            s = await step.run(`resign-${id}-${r}-${k++}`, () => resignPart(id, giveUp));
          } else if (s.state === "resign") {
            r++;
            k = 0;
            s = await step.run(`sign-${id}-${r}`, () => signPart(id));
          }
        }
        if (s.state === "failed") {
          failedWallets.push(s.walletId);
          lastReason = `chain refused: ${s.kind}`;
        }
      }
      if (failedWallets.length === 0) break;
      excluded.push(...failedWallets);
      await step.run(`refresh-failed-${attempt}`, () => refreshWallets(failedWallets));
    }
    const finish = await step.run("finish", () => finishOrder(orderId, lastReason));
    await step.run("refresh-pool", async () => refreshWallets(await walletsOfOrder(orderId)));
    return { orderId, ...finish };
  },
);
