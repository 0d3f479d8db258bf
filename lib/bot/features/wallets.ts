import { Composer, InlineKeyboard } from "grammy";
import { isAppError } from "@/lib/errors";
import { shortAddress } from "@/lib/tron/address";
import {
  addWallet,
  getWallet,
  listWallets,
  MAX_WALLETS,
  removeWallet,
  renameWallet,
  setDefaultWallet,
  type UserWallet,
} from "@/lib/wallets";
import { lookupAccount } from "../chain";
import { cb } from "../callback-data";
import type { BotContext } from "../context";
import { addressReason } from "../errors";
import { code, esc } from "../format";
import { tr } from "../i18n";
import { confirmScreen, show, toast } from "../ui";
import { accountCard, walletButtonLabel } from "../views";
import { showMenu } from "./start";

/** Saved wallets: list, card, add (address, then optional label), rename, default, remove. */
export const walletsFeature = new Composer<BotContext>();

async function listScreen(ctx: BotContext) {
  const l = ctx.locale;
  const ws = await listWallets(ctx.user.id);
  const kb = new InlineKeyboard();
  for (const w of ws) kb.text(walletButtonLabel(w), cb.walletOpen.pack(w.id)).row();
  if (ws.length < MAX_WALLETS) kb.text(tr(l, "btn-add-wallet"), cb.walletAdd.pack());
  kb.text(tr(l, "btn-back"), cb.menu.pack());
  const text = ws.length
    ? tr(l, "bot-wallets-title", { count: String(ws.length), max: String(MAX_WALLETS) })
    : tr(l, "bot-wallets-empty");
  return { text, keyboard: kb };
}

async function showWallets(ctx: BotContext) {
  ctx.session.step = undefined;
  return show(ctx, await listScreen(ctx));
}

async function cardScreen(ctx: BotContext, w: UserWallet) {
  const l = ctx.locale;
  const title = `👛 ${esc(w.label ? w.label : shortAddress(w.address))}${w.isDefault ? " ⭐" : ""}`;
  let text: string;
  try {
    text = accountCard(l, ctx.user.timezone, await lookupAccount(w.address), { title });
  } catch (e) {
    if (!isAppError(e)) throw e;
    text = `<b>${title}</b>\n${code(w.address)}\n\n⚠️ ${tr(l, "err-chain")}`;
  }
  const kb = new InlineKeyboard()
    .text(tr(l, "btn-rent-for-this"), cb.rentFor.pack(w.id))
    .text("🔄", cb.walletOpen.pack(w.id))
    .row()
    .text(tr(l, "btn-rename"), cb.walletRename.pack(w.id));
  if (!w.isDefault) kb.text(tr(l, "btn-make-default"), cb.walletDefault.pack(w.id));
  kb.row()
    .text(tr(l, "btn-remove"), cb.walletRemove.pack(w.id))
    .row()
    .text(tr(l, "btn-back"), cb.wallets.pack());
  return { text, keyboard: kb };
}

/** Loads a wallet a button refers to; a removed one is answered with what changed. */
async function walletOrStale(ctx: BotContext, id: string | undefined): Promise<UserWallet | null> {
  const walletId = Number(id);
  try {
    if (!Number.isSafeInteger(walletId) || walletId <= 0) throw new Error("bad id");
    return await getWallet({ userId: ctx.user.id, walletId });
  } catch {
    await toast(ctx, tr(ctx.locale, "toast-wallet-gone"));
    await showWallets(ctx);
    return null;
  }
}

walletsFeature.command("wallets", async (ctx) => {
  ctx.session.step = undefined;
  await show(ctx, await listScreen(ctx), { fresh: true });
});

walletsFeature.callbackQuery(cb.wallets.filter, async (ctx) => {
  await toast(ctx);
  await showWallets(ctx);
});

walletsFeature.callbackQuery(cb.walletOpen.filter, async (ctx) => {
  const w = await walletOrStale(ctx, cb.walletOpen.unpack(ctx.callbackQuery.data)?.id);
  if (!w) return;
  await toast(ctx);
  await show(ctx, await cardScreen(ctx, w));
});

function addPrompt(ctx: BotContext) {
  return {
    text: tr(ctx.locale, "wallet-add-prompt"),
    keyboard: new InlineKeyboard().text(tr(ctx.locale, "btn-cancel"), cb.wallets.pack()),
  };
}

walletsFeature.callbackQuery(cb.walletAdd.filter, async (ctx) => {
  const ws = await listWallets(ctx.user.id);
  if (ws.length >= MAX_WALLETS) {
    await toast(ctx, tr(ctx.locale, "wallet-limit", { max: String(MAX_WALLETS) }), true);
    return;
  }
  ctx.session.step = { kind: "wallet_address" };
  await toast(ctx);
  await show(ctx, addPrompt(ctx));
});

/** Saves an address for the user and asks for an optional label. Returns false when refused. */
async function saveWallet(ctx: BotContext, address: string, label?: string | null): Promise<boolean> {
  const l = ctx.locale;
  try {
    const w = await addWallet({ userId: ctx.user.id, address, label: label ?? null });
    if (label) {
      ctx.session.step = undefined;
      await ctx.reply(tr(l, "wallet-saved", { address: code(w.address) }), {
        parse_mode: "HTML",
        reply_markup: (await listScreen(ctx)).keyboard,
      });
    } else {
      ctx.session.step = { kind: "wallet_label", walletId: w.id };
      await ctx.reply(tr(l, "wallet-saved-label", { address: code(w.address) }), {
        parse_mode: "HTML",
        reply_markup: new InlineKeyboard().text(tr(l, "btn-skip"), cb.walletSkipLabel.pack(w.id)),
      });
    }
    return true;
  } catch (e) {
    const reason = addressReason(l, e);
    let msg: string | null = reason;
    if (!msg && isAppError(e) && e.code === "conflict")
      msg =
        e.details?.reason === "limit"
          ? tr(l, "wallet-limit", { max: String(MAX_WALLETS) })
          : tr(l, "wallet-duplicate");
    if (!msg && isAppError(e) && e.details?.reason === "label_too_long") msg = tr(l, "wallet-label-too-long");
    if (!msg) throw e;
    await ctx.reply(`⚠️ ${msg}`, {
      parse_mode: "HTML",
      reply_markup: new InlineKeyboard().text(tr(l, "btn-cancel"), cb.wallets.pack()),
    });
    return false;
  }
}

walletsFeature.on("message:text").filter(
  (ctx) => ctx.session.step?.kind === "wallet_address" && !ctx.message.text.startsWith("/"),
  async (ctx) => {
    const [address, ...rest] = ctx.message.text.trim().split(/\s+/);
    const label = rest.join(" ").trim() || null;
    await saveWallet(ctx, address ?? "", label);
  },
);

walletsFeature.on("message:text").filter(
  (ctx) => ctx.session.step?.kind === "wallet_label" && !ctx.message.text.startsWith("/"),
  async (ctx) => {
    const step = ctx.session.step as { kind: "wallet_label"; walletId: number };
    const l = ctx.locale;
    try {
      await renameWallet({ userId: ctx.user.id, walletId: step.walletId, label: ctx.message.text });
    } catch (e) {
      if (isAppError(e) && e.details?.reason === "label_too_long") {
        await ctx.reply(`⚠️ ${tr(l, "wallet-label-too-long")}`);
        return;
      }
      if (isAppError(e) && e.code === "not_found") {
        ctx.session.step = undefined;
        await ctx.reply(tr(l, "toast-wallet-gone"));
        return;
      }
      throw e;
    }
    ctx.session.step = undefined;
    await ctx.reply(tr(l, "wallet-label-saved"), { reply_markup: (await listScreen(ctx)).keyboard });
  },
);

walletsFeature.callbackQuery(cb.walletSkipLabel.filter, async (ctx) => {
  ctx.session.step = undefined;
  await toast(ctx);
  await show(ctx, await listScreen(ctx));
});

walletsFeature.callbackQuery(cb.walletRename.filter, async (ctx) => {
  const w = await walletOrStale(ctx, cb.walletRename.unpack(ctx.callbackQuery.data)?.id);
  if (!w) return;
  ctx.session.step = { kind: "wallet_label", walletId: w.id };
  await toast(ctx);
  await show(ctx, {
    text: tr(ctx.locale, "wallet-rename-prompt", { address: code(w.address) }),
    keyboard: new InlineKeyboard().text(tr(ctx.locale, "btn-cancel"), cb.walletOpen.pack(w.id)),
  });
});

walletsFeature.callbackQuery(cb.walletDefault.filter, async (ctx) => {
  const w = await walletOrStale(ctx, cb.walletDefault.unpack(ctx.callbackQuery.data)?.id);
  if (!w) return;
  const d = await setDefaultWallet({ userId: ctx.user.id, walletId: w.id });
  await toast(ctx, tr(ctx.locale, "toast-default-set"));
  await show(ctx, await cardScreen(ctx, d));
});

walletsFeature.callbackQuery(cb.walletRemove.filter, async (ctx) => {
  const w = await walletOrStale(ctx, cb.walletRemove.unpack(ctx.callbackQuery.data)?.id);
  if (!w) return;
  const l = ctx.locale;
  await confirmScreen(
    ctx,
    tr(l, "wallet-remove-confirm", { address: code(w.address) }),
    { label: tr(l, "btn-remove-yes"), data: cb.walletRemoveYes.pack(w.id) },
    { label: tr(l, "btn-cancel"), data: cb.walletOpen.pack(w.id) },
  );
});

walletsFeature.callbackQuery(cb.walletRemoveYes.filter, async (ctx) => {
  const w = await walletOrStale(ctx, cb.walletRemoveYes.unpack(ctx.callbackQuery.data)?.id);
  if (!w) return;
  await removeWallet({ userId: ctx.user.id, walletId: w.id });
  await toast(ctx, tr(ctx.locale, "toast-wallet-removed"));
  await show(ctx, await listScreen(ctx));
});

walletsFeature.callbackQuery(cb.walletSaveLookup.filter, async (ctx) => {
  const address = ctx.session.lookup;
  if (!address) {
    await toast(ctx, tr(ctx.locale, "toast-outdated"));
    return showMenu(ctx);
  }
  await toast(ctx);
  await saveWallet(ctx, address);
});
