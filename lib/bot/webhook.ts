import { type Bot, webhookCallback } from "grammy";
import type { Update } from "grammy/types";
import { logger } from "@/lib/log";
import type { BotContext } from "./context";
import { runClaimed } from "./prefetch";
import { claimUpdate, releaseUpdate } from "./updates";

/** Bot API methods sent back in the webhook reply instead of a call (results unused). */
export const WEBHOOK_REPLY_METHODS: ReadonlySet<string> = new Set(["answerCallbackQuery"]);

/**
 * Webhook replies are tiny: `no-transform` keeps Next from gzipping them (a compression stream per
 * request costs more CPU than the reply is worth) when the caller accepts gzip.
 */
function reply(body: string | null, status = 200): Response {
  const headers: Record<string, string> = { "cache-control": "no-transform" };
  if (body !== null) headers["content-type"] = "application/json";
  return new Response(body, { status, headers });
}

type Handler = (update: Update, respond: (json: string) => unknown, header: string) => Promise<unknown>;
let handler: { bot: object; fn: Handler } | null = null;

/**
 * One webhook update (the route has checked the secret and the shape): processed once by
 * update_id (a duplicate gets `{ ok, duplicate }`), then grammY's webhookCallback with the
 * "callback" adapter, which takes the update as already parsed. The first answerCallbackQuery
 * travels back in the HTTP reply (Telegram runs it; one Bot API call fewer); the reply is sent
 * when the update is fully handled. A failure forgets the id and answers 500, so Telegram retries.
 */
export async function processWebhookUpdate(
  bot: Bot<BotContext>,
  update: Update,
  secret: string,
): Promise<Response> {
  const claimed = await claimUpdate(update);
  if (!claimed) return reply(JSON.stringify({ ok: true, duplicate: true }));
  if (handler?.bot !== bot)
    handler = {
      bot,
      fn: webhookCallback(bot, "callback", { secretToken: secret, timeoutMilliseconds: 9_000 }),
    };
  const { fn } = handler;
  let answer: string | undefined;
  try {
    await runClaimed(claimed, () =>
      fn(
        update,
        (json) => {
          answer = json;
        },
        secret,
      ),
    );
  } catch (e) {
    logger.error(
      { updateId: update.update_id, err: e instanceof Error ? e.message : String(e) },
      "telegram update failed",
    );
    await releaseUpdate(update.update_id);
    return new Response("update failed", { status: 500 });
  }
  return reply(answer ?? null);
}
