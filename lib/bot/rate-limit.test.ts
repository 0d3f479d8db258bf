import { describe, expect, it } from "vitest";
import { tr } from "./i18n";
import { newTgUser, startHarness } from "./testing/harness";

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
