import { GrammyError, InlineKeyboard } from "grammy";
import type { BotContext } from "./context";

/** "message is not modified" means the screen already shows this: success. */
export function isNotModified(e: unknown): boolean {
  return e instanceof GrammyError && /message is not modified/i.test(e.description);
}

export type Screen = { text: string; keyboard?: InlineKeyboard };

/**
 * Shows a screen: edits the message the tapped button belongs to (navigation edits in place),
 * or sends a new message when the user typed something. Returns the message id shown.
 */
export async function show(
  ctx: BotContext,
  screen: Screen,
  opts: { fresh?: boolean } = {},
): Promise<number | undefined> {
  const msg = ctx.callbackQuery?.message;
  const other = {
    parse_mode: "HTML" as const,
    reply_markup: screen.keyboard,
    link_preview_options: { is_disabled: true },
  };
  if (msg && !opts.fresh && "text" in msg && msg.text !== undefined) {
    try {
      await ctx.api.editMessageText(msg.chat.id, msg.message_id, screen.text, other);
    } catch (e) {
      if (!isNotModified(e)) throw e;
    }
    return msg.message_id;
  }
  const sent = await ctx.reply(screen.text, other);
  return sent.message_id;
}

/** Answers the tapped button (a toast, or an alert when the user must act). Safe to call twice. */
export async function toast(ctx: BotContext, text?: string, alert = false): Promise<void> {
  if (!ctx.callbackQuery) return;
  await ctx.answerCallbackQuery(text ? { text: text.slice(0, 200), show_alert: alert } : undefined);
}

/** Asks before an irreversible step: answers the tap, then shows `text` with a yes and a no button. */
export async function confirmScreen(
  ctx: BotContext,
  text: string,
  yes: { label: string; data: string },
  no: { label: string; data: string },
): Promise<void> {
  await toast(ctx);
  await show(ctx, { text, keyboard: new InlineKeyboard().text(yes.label, yes.data).text(no.label, no.data) });
}
