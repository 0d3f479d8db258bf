import { afterEach, describe, expect, it } from "vitest";
import { reloadEnv } from "@/lib/env";
import { startFakeBotApi } from "./testing/fake-bot-api";
import { TEST_TOKEN } from "./testing/harness";
import { botUsername, resetBotUsername } from "./username";

/** The sign-in page names and links the bot even when only its token is configured. */
describe("botUsername", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    reloadEnv();
    resetBotUsername();
  });
  const set = (vars: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(vars)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    reloadEnv();
  };

  it("uses TELEGRAM_BOT_USERNAME when set, without asking Telegram", async () => {
    const api = await startFakeBotApi();
    try {
      set({
        TELEGRAM_BOT_TOKEN: TEST_TOKEN,
        TELEGRAM_BOT_USERNAME: "my_energy_bot",
        TELEGRAM_API_ROOT: api.url,
      });
      expect(await botUsername()).toBe("my_energy_bot");
      expect(api.of("getMe")).toHaveLength(0);
    } finally {
      await api.close();
    }
  });

  it("asks Telegram once (getMe) when only the token is set", async () => {
    const api = await startFakeBotApi();
    try {
      set({ TELEGRAM_BOT_TOKEN: TEST_TOKEN, TELEGRAM_BOT_USERNAME: undefined, TELEGRAM_API_ROOT: api.url });
      expect(await botUsername()).toBe("tron_energy_helper_bot");
      expect(await botUsername()).toBe("tron_energy_helper_bot");
      expect(api.of("getMe")).toHaveLength(1);
    } finally {
      await api.close();
    }
  });

  it("is null without a token, and null (not cached) while Telegram cannot be reached", async () => {
    set({ TELEGRAM_BOT_TOKEN: undefined, TELEGRAM_BOT_USERNAME: undefined });
    expect(await botUsername()).toBeNull();
    set({ TELEGRAM_BOT_TOKEN: TEST_TOKEN, TELEGRAM_API_ROOT: "http://127.0.0.1:1" });
    expect(await botUsername()).toBeNull();
    const api = await startFakeBotApi();
    try {
      set({ TELEGRAM_API_ROOT: api.url });
      resetBotUsername(); // the minute between retries has passed
      expect(await botUsername()).toBe("tron_energy_helper_bot");
    } finally {
      await api.close();
    }
  });
});
