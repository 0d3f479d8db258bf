import { Composer, InlineKeyboard, InputFile } from "grammy";
import QRCode from "qrcode";
import { int, trx } from "@/lib/format";
import { getSettings } from "@/lib/settings";
import { transferOffersView } from "@/lib/transfers";
import { cb } from "../callback-data";
import type { BotContext } from "../context";
import { code, durationLong } from "../format";
import { tr } from "../i18n";
import { show, toast } from "../ui";

/**
 * Pay by transfer (转账即租): the rental address (text + QR photo) and what each exact amount buys.
 * No balance needed: the energy goes to the address the TRX comes from.
 */
export const transferFeature = new Composer<BotContext>();

async function transferScreen(ctx: BotContext) {
  const l = ctx.locale;
  const v = transferOffersView(await getSettings());
  const kb = new InlineKeyboard();
  if (!v.enabled || v.offers.length === 0) {
    kb.text(tr(l, "btn-menu"), cb.menu.pack());
    return { text: `<b>${tr(l, "transfer-title")}</b>\n${tr(l, "transfer-off")}`, keyboard: kb };
  }
  const lines = [
    `<b>${tr(l, "transfer-title")}</b>`,
    tr(l, "transfer-intro"),
    "",
    tr(l, "bot-transfer-address", { address: code(v.address) }),
    "",
    ...v.offers.map(
      (o) =>
        `• ${tr(l, "transfer-offer-line", {
          trx: trx(o.amountSun),
          energy: int(o.energy),
          duration: durationLong(o.duration, l),
        })}`,
    ),
    "",
    `<i>${tr(l, "transfer-rules", { cap: trx(v.riskCapSun), fee: trx(v.refundFeeSun) })}</i>`,
  ];
  kb.copyText(tr(l, "btn-copy"), v.address)
    .text(tr(l, "btn-qr"), cb.transferQr.pack())
    .row()
    .text(tr(l, "btn-menu"), cb.menu.pack());
  return { text: lines.join("\n"), keyboard: kb };
}

transferFeature.command(["transfer", "zhuanzhang"], async (ctx) => {
  ctx.session.step = undefined;
  await show(ctx, await transferScreen(ctx), { fresh: true });
});

transferFeature.callbackQuery(cb.transfer.filter, async (ctx) => {
  ctx.session.step = undefined;
  await toast(ctx);
  await show(ctx, await transferScreen(ctx));
});

/** The QR is a new photo message (a text message cannot become a photo). */
transferFeature.callbackQuery(cb.transferQr.filter, async (ctx) => {
  const v = transferOffersView(await getSettings());
  const png = await QRCode.toBuffer(v.address, {
    type: "png",
    width: 512,
    margin: 2,
    errorCorrectionLevel: "M",
  });
  await toast(ctx);
  await ctx.replyWithPhoto(new InputFile(png, "rental-address.png"), {
    caption: tr(ctx.locale, "bot-transfer-qr-caption", { address: code(v.address) }),
    parse_mode: "HTML",
  });
});
