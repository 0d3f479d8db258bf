import { inngest } from "@/inngest/client";
import { packageEnded } from "@/inngest/events";
import { notifyPackageEnded } from "@/lib/bot/packages";

/** package/ended → the user's message in the bot (sent once per package). */
export const botPackageNotice = inngest.createFunction(
  {
    id: "bot-package-notice",
    name: "Bot: tell that a transfer package ended",
    triggers: [packageEnded],
    retries: 3,
  },
  async ({ event, step }) => step.run("notify", () => notifyPackageEnded(event.data.packageId)),
);
