import { Composer, InlineKeyboard } from "grammy";
import { isAppError } from "@/lib/errors";
import { isTronAddress, parseAddress } from "@/lib/tron/address";
import { getWallet, listWallets } from "@/lib/wallets";
import { type Looked, lookupAccount } from "../chain";
import { lookupKeyboard, lookupOrSlow, lookupText, requestLookup } from "../lookup-job";
import { cb } from "../callback-data";
import { code } from "../format";
import type { BotContext } from "../context";
import { addressReason } from "../errors";
import { tr } from "../i18n";
import { show, toast } from "../ui";
import { walletButtonLabel } from "../views";

/** Balance / resources look-up for a saved wallet or a pasted address. */
export const balanceFeature = new Composer<BotContext>();

/** Shows the look-up card for `address`; a slow chain read is finished by Inngest. */
async function showLookup(ctx: BotContext, address: string) {
  const l = ctx.locale;
  ctx.session.lookup = address;
  const keyboard = lookupKeyboard(l);
  const r = await lookupOrSlow(address);
  if (r !== "slow") return show(ctx, { text: lookupText(l, ctx.user.timezone, address, r), keyboard });
  const messageId = await show(ctx, {
    text: `<b>${tr(l, "lookup-title")}</b>\n${code(address)}\n\n⏳ ${tr(l, "lookup-loading")}`,
    keyboard,
  });
  const chatId = ctx.chat?.id;
  if (messageId && chatId && (await requestLookup({ chatId, messageId, userId: ctx.user.id, address })))
    return;
  // Inngest unreachable: finish here.
  let full: Looked | Error;
  try {
    full = await lookupAccount(address);
  } catch (e) {
    if (!isAppError(e)) throw e;
    full = e;
  }
  await show(ctx, { text: lookupText(l, ctx.user.timezone, address, full), keyboard });
}

balanceFeature.callbackQuery(cb.lookup.filter, async (ctx) => {
  const l = ctx.locale;
  ctx.session.step = { kind: "lookup" };
  const ws = await listWallets(ctx.user.id);
  const kb = new InlineKeyboard();
  for (const w of ws) kb.text(`🔍 ${walletButtonLabel(w)}`, cb.lookupWallet.pack(w.id)).row();
  kb.text(tr(l, "btn-cancel"), cb.menu.pack());
  await toast(ctx);
  await show(ctx, { text: tr(l, "lookup-prompt"), keyboard: kb });
});

balanceFeature.callbackQuery(cb.lookupWallet.filter, async (ctx) => {
  const id = Number(cb.lookupWallet.unpack(ctx.callbackQuery.data)?.id);
  let address: string;
  try {
    address = (await getWallet({ userId: ctx.user.id, walletId: id })).address;
  } catch {
    await toast(ctx, tr(ctx.locale, "toast-wallet-gone"));
    return;
  }
  ctx.session.step = undefined;
  await toast(ctx);
  await showLookup(ctx, address);
});

balanceFeature.command(["balance", "lookup"], async (ctx) => {
  const arg = ctx.match?.trim();
  if (!arg) {
    ctx.session.step = { kind: "lookup" };
    return ctx.reply(tr(ctx.locale, "lookup-prompt"), { parse_mode: "HTML" });
  }
  try {
    await showLookup(ctx, parseAddress(arg));
  } catch (e) {
    const reason = addressReason(ctx.locale, e);
    if (!reason) throw e;
    await ctx.reply(`⚠️ ${reason}`);
  }
});

balanceFeature.on("message:text").filter(
  (ctx) => ctx.session.step?.kind === "lookup" && !ctx.message.text.startsWith("/"),
  async (ctx) => {
    let address: string;
    try {
      address = parseAddress(ctx.message.text);
    } catch (e) {
      const reason = addressReason(ctx.locale, e);
      if (!reason) throw e;
      await ctx.reply(`⚠️ ${reason}`, {
        reply_markup: new InlineKeyboard().text(tr(ctx.locale, "btn-cancel"), cb.menu.pack()),
      });
      return;
    }
    ctx.session.step = undefined;
    await showLookup(ctx, address);
  },
);

// Shortcut: a pasted address with nothing pending gets the look-up card.
balanceFeature.on("message:text").filter(
  (ctx) => !ctx.session.step && isTronAddress(ctx.message.text.trim()),
  async (ctx) => {
    await showLookup(ctx, parseAddress(ctx.message.text));
  },
);
