import { Api } from "grammy";
import { env } from "@/lib/env";
import type { BotDeps } from "./context";

/**
 * The Bot API client the order/deposit notices (lib/bot/notices.ts) use to edit and send messages.
 * The bot registers its own (`createBot`); a process that has not built a bot (an Inngest worker)
 * gets one from env.
 */
let current: { api: Api; deps: BotDeps } | null = null;

export function setNotifierApi(api: Api, deps: BotDeps): void {
  current = { api, deps };
}

export function clearNotifier(): void {
  current = null;
}

export function getNotifier(): { api: Api; deps: BotDeps } | null {
  if (current) return current;
  if (!env.TELEGRAM_BOT_TOKEN) return null;
  current = {
    api: new Api(env.TELEGRAM_BOT_TOKEN, { apiRoot: env.TELEGRAM_API_ROOT }),
    deps: { appUrl: env.APP_URL, miniAppUrl: null, supportUrl: env.SUPPORT_URL ?? null },
  };
  return current;
}
