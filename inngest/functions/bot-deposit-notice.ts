import { inngest } from "@/inngest/client";
import { depositCredited, depositSeen } from "@/inngest/events";
import { renderDepositChange } from "@/lib/bot/notices";

/**
 * deposit/seen, deposit/credited → the user's deposit message ("incoming", then "credited"). The
 * message record kept per deposit keeps a retry or a repeated event from sending it twice.
 */
export const botDepositNotice = inngest.createFunction(
  {
    id: "bot-deposit-notice",
    name: "Bot: tell the user about a deposit",
    triggers: [depositSeen, depositCredited],
    concurrency: [{ key: "event.data.depositId", limit: 1 }],
    retries: 3,
  },
  async ({ event, step }) =>
    step.run("notify", () =>
      renderDepositChange(event.data.depositId, event.name === depositCredited.name ? "credited" : "seen"),
    ),
);
