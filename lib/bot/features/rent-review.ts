import { Composer } from "grammy";
import { isAppError } from "@/lib/errors";
import { getBalance } from "@/lib/ledger";
import { createOrder, getOrder } from "@/lib/orders";
import { getMarket, type Quote, quoteDeliverable } from "@/lib/pricing";
import { getSettings } from "@/lib/settings";
import { lookupAccount } from "../chain";
import { cb } from "../callback-data";
import type { BotContext, QuoteSnap, RentDraft } from "../context";
import { tr } from "../i18n";
import { show, toast } from "../ui";
import { orderCard } from "../views";
import {
  draftOf,
  newId,
  noCapacityScreen,
  refusal,
  rentScreen,
  reviewScreen,
  tryQuote,
} from "./rent-screens";
import { showMenu } from "./start";

/**
 * The rent flow's last steps: review (a quote the pool can deliver, held for the quote's lifetime)
 * and pay (lib/orders' `createOrder`, which owns the rules: maintenance, balance, capacity). Every
 * refusal is lib's, shown through the error catalogue.
 */
export const rentReviewFeature = new Composer<BotContext>();

/** Prices the draft, checks the receiver, stores the quote and shows the review. */
export async function review(ctx: BotContext, d: RentDraft, toastText?: string) {
  const l = ctx.locale;
  if (!d.receiver) {
    await toast(ctx, tr(l, "rent-need-receiver"), true);
    return;
  }
  const s = await getSettings();
  let q: Quote;
  try {
    q = await quoteDeliverable(
      { energy: d.energy, duration: d.duration, receiver: d.receiver, userId: ctx.user.id },
      s,
    );
  } catch (e) {
    if (isAppError(e) && e.code === "no_capacity") {
      await toast(ctx);
      await show(ctx, await noCapacityScreen(ctx, d, e));
      return;
    }
    const m = refusal(l, e);
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
    expiresAt: q.expiresAt?.getTime() ?? Date.now() + s.quoteTtlSeconds * 1000,
    token: q.token,
  };
  ctx.session.quote = snap;
  ctx.session.step = undefined;
  await toast(ctx, toastText);
  await show(ctx, await reviewScreen(ctx, d, snap, q, balance));
}

rentReviewFeature.callbackQuery(cb.rentReview.filter, async (ctx) => {
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

rentReviewFeature.callbackQuery(cb.rentPay.filter, async (ctx) => {
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
  const held = { ...d, receiver: snap.receiver, energy: snap.energy, duration: snap.duration };
  // The price shown is the price paid while the quote holds (its token); an expired one is re-priced
  // in place: a second tap pays.
  if (Date.now() > snap.expiresAt || !snap.token) return review(ctx, held, tr(l, "toast-repriced"));
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
      quoteToken: snap.token,
      telegramChatId: msg?.chat.id,
      telegramMessageId: msg?.message_id,
    });
  } catch (e) {
    if (isAppError(e) && e.code === "insufficient_balance") {
      const s = await getSettings();
      const q = tryQuote(s, held, await getMarket(s).catch(() => undefined));
      await toast(ctx, tr(l, "err-insufficient"), true);
      if (q) {
        const balance = await getBalance(ctx.user.id);
        await show(ctx, await reviewScreen(ctx, d, snap, { ...q, priceSun: BigInt(snap.priceSun) }, balance));
      }
      return;
    }
    if (isAppError(e) && (e.code === "quote_expired" || e.code === "quote_invalid"))
      return review(ctx, held, tr(l, "toast-repriced"));
    if (isAppError(e) && e.code === "no_capacity") {
      ctx.session.quote = undefined;
      await toast(ctx);
      await show(ctx, await noCapacityScreen(ctx, { ...d, energy: snap.energy, duration: snap.duration }, e));
      return;
    }
    const m = refusal(l, e);
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
