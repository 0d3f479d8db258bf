import { cron } from "inngest";
import { inngest } from "@/inngest/client";
import { alertsEvaluateRequested } from "@/inngest/events";
import { evaluateAlertRules, notifyNewAlerts } from "@/lib/admin/alert-rules";

/** Every minute (and on request): evaluate the monitoring rules, then tell the admin chat about new alerts. */
export const evaluateAlerts = inngest.createFunction(
  {
    id: "evaluate-alerts",
    name: "Evaluate monitoring alerts",
    triggers: [cron("* * * * *"), alertsEvaluateRequested],
    concurrency: [{ limit: 1 }],
  },
  async ({ step }) => {
    const result = await step.run("evaluate-rules", () => evaluateAlertRules());
    const notified = await step.run("notify-admin-chat", () => notifyNewAlerts());
    return { ...result, ...notified };
  },
);
