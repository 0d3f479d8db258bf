import { randomBytes } from "node:crypto";
import { InlineKeyboard } from "grammy";
import { type AppError, isAppError } from "@/lib/errors";
import { clock, int, kilo, trx } from "@/lib/format";
import { errorKey } from "@/lib/format/errors";
import type { Locale } from "@/lib/locale";
import { getMarket, type Market, type Quote, quoteWith } from "@/lib/pricing";
import { getSettings, type Settings } from "@/lib/settings";
import { shortAddress } from "@/lib/tron/address";
import { cb } from "../callback-data";
import type { BotContext, QuoteSnap, RentDraft } from "../context";
import { businessError } from "../errors";
import { code, durationChip, durationLong } from "../format";
import { tr } from "../i18n";
import { show, toast } from "../ui";
import { showMenu } from "./start";

/**
 * The rent flow's screens: the form, the form when the pool cannot cover the amount, and the
 * review. What they show comes from the settings and lib/pricing; the rules are lib's.
 */

export const newId = (bytes: number) => randomBytes(bytes).toString("base64url");

export function enabledDurations(s: Settings) {
  return s.durations.filter((d) => d.enabled);
}

export function tryQuote(s: Settings, d: RentDraft, market?: Market): Quote | null {
  try {
    return quoteWith(s, { energy: d.energy, duration: d.duration }, market);
  } catch {
    return null;
  }
}

function energyReason(ctx: BotContext, d: RentDraft): string | null {
  if (d.recipientHoldsUsdt === true) return tr(ctx.locale, "rent-reason-holder");
  if (d.recipientHoldsUsdt === false) return tr(ctx.locale, "rent-reason-empty");
  return null;
}

/**
 * Why lib refused the draft, in the user's words (the error catalogue): an energy amount outside the
 * range names the range lib gave with the refusal. Null for an internal error (the caller rethrows).
 */
export function refusal(l: Locale, e: unknown): string | null {
  if (isAppError(e) && e.code === "energy_out_of_range" && e.details?.min !== undefined)
    return tr(l, errorKey("bot", e.code, "range"), {
      min: int(Number(e.details.min)),
      max: int(Number(e.details.max)),
    });
  return businessError(l, e);
}

export async function rentScreen(ctx: BotContext, d: RentDraft, note?: string) {
  const l = ctx.locale;
  const s = await getSettings();
  // The live price (pool utilisation, cost floor); without the chain, the settings' own.
  const market = await getMarket(s).catch(() => undefined);
  const q = tryQuote(s, d, market);
  const reason = energyReason(ctx, d);
  const lines = [
    `<b>${tr(l, "bot-rent-title")}</b>`,
    d.receiver ? tr(l, "bot-rent-receiver", { address: code(d.receiver) }) : tr(l, "rent-receiver-none"),
    `${tr(l, "bot-rent-energy", { energy: int(d.energy) })}${reason ? ` (${reason})` : ""}`,
    tr(l, "bot-rent-duration", { duration: durationLong(d.duration, l) }),
  ];
  if (d.recipient) lines.push(tr(l, "bot-rent-recipient", { address: code(shortAddress(d.recipient)) }));
  if (q) lines.push(tr(l, "bot-rent-price", { amount: trx(q.priceSun), unit: String(q.unitPriceSun) }));
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
export async function noCapacityScreen(ctx: BotContext, d: RentDraft, e: AppError) {
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

/** The draft a button refers to, or null after answering that the screen is outdated. */
export async function draftOf(ctx: BotContext, id: string | undefined): Promise<RentDraft | null> {
  const d = ctx.session.rent;
  if (d && d.id === id) return d;
  await toast(ctx, tr(ctx.locale, "toast-outdated"));
  if (d) await show(ctx, await rentScreen(ctx, d));
  else await showMenu(ctx);
  return null;
}

export async function reviewScreen(
  ctx: BotContext,
  d: RentDraft,
  snap: QuoteSnap,
  q: Quote,
  balance: bigint,
) {
  const l = ctx.locale;
  const reason = energyReason(ctx, d);
  const ends = new Date(Date.now() + q.durationSeconds * 1000);
  const lines = [
    `<b>${tr(l, "review-title")}</b>`,
    tr(l, "bot-rent-receiver", { address: code(snap.receiver) }),
    `${tr(l, "review-energy", { energy: int(q.energy) })}${reason ? ` (${reason})` : ""}`,
    tr(l, "review-duration", {
      duration: durationLong(q.durationKey, l),
      time: clock(ends, l, ctx.user.timezone),
    }),
    tr(l, "review-price", { amount: trx(q.priceSun), unit: String(q.unitPriceSun) }),
  ];
  if (q.discountSun > 0n)
    lines.push(
      tr(l, "review-discount", { amount: trx(q.discountSun), percent: String(q.volumeDiscountPercent) }),
    );
  if (q.multiplierBps > 10_000)
    lines.push(tr(l, "review-demand", { percent: String(Math.floor((q.multiplierBps - 10_000) / 100)) }));
  lines.push(
    tr(l, q.burnPriceLive ? "review-burn-live" : "review-burn", {
      amount: trx(q.burnSun),
      unit: String(q.burnPriceSun),
    }),
    tr(l, "review-saving", { amount: trx(q.savingSun), percent: String(q.savingPercent) }),
  );
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
