import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reloadEnv } from "@/lib/env";
import { shutdownSteps } from "@/lib/lifecycle";
import { resetBot } from "./bot";
import { acquirePollingLock, PollingTakenError, startPolling, stopPolling } from "./polling";
import { type FakeBotApi, startFakeBotApi, textUpdate } from "./testing/fake-bot-api";
import { newTgUser, TEST_TOKEN } from "./testing/harness";

/** Long polling (TELEGRAM_MODE=polling) against a fake Bot API, and its stop on shutdown. */
let api: FakeBotApi;
const saved = { ...process.env };
beforeAll(async () => {
  api = await startFakeBotApi();
  Object.assign(process.env, {
    TELEGRAM_BOT_TOKEN: TEST_TOKEN,
    TELEGRAM_API_ROOT: api.url,
    TELEGRAM_MODE: "polling",
  });
  reloadEnv();
  resetBot();
});
afterAll(async () => {
  await stopPolling();
  process.env = { ...saved };
  reloadEnv();
  resetBot();
  await api?.close();
});

const until = async (what: () => boolean, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!what()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe("bot long polling", () => {
  it("handles updates, registers its shutdown step, and on shutdown stops fetching and resolves", async () => {
    let stopped = false;
    const polling = startPolling().then(() => {
      stopped = true;
    });
    await until(() => api.of("getUpdates").length > 0);
    expect(shutdownSteps()).toContain("telegram polling");

    const from = newTgUser();
    const { update_id: _, ...update } = textUpdate(from, "/start");
    api.pushUpdate(update);
    await until(() => api.of("sendMessage").some((c) => Number(c.body.chat_id) === from.id));

    await stopPolling();
    await polling;
    expect(stopped).toBe(true);
    expect(shutdownSteps()).not.toContain("telegram polling");
    const fetched = api.of("getUpdates").length;
    await new Promise((r) => setTimeout(r, 300));
    expect(api.of("getUpdates").length).toBe(fetched);
  });

  it("a second process that would poll the same bot is refused before it fetches anything", async () => {
    // The first poller (another process: its lock is held on a connection of its own).
    const first = await acquirePollingLock(0);
    try {
      const before = api.of("getUpdates").length;
      const e = await startPolling({ lockWaitMs: 300 }).then(
        () => null,
        (err: unknown) => err,
      );
      expect(e).toBeInstanceOf(PollingTakenError);
      expect((e as Error).message).toMatch(/TELEGRAM_MODE=webhook/);
      expect(shutdownSteps()).not.toContain("telegram polling");
      await new Promise((r) => setTimeout(r, 100));
      expect(api.of("getUpdates").length).toBe(before);
      await expect(acquirePollingLock(0)).rejects.toBeInstanceOf(PollingTakenError);
    } finally {
      await first();
    }
    // Once the first poller is gone the lock is free again.
    const again = await acquirePollingLock(0);
    await again();
  });
});
