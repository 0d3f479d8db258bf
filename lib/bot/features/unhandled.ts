import { Composer } from "grammy";
import type { BotContext } from "../context";
import { tr } from "../i18n";
import { toast } from "../ui";
import { showMenu } from "./start";

/** Last: stale buttons and unknown text get a friendly answer and the menu. */
export const unhandledFeature = new Composer<BotContext>();

unhandledFeature.on("callback_query", async (ctx) => {
  await toast(ctx, tr(ctx.locale, "toast-outdated"));
  ctx.session.step = undefined;
  if (ctx.callbackQuery.message) await showMenu(ctx);
});

unhandledFeature.on("message", async (ctx) => {
  const step = ctx.session.step;
  if (step && ctx.message.text?.startsWith("/")) ctx.session.step = undefined;
  await ctx.reply(tr(ctx.locale, "unknown-input"));
  await showMenu(ctx, { fresh: true });
});
