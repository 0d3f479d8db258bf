import { cron } from "inngest";
import { inngest } from "@/inngest/client";
import { sendEvents } from "@/lib/events";
import { delegationExpiredEvent, findDueDelegations } from "@/lib/orders/reclaim";

/** Every minute: delegations past their expiry (chain clock) → one delegation/expired each. */
export const sweepExpired = inngest.createFunction(
  { id: "sweep-expired", name: "Sweep expired delegations", triggers: [cron("* * * * *")] },
  async ({ step }) => {
    const due = await step.run("find-due", () => findDueDelegations());
    if (due.ids.length === 0) return { sent: 0 };
    const ok = await step.run("send-expired", () =>
      sendEvents(due.ids.map((id) => delegationExpiredEvent(id, due.bucket))),
    );
    if (!ok) throw new Error("Could not send delegation/expired events");
    return { sent: due.ids.length, ids: due.ids };
  },
);
