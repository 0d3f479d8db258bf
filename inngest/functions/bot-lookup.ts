import { inngest } from "@/inngest/client";
import { botLookupRequested } from "@/inngest/events";
import { finishLookup } from "@/lib/bot/lookup-job";

/** Finishes a slow bot look-up: reads the account (with the TronScan fallback) and edits the message. */
export const botLookup = inngest.createFunction(
  {
    id: "bot-lookup",
    name: "Bot: finish a slow address look-up",
    triggers: [botLookupRequested],
    retries: 2,
  },
  async ({ event, step }) => step.run("lookup-and-edit", () => finishLookup(event.data)),
);
