import type { Bot } from "grammy";
import { createBot } from "../bot";
import type { BotContext } from "../context";
import { clearNotifier } from "../notifier";
import { callbackUpdate, type FakeBotApi, startFakeBotApi, type TgUser, textUpdate } from "./fake-bot-api";

/** A bot wired to a fake Bot API, for tests and the demo. Not used by the app. */
export const TEST_TOKEN = "123456:TEST-token-for-the-fake-bot-api";

export type Harness = {
  api: FakeBotApi;
  bot: Bot<BotContext>;
  text: (from: TgUser, text: string) => Promise<void>;
  tap: (from: TgUser, data: string, messageId?: number) => Promise<void>;
  close: () => Promise<void>;
};

/** A sent or edited message's inline buttons, in order, as [label, callback data]. */
export function buttonsOf(body: Record<string, unknown>): [string, string | undefined][] {
  const kb = (body.reply_markup as { inline_keyboard: { text: string; callback_data?: string }[][] })
    .inline_keyboard;
  return kb.flat().map((b) => [b.text, b.callback_data]);
}

let nextTgId = 7_000_000_000 + Math.floor(Math.random() * 1_000_000_000);
export const newTgUser = (language_code = "en"): TgUser => ({
  id: ++nextTgId,
  first_name: "Tester",
  language_code,
});

export async function startHarness(
  opts: { rateLimit?: { limit: number; timeFrame: number } } = {},
): Promise<Harness> {
  const api = await startFakeBotApi();
  const bot = createBot({
    token: TEST_TOKEN,
    apiRoot: api.url,
    deps: { appUrl: "http://localhost:3000", miniAppUrl: null, supportUrl: null },
    rateLimit: opts.rateLimit ?? { limit: 1000, timeFrame: 1000 },
  });
  return {
    api,
    bot,
    text: (from, text) => bot.handleUpdate(textUpdate(from, text) as never),
    tap: (from, data, messageId = 1) =>
      bot.handleUpdate(callbackUpdate(from, data, { message_id: messageId }) as never),
    close: async () => {
      clearNotifier();
      await api.close();
    },
  };
}
