import { eventType } from "inngest";
import { z } from "zod";

/** Someone (an operator, a test) wants the alert rules evaluated now, outside the cron. */
export const alertsEvaluateRequested = eventType("admin/alerts.evaluate-requested", {
  schema: z.object({ reason: z.string().max(200).optional() }),
});
