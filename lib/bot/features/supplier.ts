import { Composer, InlineKeyboard } from "grammy";
import { z } from "zod";
import { isAppError } from "@/lib/errors";
import { dateTime, int, percentOfBps, shortAddress, trx } from "@/lib/format";
import type { Locale } from "@/lib/locale";
import {
  requestPayout,
  type SupplierSummary,
  type SupplierWalletLine,
  setSupplierAvailable,
  supplierSummary,
} from "@/lib/suppliers";
import { cb } from "../callback-data";
import type { BotContext } from "../context";
import { businessError } from "../errors";
import { code } from "../format";
import { tr } from "../i18n";
import { confirmScreen, type Screen, show, toast } from "../ui";

/**
 * A supplier's own supply (/supplier and the menu's entry for users with a supplier profile,
 * docs/suppliers.md): availability with a toggle, terms, wallets, earnings, what can be paid out
 * and the open payout; a payout of everything withdrawable after a confirmation. The rules stay in
 * lib/suppliers; registering wallets and changing prices happen on the portal's supplier page.
 */
export const supplierFeature = new Composer<BotContext>();

const PORTAL_PAGE = "/account/supplier";

/** The portal's supplier page: a link, and the Mini App's page where it is configured. */
function portalButtons(ctx: BotContext, kb: InlineKeyboard, label: "btn-sup-manage" | "btn-sup-join") {
  const l = ctx.locale;
  kb.row().url(tr(l, label), new URL(PORTAL_PAGE, ctx.deps.appUrl).toString());
  if (ctx.deps.miniAppUrl)
    kb.row().webApp(tr(l, "btn-miniapp"), new URL(PORTAL_PAGE, ctx.deps.miniAppUrl).toString());
}

function walletLine(l: Locale, w: SupplierWalletLine): string {
  const grant = w.permissionError
    ? tr(l, "bot-sup-grant-revoked")
    : w.status === "enabled"
      ? tr(l, "bot-sup-grant-ok")
      : tr(l, "bot-sup-grant-paused");
  return tr(l, "bot-sup-wallet-line", {
    address: code(shortAddress(w.address)),
    grant,
    selection: tr(l, w.inSelection ? "bot-sup-in-selection" : "bot-sup-not-in-selection"),
    percent: percentOfBps(w.utilisationBps),
  });
}

export function supplierScreen(ctx: BotContext, s: SupplierSummary): Screen {
  const l = ctx.locale;
  const p = s.profile;
  const lines = [
    tr(l, "bot-sup-title"),
    tr(l, p.available ? "bot-sup-on" : "bot-sup-off"),
    tr(l, "bot-sup-min", { price: int(p.minPriceSunPerEnergyDay) }),
    p.energyCap === null ? tr(l, "bot-sup-cap-none") : tr(l, "bot-sup-cap", { cap: int(p.energyCap) }),
    "",
  ];
  if (s.wallets.length) {
    lines.push(tr(l, "bot-sup-wallets"));
    for (const w of s.wallets) lines.push(`• ${walletLine(l, w)}`);
  } else lines.push(tr(l, "bot-sup-wallets-none"));
  lines.push(
    "",
    tr(l, "bot-sup-earned", { today: trx(s.earnedTodaySun), week: trx(s.earned7dSun) }),
    tr(l, "bot-sup-withdrawable", { amount: trx(s.withdrawableSun), min: trx(s.payoutMinSun) }),
  );
  if (s.openPayout)
    lines.push(
      tr(l, "bot-sup-payout-open", {
        id: String(s.openPayout.id),
        amount: trx(s.openPayout.amountSun),
        status: tr(l, `bot-sup-payout-${s.openPayout.status}` as "bot-sup-payout-pending"),
        date: dateTime(s.openPayout.createdAt, l, ctx.user.timezone),
      }),
    );
  if (p.payoutAddress) lines.push(tr(l, "bot-sup-payout-address", { address: code(p.payoutAddress) }));
  else lines.push(`<i>${tr(l, "bot-sup-no-payout-address")}</i>`);
  const kb = new InlineKeyboard()
    .text(
      tr(l, p.available ? "btn-sup-pause" : "btn-sup-resume"),
      cb.supplierAvailable.pack(p.available ? "0" : "1"),
    )
    .text("🔄", cb.supplier.pack());
  if (s.payoutReady)
    kb.row().text(tr(l, "btn-sup-payout", { amount: trx(s.withdrawableSun) }), cb.supplierPayout.pack());
  portalButtons(ctx, kb, "btn-sup-manage");
  kb.row().text(tr(l, "btn-menu"), cb.menu.pack());
  return { text: lines.join("\n"), keyboard: kb };
}

/** A user without a supplier profile: what supplying is, and the portal page to become one. */
function notSupplierScreen(ctx: BotContext): Screen {
  const kb = new InlineKeyboard();
  portalButtons(ctx, kb, "btn-sup-join");
  kb.row().text(tr(ctx.locale, "btn-menu"), cb.menu.pack());
  return { text: tr(ctx.locale, "bot-sup-none"), keyboard: kb };
}

async function screenOf(ctx: BotContext): Promise<Screen> {
  const s = await supplierSummary(ctx.user.id);
  return s ? supplierScreen(ctx, s) : notSupplierScreen(ctx);
}

supplierFeature.command("supplier", async (ctx) => {
  ctx.session.step = undefined;
  ctx.session.supplierPayout = undefined;
  await show(ctx, await screenOf(ctx), { fresh: true });
});

supplierFeature.callbackQuery(cb.supplier.filter, async (ctx) => {
  ctx.session.step = undefined;
  await toast(ctx);
  await show(ctx, await screenOf(ctx));
});

const onOff = z.enum(["0", "1"]);

/** Sets availability to what the button says: a repeated or stale tap changes nothing. */
supplierFeature.callbackQuery(cb.supplierAvailable.filter, async (ctx) => {
  const l = ctx.locale;
  const on = onOff.safeParse(cb.supplierAvailable.unpack(ctx.callbackQuery.data)?.on);
  if (!on.success) {
    await toast(ctx, tr(l, "toast-outdated"));
    await show(ctx, await screenOf(ctx));
    return;
  }
  try {
    await setSupplierAvailable(ctx.user.id, on.data === "1");
  } catch (e) {
    if (isAppError(e) && e.code === "invalid_state") {
      // no profile (any more): what supplying is, and where to start
      await toast(ctx);
      await show(ctx, notSupplierScreen(ctx));
      return;
    }
    const text = businessError(l, e);
    if (!text) throw e;
    await toast(ctx, text, true);
    await show(ctx, await screenOf(ctx));
    return;
  }
  await toast(ctx, tr(l, on.data === "1" ? "toast-sup-on" : "toast-sup-off"));
  await show(ctx, await screenOf(ctx));
});

/** Why no payout can be asked for now, in words (an alert: the screen stays). */
function payoutRefusal(l: Locale, s: SupplierSummary): string {
  if (!s.profile.payoutAddress) return tr(l, "bot-sup-no-payout-address");
  return tr(l, "bot-sup-pay-nothing", { amount: trx(s.withdrawableSun), min: trx(s.payoutMinSun) });
}

/** Asks before paying out everything withdrawable; the amount shown is the one paid. */
supplierFeature.callbackQuery(cb.supplierPayout.filter, async (ctx) => {
  const l = ctx.locale;
  const s = await supplierSummary(ctx.user.id);
  if (!s) {
    await toast(ctx);
    await show(ctx, notSupplierScreen(ctx));
    return;
  }
  if (!s.payoutReady) {
    await toast(ctx, payoutRefusal(l, s), true);
    await show(ctx, supplierScreen(ctx, s));
    return;
  }
  ctx.session.supplierPayout = { amountSun: s.withdrawableSun.toString() };
  await confirmScreen(
    ctx,
    tr(l, "bot-sup-payout-confirm", {
      amount: trx(s.withdrawableSun),
      address: code(s.profile.payoutAddress ?? ""),
    }),
    { label: tr(l, "btn-sup-payout-yes"), data: cb.supplierPayoutYes.pack() },
    { label: tr(l, "btn-back"), data: cb.supplier.pack() },
  );
});

/**
 * Pays out the amount confirmed, once: the confirmation is used up by the first tap (a second tap
 * finds none and only shows the screen), and lib/suppliers refuses, under a lock on the user, any
 * amount above what is still withdrawable.
 */
supplierFeature.callbackQuery(cb.supplierPayoutYes.filter, async (ctx) => {
  const l = ctx.locale;
  const asked = ctx.session.supplierPayout;
  ctx.session.supplierPayout = undefined;
  if (!asked || !/^[1-9]\d{0,18}$/.test(asked.amountSun)) {
    await toast(ctx, tr(l, "toast-outdated"));
    await show(ctx, await screenOf(ctx));
    return;
  }
  try {
    const p = await requestPayout(ctx.user.id, { amountSun: BigInt(asked.amountSun) });
    await toast(
      ctx,
      tr(l, "toast-sup-payout", {
        amount: trx(p.amountSun),
        status: tr(l, `bot-sup-payout-${p.status}` as "bot-sup-payout-pending"),
      }),
    );
  } catch (e) {
    if (!isAppError(e) || e.code === "internal") throw e;
    const s = await supplierSummary(ctx.user.id);
    const text = !s
      ? (businessError(l, e) ?? "")
      : s.payoutReady
        ? tr(l, "bot-sup-pay-changed", { amount: trx(s.withdrawableSun) })
        : payoutRefusal(l, s);
    await toast(ctx, text, true);
  }
  await show(ctx, await screenOf(ctx));
});
