import { randomBytes } from "node:crypto";
import { Composer, InlineKeyboard } from "grammy";
import { type AppError, isAppError } from "@/lib/errors";
import { getBalance } from "@/lib/ledger";
import { createOrder, getOrder } from "@/lib/orders";
import { tron } from "@/lib/tron/client";
import { parseEnergy, type Quote, quoteDeliverable, quoteWith } from "@/lib/pricing";
import { getSettings, type Settings } from "@/lib/settings";
import { parseAddress, shortAddress } from "@/lib/tron/address";
import { suggestUsdtEnergy } from "@/lib/tron/resources";
import { getDefaultWallet, getWallet, listWallets } from "@/lib/wallets";
import { lookupAccount } from "../chain";
import { cb } from "../callback-data";
import type { BotContext, QuoteSnap, RentDraft } from "../context";
import { addressReason, businessError } from "../errors";
import { clock, int, kilo, trx } from "@/lib/format";
import { errorKey } from "@/lib/format/errors";
import { code, durationChip, durationLong } from "../format";
import { tr } from "../i18n";
import { show, toast } from "../ui";
import { orderCard, walletButtonLabel } from "../views";
import { showMenu } from "./start";

/**
 * Flash rent (闪租): receiver · energy · duration → review (quote) → pay → the same message
 * becomes the live order card. Prices and rules come from lib/pricing and lib/orders.
 */
export const rentFeature = new Composer<BotContext>();

const newId = (bytes: number) => randomBytes(bytes).toString("base64url");

function enabledDurations(s: Settings) {
  return s.durations.filter((d) => d.enabled);
}

function tryQuote(s: Settings, d: RentDraft): Quote | null {
  try {
    return quoteWith(s, { energy: d.energy, duration: d.duration });
  } catch {
    return null;
  }
}

function energyReason(ctx: BotContext, d: RentDraft): string | null {
  if (d.recipientHoldsUsdt === true) return tr(ctx.locale, "rent-reason-holder");
  if (d.recipientHoldsUsdt === false) return tr(ctx.locale, "rent-reason-empty");
  return null;
}

async function rentScreen(ctx: BotContext, d: RentDraft, note?: string) {
  const l = ctx.locale;
  const s = await getSettings();
  const q = tryQuote(s, d);
  const reason = energyReason(ctx, d);
  const lines = [
    `<b>${tr(l, "rent-title")}</b>`,
    d.receiver ? tr(l, "rent-receiver", { address: code(d.receiver) }) : tr(l, "rent-receiver-none"),
    `${tr(l, "rent-energy", { energy: int(d.energy) })}${reason ? ` (${reason})` : ""}`,
    tr(l, "rent-duration", { duration: durationLong(d.duration, l) }),
  ];
  if (d.recipient) lines.push(tr(l, "rent-recipient", { address: code(shortAddress(d.recipient)) }));
  if (q) lines.push(tr(l, "rent-price", { amount: trx(q.priceSun), unit: String(q.unitPriceSun) }));
  if (s.maintenance.enabled) lines.push("", tr(l, "maintenance-banner"));
  if (note) lines.push("", note);
  const kb = new InlineKeyboard();
  enabledDurations(s).forEach((dur, i) => {
    if (i > 0 && i % 3 === 0) kb.row();
    const label = durationChip(dur.key, l);
    kb.text(dur.key === d.duration ? `✓ ${label}` : label, cb.rentDuration.pack(d.id, dur.key));
  });
  kb.row();
  for (const p of s.presets) {
    const label = kilo(p);
    kb.text(p === d.energy ? `✓ ${label}` : label, cb.rentEnergy.pack(d.id, p));
  }
  kb.text(
    s.presets.includes(d.energy) ? tr(l, "btn-energy-other") : `✓ ${kilo(d.energy)}`,
    cb.rentEnergyOther.pack(d.id),
  );
  kb.row().text(
    d.receiver
      ? tr(l, "btn-receiver-set", { address: shortAddress(d.receiver) })
      : tr(l, "btn-receiver-choose"),
    cb.rentReceiver.pack(d.id),
  );
  kb.row().text(tr(l, "btn-recipient"), cb.rentRecipient.pack(d.id));
  kb.row().text(tr(l, "btn-review"), cb.rentReview.pack(d.id));
  kb.row().text(tr(l, "btn-menu"), cb.menu.pack());
  return { text: lines.join("\n"), keyboard: kb };
}

/**
 * The rent form when the pool cannot cover the amount: says the largest amount it can deliver now
 * and offers it as the first button (one tap to the review with that amount).
 */
async function noCapacityScreen(ctx: BotContext, d: RentDraft, e: AppError) {
  const l = ctx.locale;
  const max = Number(e.details?.maxEnergy ?? 0);
  const note =
    max > 0
      ? `⚠️ ${tr(l, errorKey("bot", "no_capacity", "max"), { energy: int(max) })}`
      : `⚠️ ${tr(l, errorKey("bot", "no_capacity"))}`;
  const screen = await rentScreen(ctx, d, note);
  if (max > 0)
    screen.keyboard.inline_keyboard.unshift([
      { text: tr(l, "btn-rent-max", { energy: int(max) }), callback_data: cb.rentEnergyMax.pack(d.id, max) },
    ]);
  return screen;
}

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

/** The draft a button refers to, or null after answering that the screen is outdated. */
async function draftOf(ctx: BotContext, id: string | undefined): Promise<RentDraft | null> {
  const d = ctx.session.rent;
  if (d && d.id === id) return d;
  await toast(ctx, tr(ctx.locale, "toast-outdated"));
  if (d) await show(ctx, await rentScreen(ctx, d));
  else await showMenu(ctx);
  return null;
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
  const s = await getSettings();
  if (!enabledDurations(s).some((x) => x.key === a.key)) {
    await toast(ctx, tr(ctx.locale, "err-duration"));
  } else {
    d.duration = a.key;
    ctx.session.quote = undefined;
    await toast(ctx);
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
  const s = await getSettings();
  let e: bigint;
  try {
    e = parseEnergy(ctx.message.text);
  } catch {
    await ctx.reply(`⚠️ ${tr(ctx.locale, "err-energy-format")}`);
    return;
  }
  if (e < BigInt(s.energyMin) || e > BigInt(s.energyMax)) {
    await ctx.reply(
      `⚠️ ${tr(ctx.locale, errorKey("bot", "energy_out_of_range", "range"), { min: int(s.energyMin), max: int(s.energyMax) })}`,
    );
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
    tr(l, held > 0n ? "rent-suggest-holder" : "rent-suggest-empty", { energy: int(energy) }),
  );
});

// ---------------------------------------------------------------- review and pay

async function reviewScreen(ctx: BotContext, d: RentDraft, snap: QuoteSnap, q: Quote, balance: bigint) {
  const l = ctx.locale;
  const reason = energyReason(ctx, d);
  const ends = new Date(Date.now() + q.durationSeconds * 1000);
  const lines = [
    `<b>${tr(l, "review-title")}</b>`,
    tr(l, "rent-receiver", { address: code(snap.receiver) }),
    `${tr(l, "review-energy", { energy: int(q.energy) })}${reason ? ` (${reason})` : ""}`,
    tr(l, "review-duration", {
      duration: durationLong(q.durationKey, l),
      time: clock(ends, l, ctx.user.timezone),
    }),
    tr(l, "review-price", { amount: trx(q.priceSun), unit: String(q.unitPriceSun) }),
    tr(l, "review-burn", { amount: trx(q.burnSun), unit: String(q.burnPriceSun) }),
    tr(l, "review-saving", { amount: trx(q.savingSun), percent: String(q.savingPercent) }),
  ];
  const short = balance < q.priceSun;
  if (short) {
    lines.push(
      tr(l, "review-short", {
        price: trx(q.priceSun),
        balance: trx(balance),
        missing: trx(q.priceSun - balance),
      }),
    );
  } else {
    lines.push(tr(l, "review-balance", { balance: trx(balance), after: trx(balance - q.priceSun) }));
  }
  const s = await getSettings();
  lines.push(`<i>${tr(l, "review-held", { minutes: String(Math.round(s.quoteTtlSeconds / 60)) })}</i>`);
  const kb = new InlineKeyboard();
  if (short) kb.text(tr(l, "btn-topup"), cb.topup.pack());
  else kb.text(tr(l, "btn-pay", { amount: trx(q.priceSun) }), cb.rentPay.pack(snap.id));
  kb.row()
    .text(tr(l, "btn-change"), cb.rentBack.pack(d.id))
    .text(tr(l, "btn-cancel-x"), cb.rentCancel.pack(d.id));
  return { text: lines.join("\n"), keyboard: kb };
}

/** Prices the draft, checks the receiver, stores the quote and shows the review. */
async function review(ctx: BotContext, d: RentDraft, toastText?: string) {
  const l = ctx.locale;
  if (!d.receiver) {
    await toast(ctx, tr(l, "rent-need-receiver"), true);
    return;
  }
  const s = await getSettings();
  if (s.maintenance.enabled) {
    await toast(ctx, tr(l, "err-maintenance"), true);
    return;
  }
  let q: Quote;
  try {
    q = await quoteDeliverable({ energy: d.energy, duration: d.duration, receiver: d.receiver }, s);
  } catch (e) {
    if (isAppError(e) && e.code === "no_capacity") {
      await toast(ctx);
      await show(ctx, await noCapacityScreen(ctx, d, e));
      return;
    }
    const m = businessError(l, e);
    if (!m) throw e;
    await toast(ctx, m, true);
    return;
  }
  try {
    const { ov } = await lookupAccount(d.receiver);
    if (!ov.activated) {
      await toast(ctx);
      await show(ctx, await rentScreen(ctx, d, `⚠️ ${tr(l, "err-not-activated")}`));
      return;
    }
  } catch (e) {
    if (!isAppError(e)) throw e;
    // The order engine checks activation again; a slow provider does not block the review.
  }
  const balance = await getBalance(ctx.user.id);
  const snap: QuoteSnap = {
    id: newId(9),
    draftId: d.id,
    receiver: d.receiver,
    energy: d.energy,
    duration: d.duration,
    priceSun: q.priceSun.toString(),
    expiresAt: Date.now() + s.quoteTtlSeconds * 1000,
  };
  ctx.session.quote = snap;
  ctx.session.step = undefined;
  await toast(ctx, toastText);
  await show(ctx, await reviewScreen(ctx, d, snap, q, balance));
}

rentFeature.callbackQuery(cb.rentReview.filter, async (ctx) => {
  const d = await draftOf(ctx, cb.rentReview.unpack(ctx.callbackQuery.data)?.draft);
  if (!d) return;
  await review(ctx, d);
});

async function showOrder(ctx: BotContext, orderId: number) {
  const o = await getOrder({ orderId, userId: ctx.user.id });
  await show(
    ctx,
    orderCard(ctx.locale, o, {
      appUrl: ctx.deps.appUrl,
      tz: ctx.user.timezone,
      supportUrl: ctx.deps.supportUrl,
    }),
  );
}

rentFeature.callbackQuery(cb.rentPay.filter, async (ctx) => {
  const l = ctx.locale;
  const quoteId = cb.rentPay.unpack(ctx.callbackQuery.data)?.quote;
  const snap = ctx.session.quote;
  if (!snap || snap.id !== quoteId) {
    await toast(ctx, tr(l, "toast-quote-outdated"));
    const d = ctx.session.rent;
    if (d) await show(ctx, await rentScreen(ctx, d));
    else await showMenu(ctx);
    return;
  }
  if (snap.orderId) {
    // A repeated confirm opens the existing order.
    await toast(ctx, tr(l, "toast-paid", { id: String(snap.orderId) }));
    return showOrder(ctx, snap.orderId);
  }
  const d = ctx.session.rent ?? {
    id: snap.draftId,
    receiver: snap.receiver,
    energy: snap.energy,
    duration: snap.duration,
  };
  const s = await getSettings();
  if (s.maintenance.enabled) {
    await toast(ctx, tr(l, "err-maintenance"), true);
    return;
  }
  // An expired quote, or a price that changed since, is re-priced in place: a second tap pays.
  const fresh = tryQuote(s, { ...d, energy: snap.energy, duration: snap.duration });
  if (Date.now() > snap.expiresAt || !fresh || fresh.priceSun.toString() !== snap.priceSun) {
    return review(
      ctx,
      { ...d, receiver: snap.receiver, energy: snap.energy, duration: snap.duration },
      tr(l, "toast-repriced"),
    );
  }
  const msg = ctx.callbackQuery.message;
  let result: Awaited<ReturnType<typeof createOrder>>;
  try {
    result = await createOrder({
      userId: ctx.user.id,
      receiver: snap.receiver,
      energy: snap.energy,
      duration: snap.duration,
      source: "bot",
      idempotencyKey: `bot:${snap.id}`,
      telegramChatId: msg?.chat.id,
      telegramMessageId: msg?.message_id,
    });
  } catch (e) {
    if (isAppError(e) && e.code === "insufficient_balance") {
      const balance = await getBalance(ctx.user.id);
      await toast(ctx, tr(l, "err-insufficient"), true);
      await show(ctx, await reviewScreen(ctx, d, snap, fresh, balance));
      return;
    }
    if (isAppError(e) && e.code === "no_capacity") {
      ctx.session.quote = undefined;
      await toast(ctx);
      await show(ctx, await noCapacityScreen(ctx, { ...d, energy: snap.energy, duration: snap.duration }, e));
      return;
    }
    const m = businessError(l, e);
    if (!m) throw e;
    await toast(ctx, m, true);
    return;
  }
  const order = result.order;
  if (ctx.session.quote?.id === snap.id) ctx.session.quote = { ...snap, orderId: order.id };
  ctx.session.rent = undefined;
  await toast(ctx, tr(l, "toast-paid", { id: String(order.id) }));
  await showOrder(ctx, order.id);
});
