import { Api } from "grammy";
import { env } from "@/lib/env";
import { logger } from "@/lib/log";

/**
 * The bot's @username, for pages that name or link the bot (sign-in): TELEGRAM_BOT_USERNAME, or,
 * when only the token is set, the username Telegram reports (getMe), asked once and kept. Null
 * without a bot token. A failed look-up is retried after a minute, never cached.
 */
let known: { token: string; username: string } | null = null;
let failedAt = 0;

export async function botUsername(): Promise<string | null> {
  if (env.TELEGRAM_BOT_USERNAME) return env.TELEGRAM_BOT_USERNAME;
  const token = env.TELEGRAM_BOT_TOKEN;
  if (!token) return null;
  if (known?.token === token) return known.username;
  if (Date.now() - failedAt < 60_000) return null;
  try {
    const me = await new Api(token, { apiRoot: env.TELEGRAM_API_ROOT, timeoutSeconds: 3 }).getMe();
    known = { token, username: me.username };
    return me.username;
  } catch (e) {
    failedAt = Date.now();
    logger.warn(
      { err: e instanceof Error ? e.message : String(e) },
      "could not ask Telegram for the bot's username",
    );
    return null;
  }
}

/** Tests: forget the looked-up username. */
export function resetBotUsername(): void {
  known = null;
  failedAt = 0;
}
