import { Composer, InlineKeyboard } from "grammy";
import { createLoginLink } from "@/lib/auth/login-link";
import { cb } from "../callback-data";
import type { BotContext } from "../context";
import { clock } from "@/lib/format";
import { tr } from "../i18n";
import { show, toast } from "../ui";

/** A one-time portal sign-in link (10 minutes, single use), and the Mini App where configured. */
export const portalFeature = new Composer<BotContext>();

async function portalScreen(ctx: BotContext) {
  const l = ctx.locale;
  const link = await createLoginLink(ctx.user.id);
  const kb = new InlineKeyboard().url(tr(l, "btn-open-portal"), link.url);
  if (ctx.deps.miniAppUrl) kb.row().webApp(tr(l, "btn-miniapp"), ctx.deps.miniAppUrl);
  kb.row().text(tr(l, "btn-menu"), cb.menu.pack());
  return {
    text: tr(l, "portal-text", { time: clock(link.expiresAt, l, ctx.user.timezone) }),
    keyboard: kb,
  };
}

portalFeature.command(["portal", "login"], async (ctx) => {
  await show(ctx, await portalScreen(ctx), { fresh: true });
});

portalFeature.callbackQuery(cb.portal.filter, async (ctx) => {
  await toast(ctx);
  // A new message: the link is personal and expires; the menu stays where it was.
  await show(ctx, await portalScreen(ctx), { fresh: true });
});
