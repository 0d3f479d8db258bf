import { timingSafeEqual } from "node:crypto";
import type { Update } from "grammy/types";
import { z } from "zod";
import { getBot } from "@/lib/bot/bot";
import { processWebhookUpdate } from "@/lib/bot/webhook";
import { env } from "@/lib/env";
import { readBodyLimited } from "@/lib/http/body";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/**
 * POST /api/telegram — the bot's webhook. Thin on purpose: secret header (401 before anything
 * else), JSON body (400), then lib/bot/webhook (update_id processed once, grammY). The bot is
 * built on first request; importing this module needs no token (next build imports routes).
 * No token → 503 "bot disabled".
 */
/** Telegram updates are a few KiB; anything past 1 MiB is not one. */
const MAX_UPDATE_BYTES = 1024 * 1024;
const updateSchema = z.looseObject({ update_id: z.number().int().nonnegative() });

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

  let text: string;
  try {
    text = await readBodyLimited(req, MAX_UPDATE_BYTES);
  } catch {
    return new Response("update too large", { status: 413 });
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return new Response("malformed JSON", { status: 400 });
  }
  const parsed = updateSchema.safeParse(body);
  if (!parsed.success) return new Response("not a Telegram update", { status: 400 });
  return processWebhookUpdate(bot, parsed.data as Update, secret);
}
