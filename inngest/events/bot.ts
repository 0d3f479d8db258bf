import { eventType } from "inngest";
import { z } from "zod";

/**
 * The bot answered a look-up with "⏳ Looking up…" because the chain was slow; finish it and edit
 * that message (the webhook never waits on a slow provider).
 */
export const botLookupRequested = eventType("bot/lookup.requested", {
  schema: z.object({
    chatId: z.number().int(),
    messageId: z.number().int().positive(),
    userId: z.number().int().positive(),
    address: z.string().min(20).max(64),
  }),
});
