import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { rateLimits } from "@/db/schema";
import { tr } from "./i18n";
import { BOT_RATE_LIMIT, botLimitKey } from "./rate-limit";
import { textUpdate } from "./testing/fake-bot-api";
import { newTgUser, startHarness } from "./testing/harness";
import { processWebhookUpdate } from "./webhook";

/** Two bots stand for two app processes behind one webhook URL: each update reaches one of them. */
describe("the bot's per-user rate limit", () => {
  it("is shared by every process: updates spread over two bots hit the limit at the same count as on one", async () => {
    const a = await startHarness({ rateLimit: { limit: 2, timeFrame: 60_000 } });
    const b = await startHarness({ rateLimit: { limit: 2, timeFrame: 60_000 } });
    try {
      const from = newTgUser();
      await a.text(from, "/start");
      await b.text(from, "/start");
      a.api.clear();
      await a.text(from, "/start");
      const sent = a.api.of("sendMessage");
      expect(sent).toHaveLength(1);
      expect(sent[0].body.text).toBe(tr("en", "rate-limited"));
      // Over the limit the update is dropped silently on the other process too (told once).
      b.api.clear();
      await b.text(from, "/start");
      expect(b.api.calls).toHaveLength(0);
      // Another user is not affected.
      await b.text(newTgUser(), "/start");
      expect(b.api.of("sendMessage").map((c) => c.body.text)).not.toContain(tr("en", "rate-limited"));
    } finally {
      await a.close();
      await b.close();
    }
  });

  it("a new window starts when the time frame has passed", async () => {
    const a = await startHarness({ rateLimit: { limit: 1, timeFrame: 400 } });
    const b = await startHarness({ rateLimit: { limit: 1, timeFrame: 400 } });
    try {
      const from = newTgUser();
      await a.text(from, "/start");
      b.api.clear();
      await b.text(from, "/start");
      expect(b.api.of("sendMessage").map((c) => c.body.text)).toEqual([tr("en", "rate-limited")]);
      await new Promise((r) => setTimeout(r, 500));
      b.api.clear();
      await b.text(from, "/start");
      const texts = b.api.of("sendMessage").map((c) => c.body.text);
      expect(texts).toHaveLength(1);
      expect(texts[0]).not.toBe(tr("en", "rate-limited"));
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe("the bot's per-user limit on webhook updates", () => {
  const stored = async (telegramId: number) => {
    const db = await getDb();
    const [row] = await db
      .select()
      .from(rateLimits)
      .where(eq(rateLimits.key, botLimitKey(telegramId)));
    return row?.points ?? 0;
  };

  it("is counted once per update, with its claim; a redelivered update is not counted", async () => {
    const a = await startHarness({ rateLimit: BOT_RATE_LIMIT });
    const b = await startHarness({ rateLimit: BOT_RATE_LIMIT });
    try {
      const from = newTgUser();
      const first = textUpdate(from, "/help");
      expect((await processWebhookUpdate(a.bot, first as never, "s")).status).toBe(200);
      expect(await stored(from.id)).toBe(1);
      // Telegram's retry of the same update, on the other process: a duplicate, not a hit.
      await processWebhookUpdate(b.bot, first as never, "s");
      expect(await stored(from.id)).toBe(1);
      for (let i = 0; i < 4; i++)
        await processWebhookUpdate(i % 2 ? a.bot : b.bot, textUpdate(from, "/help") as never, "s");
      expect(await stored(from.id)).toBe(5);
      const limited = [...a.api.of("sendMessage"), ...b.api.of("sendMessage")].map((c) => c.body.text);
      expect(limited).toHaveLength(5);
      expect(limited).not.toContain(tr("en", "rate-limited"));
      a.api.clear();
      await processWebhookUpdate(a.bot, textUpdate(from, "/help") as never, "s");
      expect(a.api.of("sendMessage").map((c) => c.body.text)).toEqual([tr("en", "rate-limited")]);
      expect(await stored(from.id)).toBe(6);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
