import { Composer, InlineKeyboard } from "grammy";
import { getDb } from "@/db";
import { getBurnPrice } from "@/lib/pricing";
import { findReferrerByCode, inviteCodeOf, looksLikeInvite } from "@/lib/referrals";
import { getSettings } from "@/lib/settings";
import { isSupplier } from "@/lib/suppliers";
import { getBalanceAndDefaultWallet } from "@/lib/wallets";
import { cb } from "../callback-data";
import type { BotContext } from "../context";
import { trx } from "@/lib/format";
import { tr } from "../i18n";
import { show, toast } from "../ui";
import { prefetchedMenu } from "../prefetch";
import { mainMenu } from "../views";

/** /start, /help, /menu and the main menu. */
export const startFeature = new Composer<BotContext>();

type MenuOpts = {
  /** Edit in place from a button (default), or send a new message. */
  fresh?: boolean;
  /**
   * Nothing in this update changed the balance or the wallets: the values read with the update's
   * claim are used (one round trip fewer) when there are any.
   */
  unchanged?: boolean;
};

async function menuScreen(ctx: BotContext, opts: MenuOpts = {}) {
  const pre = opts.unchanged ? prefetchedMenu(ctx.user.id) : undefined;
  const [{ balanceSun, defaultWallet, supplier }, settings] = await Promise.all([
    pre ??
      Promise.all([getBalanceAndDefaultWallet(ctx.user.id), isSupplier(ctx.user.id)]).then(
        ([b, supplier]) => ({
          ...b,
          supplier,
        }),
      ),
    getSettings(),
  ]);
  const { burnPriceSun } = await getBurnPrice(settings);
  return mainMenu(ctx.locale, {
    balanceSun,
    defaultWallet,
    supplier,
    settings,
    burnPriceSun,
    miniAppUrl: ctx.deps.miniAppUrl,
  });
}

/** Shows the menu (edit in place from a button, new message otherwise). */
export async function showMenu(ctx: BotContext, opts: MenuOpts = {}) {
  ctx.session.step = undefined;
  return show(ctx, await menuScreen(ctx, opts), opts);
}

/**
 * What the menu says first when /start carried an invite link (`ref_<code>`): the account was
 * referred, the link is not valid, the account already existed (referrals count only on first
 * contact), or it is the user's own link. Null for any other /start.
 */
async function inviteNote(ctx: BotContext): Promise<string | null> {
  const param = typeof ctx.match === "string" ? ctx.match.trim() : "";
  if (!looksLikeInvite(param)) return null;
  const l = ctx.locale;
  if (ctx.userCreated) return tr(l, ctx.user.referredByUserId ? "start-ref-welcome" : "start-ref-invalid");
  const code = inviteCodeOf(param);
  if (code && code === ctx.user.referralCode) return tr(l, "start-ref-self");
  const referrer = await findReferrerByCode(await getDb(), code);
  return tr(l, referrer?.status === "active" ? "start-ref-existing" : "start-ref-invalid");
}

startFeature.command("start", async (ctx) => {
  const note = await inviteNote(ctx);
  if (!note) return showMenu(ctx, { fresh: true, unchanged: true });
  ctx.session.step = undefined;
  const menu = await menuScreen(ctx, { unchanged: true });
  await show(ctx, { ...menu, text: `${note}\n\n${menu.text}` }, { fresh: true });
});

startFeature.command("menu", (ctx) => showMenu(ctx, { fresh: true, unchanged: true }));

async function helpScreen(ctx: BotContext) {
  const l = ctx.locale;
  const s = await getSettings();
  const { burnPriceSun } = await getBurnPrice(s);
  const kb = new InlineKeyboard().url(tr(l, "btn-portal-web"), ctx.deps.appUrl);
  if (ctx.deps.supportUrl) kb.url(tr(l, "btn-support"), ctx.deps.supportUrl);
  kb.row().text(tr(l, "btn-menu"), cb.menu.pack());
  const text = tr(l, "help-text", {
    holder: trx(BigInt(s.usdtEnergyHolder) * burnPriceSun),
    empty: trx(BigInt(s.usdtEnergyEmpty) * burnPriceSun),
  });
  return { text, keyboard: kb };
}

startFeature.command("help", async (ctx) => {
  await show(ctx, await helpScreen(ctx), { fresh: true });
});

startFeature.callbackQuery(cb.menu.filter, async (ctx) => {
  await toast(ctx);
  await showMenu(ctx, { unchanged: true });
});

startFeature.callbackQuery(cb.help.filter, async (ctx) => {
  await toast(ctx);
  await show(ctx, await helpScreen(ctx));
});

startFeature.callbackQuery(cb.cancelInput.filter, async (ctx) => {
  await toast(ctx, tr(ctx.locale, "toast-cancelled"));
  await showMenu(ctx, { unchanged: true });
});

startFeature.command("cancel", async (ctx) => {
  await showMenu(ctx, { fresh: true, unchanged: true });
});
