import { Composer, InlineKeyboard } from "grammy";
import { isAppError } from "@/lib/errors";
import { int } from "@/lib/format";
import { getOrder } from "@/lib/orders";
import { findDuration, parseEnergy, quoteWith } from "@/lib/pricing";
import { getSettings } from "@/lib/settings";
import { parseAddress } from "@/lib/tron/address";
import { tron } from "@/lib/tron/client";
import { suggestUsdtEnergy } from "@/lib/tron/resources";
import { getDefaultWallet, getWallet, listWallets } from "@/lib/wallets";
import { cb } from "../callback-data";
import type { BotContext, RentDraft } from "../context";
import { addressReason, businessError } from "../errors";
import { tr } from "../i18n";
import { show, toast } from "../ui";
import { walletButtonLabel } from "../views";
import { review, rentReviewFeature } from "./rent-review";
import { draftOf, enabledDurations, newId, refusal, rentScreen } from "./rent-screens";
import { showMenu } from "./start";

/**
 * Flash rent (闪租): receiver · energy · duration → review (quote) → pay → the same message
 * becomes the live order card. Prices and rules come from lib/pricing and lib/orders: the form asks
 * them and shows their refusals (./rent-screens: the screens; ./rent-review: review and pay).
 */
export const rentFeature = new Composer<BotContext>();

/** Opens a fresh rent form (edits the tapped message). */
async function openRent(
  ctx: BotContext,
  opts: { receiver?: string; energy?: number; duration?: string } = {},
) {
  const s = await getSettings();
  const durations = enabledDurations(s);
  const receiver = opts.receiver ?? (await getDefaultWallet(ctx.user.id))?.address ?? null;
  const duration = durations.some((x) => x.key === opts.duration) ? opts.duration! : durations[0].key;
  const d: RentDraft = { id: newId(4), receiver, energy: opts.energy ?? s.presets[0], duration };
  ctx.session.rent = d;
  ctx.session.quote = undefined;
  ctx.session.step = undefined;
  await show(ctx, await rentScreen(ctx, d));
}

rentFeature.command("rent", async (ctx) => {
  const s = await getSettings();
  const receiver = (await getDefaultWallet(ctx.user.id))?.address ?? null;
  const d: RentDraft = { id: newId(4), receiver, energy: s.presets[0], duration: enabledDurations(s)[0].key };
  ctx.session.rent = d;
  ctx.session.quote = undefined;
  ctx.session.step = undefined;
  await show(ctx, await rentScreen(ctx, d), { fresh: true });
});

rentFeature.callbackQuery(cb.rent.filter, async (ctx) => {
  await toast(ctx);
  await openRent(ctx);
});

rentFeature.callbackQuery(cb.rentFor.filter, async (ctx) => {
  const id = Number(cb.rentFor.unpack(ctx.callbackQuery.data)?.id);
  try {
    const w = await getWallet({ userId: ctx.user.id, walletId: id });
    await toast(ctx);
    await openRent(ctx, { receiver: w.address });
  } catch {
    await toast(ctx, tr(ctx.locale, "toast-wallet-gone"));
    await showMenu(ctx);
  }
});

rentFeature.callbackQuery(cb.rentLookup.filter, async (ctx) => {
  const address = ctx.session.lookup;
  if (!address) {
    await toast(ctx, tr(ctx.locale, "toast-outdated"));
    return showMenu(ctx);
  }
  await toast(ctx);
  await openRent(ctx, { receiver: address });
});

rentFeature.callbackQuery(cb.rentAgain.filter, async (ctx) => {
  const id = Number(cb.rentAgain.unpack(ctx.callbackQuery.data)?.id);
  try {
    const o = await getOrder({ orderId: id, userId: ctx.user.id });
    await toast(ctx);
    await openRent(ctx, { receiver: o.receiverAddress, energy: Number(o.energy), duration: o.durationKey });
  } catch {
    await toast(ctx, tr(ctx.locale, "toast-outdated"));
    await showMenu(ctx);
  }
});

rentFeature.callbackQuery(cb.rentDuration.filter, async (ctx) => {
  const a = cb.rentDuration.unpack(ctx.callbackQuery.data);
  const d = await draftOf(ctx, a?.draft);
  if (!d || !a) return;
  try {
    d.duration = findDuration(await getSettings(), a.key).key;
    ctx.session.quote = undefined;
    await toast(ctx);
  } catch (e) {
    const m = businessError(ctx.locale, e);
    if (!m) throw e;
    await toast(ctx, m);
  }
  await show(ctx, await rentScreen(ctx, d));
});

rentFeature.callbackQuery(cb.rentEnergy.filter, async (ctx) => {
  const a = cb.rentEnergy.unpack(ctx.callbackQuery.data);
  const d = await draftOf(ctx, a?.draft);
  if (!d || !a) return;
  const s = await getSettings();
  const e = Number(a.energy);
  if (!s.presets.includes(e)) await toast(ctx, tr(ctx.locale, "toast-outdated"));
  else {
    d.energy = e;
    d.recipientHoldsUsdt = undefined;
    ctx.session.quote = undefined;
    await toast(ctx);
  }
  await show(ctx, await rentScreen(ctx, d));
});

rentFeature.callbackQuery(cb.rentEnergyMax.filter, async (ctx) => {
  const a = cb.rentEnergyMax.unpack(ctx.callbackQuery.data);
  const d = await draftOf(ctx, a?.draft);
  if (!d || !a) return;
  const e = Number(a.energy);
  if (!Number.isSafeInteger(e) || e <= 0) return toast(ctx, tr(ctx.locale, "toast-outdated"));
  d.energy = e;
  d.recipientHoldsUsdt = undefined;
  ctx.session.quote = undefined;
  // The review checks the pool again: if it shrank meanwhile, the form says so with the new amount.
  await review(ctx, d);
});

rentFeature.callbackQuery(cb.rentEnergyOther.filter, async (ctx) => {
  const d = await draftOf(ctx, cb.rentEnergyOther.unpack(ctx.callbackQuery.data)?.draft);
  if (!d) return;
  const s = await getSettings();
  ctx.session.step = { kind: "rent_energy" };
  await toast(ctx);
  await show(ctx, {
    text: tr(ctx.locale, "rent-energy-prompt", { min: int(s.energyMin), max: int(s.energyMax) }),
    keyboard: new InlineKeyboard().text(tr(ctx.locale, "btn-back"), cb.rentBack.pack(d.id)),
  });
});

rentFeature.callbackQuery(cb.rentReceiver.filter, async (ctx) => {
  const d = await draftOf(ctx, cb.rentReceiver.unpack(ctx.callbackQuery.data)?.draft);
  if (!d) return;
  ctx.session.step = { kind: "rent_receiver" };
  const kb = new InlineKeyboard();
  for (const w of await listWallets(ctx.user.id))
    kb.text(walletButtonLabel(w), cb.rentReceiverWallet.pack(d.id, w.id)).row();
  kb.text(tr(ctx.locale, "btn-back"), cb.rentBack.pack(d.id));
  await toast(ctx);
  await show(ctx, { text: tr(ctx.locale, "rent-receiver-prompt"), keyboard: kb });
});

rentFeature.callbackQuery(cb.rentReceiverWallet.filter, async (ctx) => {
  const a = cb.rentReceiverWallet.unpack(ctx.callbackQuery.data);
  const d = await draftOf(ctx, a?.draft);
  if (!d || !a) return;
  try {
    d.receiver = (await getWallet({ userId: ctx.user.id, walletId: Number(a.id) })).address;
    ctx.session.quote = undefined;
    await toast(ctx);
  } catch {
    await toast(ctx, tr(ctx.locale, "toast-wallet-gone"));
  }
  ctx.session.step = undefined;
  await show(ctx, await rentScreen(ctx, d));
});

rentFeature.callbackQuery(cb.rentRecipient.filter, async (ctx) => {
  const d = await draftOf(ctx, cb.rentRecipient.unpack(ctx.callbackQuery.data)?.draft);
  if (!d) return;
  ctx.session.step = { kind: "rent_recipient" };
  await toast(ctx);
  await show(ctx, {
    text: tr(ctx.locale, "rent-recipient-prompt"),
    keyboard: new InlineKeyboard().text(tr(ctx.locale, "btn-back"), cb.rentBack.pack(d.id)),
  });
});

rentFeature.callbackQuery(cb.rentBack.filter, async (ctx) => {
  const d = await draftOf(ctx, cb.rentBack.unpack(ctx.callbackQuery.data)?.draft);
  if (!d) return;
  ctx.session.step = undefined;
  ctx.session.quote = undefined;
  await toast(ctx);
  await show(ctx, await rentScreen(ctx, d));
});

rentFeature.callbackQuery(cb.rentCancel.filter, async (ctx) => {
  ctx.session.rent = undefined;
  ctx.session.quote = undefined;
  await toast(ctx, tr(ctx.locale, "toast-cancelled"));
  await showMenu(ctx);
});

// ---------------------------------------------------------------- typed input for the rent form

const stepIs = (kind: string) => (ctx: BotContext) =>
  ctx.session.step?.kind === kind && !!ctx.message?.text && !ctx.message.text.startsWith("/");

async function replyRent(ctx: BotContext, note?: string) {
  const d = ctx.session.rent;
  if (!d) return showMenu(ctx, { fresh: true });
  await show(ctx, await rentScreen(ctx, d, note), { fresh: true });
}

rentFeature.on("message:text").filter(stepIs("rent_receiver"), async (ctx) => {
  const d = ctx.session.rent;
  if (!d) return showMenu(ctx, { fresh: true });
  try {
    d.receiver = parseAddress(ctx.message.text);
  } catch (e) {
    const reason = addressReason(ctx.locale, e);
    if (!reason) throw e;
    await ctx.reply(`⚠️ ${reason}`);
    return;
  }
  ctx.session.step = undefined;
  ctx.session.quote = undefined;
  await replyRent(ctx);
});

rentFeature.on("message:text").filter(stepIs("rent_energy"), async (ctx) => {
  const d = ctx.session.rent;
  if (!d) return showMenu(ctx, { fresh: true });
  let e: bigint;
  try {
    e = parseEnergy(ctx.message.text);
  } catch {
    await ctx.reply(`⚠️ ${tr(ctx.locale, "err-energy-format")}`);
    return;
  }
  try {
    // lib/pricing says whether this amount may be rented now (the range is the settings').
    e = quoteWith(await getSettings(), { energy: e, duration: d.duration }).energy;
  } catch (err) {
    const m = refusal(ctx.locale, err);
    if (!m) throw err;
    await ctx.reply(`⚠️ ${m}`);
    return;
  }
  d.energy = Number(e);
  d.recipientHoldsUsdt = undefined;
  ctx.session.step = undefined;
  ctx.session.quote = undefined;
  await replyRent(ctx);
});

rentFeature.on("message:text").filter(stepIs("rent_recipient"), async (ctx) => {
  const d = ctx.session.rent;
  if (!d) return showMenu(ctx, { fresh: true });
  const l = ctx.locale;
  let recipient: string;
  try {
    recipient = parseAddress(ctx.message.text);
  } catch (e) {
    const reason = addressReason(l, e);
    if (!reason) throw e;
    await ctx.reply(`⚠️ ${reason}`);
    return;
  }
  const s = await getSettings();
  let held: bigint;
  try {
    held = await tron().usdtBalanceOf(recipient);
  } catch (e) {
    if (!isAppError(e)) throw e;
    await ctx.reply(`⚠️ ${tr(l, "err-chain")}`);
    return;
  }
  const energy = suggestUsdtEnergy({
    recipientUsdtBase: held,
    holderEnergy: BigInt(s.usdtEnergyHolder),
    emptyEnergy: BigInt(s.usdtEnergyEmpty),
  });
  d.recipient = recipient;
  d.recipientHoldsUsdt = held > 0n;
  d.energy = Number(energy);
  ctx.session.step = undefined;
  ctx.session.quote = undefined;
  await replyRent(
    ctx,
    tr(l, held > 0n ? "bot-rent-suggest-holder" : "bot-rent-suggest-empty", { energy: int(energy) }),
  );
});

rentFeature.use(rentReviewFeature);
