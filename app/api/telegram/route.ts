import { timingSafeEqual } from "node:crypto";
import { webhookCallback } from "grammy";
import { z } from "zod";
import { getBot } from "@/lib/bot/bot";
import { claimUpdate, releaseUpdate } from "@/lib/bot/updates";
import { env } from "@/lib/env";
import { logger } from "@/lib/log";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/**
 * POST /api/telegram — the bot's webhook. Thin on purpose: secret header (401 before anything
 * else), JSON body (400), update_id processed once (telegram_updates, pruned), then grammY's
 * webhookCallback ("std/http"). The bot is built on first request; importing this module needs no
 * token (next build imports routes). No token → 503 "bot disabled".
 */
const updateSchema = z.looseObject({ update_id: z.number().int().nonnegative() });

type Handler = (req: Request) => Promise<Response>;
let handler: { bot: object; fn: Handler } | null = null;

function secretMatches(given: string | null, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function POST(req: Request): Promise<Response> {
  const bot = getBot();
  if (!bot) return new Response("bot disabled", { status: 503 });
  const secret = env.TELEGRAM_WEBHOOK_SECRET;
  if (!secret) return new Response("webhook secret not configured", { status: 503 });
  if (!secretMatches(req.headers.get("x-telegram-bot-api-secret-token"), secret))
    return new Response("unauthorized", { status: 401 });

  let body: unknown;
  try {
    body = JSON.parse(await req.text());
  } catch {
    return new Response("malformed JSON", { status: 400 });
  }
  const parsed = updateSchema.safeParse(body);
  if (!parsed.success) return new Response("not a Telegram update", { status: 400 });
  const updateId = parsed.data.update_id;

  if (!(await claimUpdate(updateId))) return Response.json({ ok: true, duplicate: true });

  if (handler?.bot !== bot)
    handler = {
      bot,
      fn: webhookCallback(bot, "std/http", { secretToken: secret, timeoutMilliseconds: 9_000 }),
    };
  try {
    return await handler.fn(
      new Request(req.url, {
        method: "POST",
        headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": secret },
        body: JSON.stringify(body),
      }),
    );
  } catch (e) {
    // Not processed: forget the id so Telegram's retry is handled.
    logger.error({ updateId, err: e instanceof Error ? e.message : String(e) }, "telegram update failed");
    await releaseUpdate(updateId);
    return new Response("update failed", { status: 500 });
  }
}
