import { Composer, InlineKeyboard } from "grammy";
import { dateTime, shortAddress, trx } from "@/lib/format";
import {
  buyPackage,
  getPackage,
  listPackages,
  type PackageView,
  packageOffers,
  packageUsesOf,
} from "@/lib/packages";
import { cb } from "../callback-data";
import type { BotContext } from "../context";
import { businessError } from "../errors";
import { code } from "../format";
import { tr } from "../i18n";
import { show, toast } from "../ui";
import { txLink } from "../views";

/**
 * Per-transfer packages (/packages): the list with what is left of each, a card with every counted
 * transfer (a tx link each), and buying one: pick a size, then send the address.
 */
export const packagesFeature = new Composer<BotContext>();

/** Counted transfers shown on a card. */
const CARD_USES = 10;

const status = (ctx: BotContext, p: PackageView) => tr(ctx.locale, `bot-pkg-status-${p.status}`);

async function listScreen(ctx: BotContext) {
  const l = ctx.locale;
  const list = await listPackages(ctx.user.id, 10);
  const kb = new InlineKeyboard();
  for (const p of list)
    kb.text(
      `#${p.id} · ${shortAddress(p.address)} · ${p.remaining}/${p.transfers} · ${status(ctx, p)}`,
      cb.pkgOpen.pack(p.id),
    ).row();
  kb.text(tr(l, "btn-pkg-buy"), cb.pkgBuy.pack()).row().text(tr(l, "btn-menu"), cb.menu.pack());
  const text = list.length
    ? [
        `<b>${tr(l, "bot-pkg-title")}</b>`,
        ...list.map((p) =>
          tr(l, "bot-pkg-line", {
            id: String(p.id),
            address: shortAddress(p.address),
            left: String(p.remaining),
            total: String(p.transfers),
            status: status(ctx, p),
          }),
        ),
      ].join("\n")
    : tr(l, "bot-pkg-empty");
  return { text, keyboard: kb };
}

export async function packageCard(ctx: BotContext, p: PackageView) {
  const l = ctx.locale;
  const uses = await packageUsesOf(ctx.user.id, p.id, CARD_USES);
  const lines = [
    `<b>${tr(l, "bot-pkg-card-title", { id: String(p.id) })}</b>`,
    code(p.address),
    tr(l, "bot-pkg-card-status", { status: status(ctx, p) }),
    tr(l, "bot-pkg-card-left", { left: String(p.remaining), total: String(p.transfers) }),
    tr(l, "bot-pkg-card-price", { price: trx(p.priceSun) }),
    tr(l, "bot-pkg-card-ends", { date: dateTime(p.endsAt, l, ctx.user.timezone) }),
  ];
  if (p.status === "active") lines.push(tr(l, p.pending ? "bot-pkg-card-supplying" : "bot-pkg-card-ready"));
  if (p.refundedSun > 0n) lines.push(tr(l, "bot-pkg-card-refunded", { amount: trx(p.refundedSun) }));
  if (uses.length) {
    lines.push("", `<b>${tr(l, "bot-pkg-card-uses")}</b>`);
    for (const u of uses) lines.push(`• ${txLink(u.txid)} · ${dateTime(u.createdAt, l, ctx.user.timezone)}`);
  }
  const kb = new InlineKeyboard().text("🔄", cb.pkgOpen.pack(p.id)).text(tr(l, "btn-back"), cb.pkg.pack());
  return { text: lines.join("\n"), keyboard: kb };
}

packagesFeature.command("packages", async (ctx) => {
  ctx.session.step = undefined;
  await show(ctx, await listScreen(ctx), { fresh: true });
});

packagesFeature.callbackQuery(cb.pkg.filter, async (ctx) => {
  ctx.session.step = undefined;
  await toast(ctx);
  await show(ctx, await listScreen(ctx));
});

packagesFeature.callbackQuery(cb.pkgOpen.filter, async (ctx) => {
  try {
    const p = await getPackage(ctx.user.id, Number(cb.pkgOpen.unpack(ctx.callbackQuery.data)?.id ?? 0));
    await toast(ctx);
    await show(ctx, await packageCard(ctx, p));
  } catch (e) {
    const text = businessError(ctx.locale, e);
    if (!text) throw e;
    await toast(ctx, text, true);
  }
});

/** The sizes on sale, one button each. */
packagesFeature.callbackQuery(cb.pkgBuy.filter, async (ctx) => {
  const l = ctx.locale;
  await toast(ctx);
  ctx.session.step = undefined;
  const o = await packageOffers();
  const kb = new InlineKeyboard();
  for (const x of o.offers)
    kb.text(
      tr(l, "btn-pkg-size", { n: String(x.transfers), price: trx(x.priceSun) }),
      cb.pkgSize.pack(x.transfers),
    ).row();
  kb.text(tr(l, "btn-back"), cb.pkg.pack());
  await show(ctx, {
    text: o.offers.length
      ? tr(l, "bot-pkg-buy-prompt", { days: String(o.validityDays), percent: String(o.refundPercent) })
      : tr(l, "bot-pkg-none-on-sale"),
    keyboard: kb,
  });
});

packagesFeature.callbackQuery(cb.pkgSize.filter, async (ctx) => {
  const l = ctx.locale;
  const transfers = Number(cb.pkgSize.unpack(ctx.callbackQuery.data)?.n ?? 0);
  const offer = (await packageOffers()).offers.find((o) => o.transfers === transfers);
  if (!offer) {
    await toast(ctx, tr(l, "bot-pkg-none-on-sale"), true);
    return;
  }
  await toast(ctx);
  ctx.session.step = { kind: "pkg_address", transfers };
  await show(ctx, {
    text: tr(l, "bot-pkg-address-prompt", { n: String(transfers), price: trx(offer.priceSun) }),
    keyboard: new InlineKeyboard().text(tr(l, "btn-back"), cb.pkgBuy.pack()),
  });
});

/** The address for the chosen size: the package is bought (paid once from the balance). */
packagesFeature.on("message:text").filter(
  (ctx) => ctx.session.step?.kind === "pkg_address" && !ctx.message.text.startsWith("/"),
  async (ctx) => {
    const l = ctx.locale;
    const step = ctx.session.step as { kind: "pkg_address"; transfers: number };
    try {
      const { package: p } = await buyPackage({
        userId: ctx.user.id,
        address: ctx.message.text.trim(),
        transfers: step.transfers,
        source: "bot",
        idempotencyKey: `tg:${ctx.chat.id}:${ctx.message.message_id}`,
      });
      ctx.session.step = undefined;
      await show(ctx, await packageCard(ctx, p), { fresh: true });
    } catch (e) {
      const text = businessError(l, e);
      if (!text) throw e;
      await show(ctx, {
        text: `⚠️ ${text}`,
        keyboard: new InlineKeyboard().text(tr(l, "btn-back"), cb.pkgBuy.pack()),
      });
    }
  },
);
