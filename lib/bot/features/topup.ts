import { Composer, InlineKeyboard, InputFile } from "grammy";
import QRCode from "qrcode";
import { env } from "@/lib/env";
import { getOrCreateDepositAddress, listDeposits } from "@/lib/deposits";
import { getSettings } from "@/lib/settings";
import { tron } from "@/lib/tron/client";
import { cb } from "../callback-data";
import type { BotContext } from "../context";
import { trx, usdt } from "@/lib/format";
import { code } from "../format";
import { tr } from "../i18n";
import { show, toast } from "../ui";

/** Top-up: the user's own deposit address (text + QR photo), minimums and the USDT rate. */
export const topupFeature = new Composer<BotContext>();

async function topupScreen(ctx: BotContext) {
  const l = ctx.locale;
  const [{ address }, s, recent] = await Promise.all([
    getOrCreateDepositAddress(ctx.user.id),
    getSettings(),
    listDeposits({ userId: ctx.user.id, limit: 1 }),
  ]);
  const blocks = recent[0]?.requiredConfirmations ?? 20;
  const lines = [
    `<b>${tr(l, "bot-topup-title")}</b>`,
    tr(l, "bot-topup-address", { address: code(address) }),
    tr(l, "bot-topup-network", {
      network: env.TRON_NETWORK === "mainnet" ? "TRON (TRC20)" : `TRON ${env.TRON_NETWORK}`,
    }),
    tr(l, "topup-min", { trx: trx(s.minDepositTrxSun), usdt: usdt(s.minDepositUsdtBase) }),
    tr(l, "bot-topup-rate", { rate: trx(s.usdtRateSun) }),
    `<i>${tr(l, "bot-topup-confirmations", { blocks: String(blocks) })}</i>`,
    tr(l, "bot-topup-accepted", { usdt: `<code>${tron().config.usdtContract}</code>` }),
    tr(l, "topup-not-accepted"),
  ];
  const kb = new InlineKeyboard()
    .copyText(tr(l, "btn-copy"), address)
    .text(tr(l, "btn-qr"), cb.topupQr.pack())
    .row()
    .text(tr(l, "btn-menu"), cb.menu.pack());
  return { text: lines.join("\n"), keyboard: kb, address };
}

topupFeature.command(["topup", "deposit"], async (ctx) => {
  ctx.session.step = undefined;
  await show(ctx, await topupScreen(ctx), { fresh: true });
});

topupFeature.callbackQuery(cb.topup.filter, async (ctx) => {
  ctx.session.step = undefined;
  await toast(ctx);
  await show(ctx, await topupScreen(ctx));
});

/** The QR is a new photo message (a text message cannot become a photo). */
topupFeature.callbackQuery(cb.topupQr.filter, async (ctx) => {
  const l = ctx.locale;
  const { address } = await getOrCreateDepositAddress(ctx.user.id);
  const png = await QRCode.toBuffer(address, {
    type: "png",
    width: 512,
    margin: 2,
    errorCorrectionLevel: "M",
  });
  await toast(ctx);
  await ctx.replyWithPhoto(new InputFile(png, "deposit-address.png"), {
    caption: tr(l, "topup-qr-caption", { address: code(address) }),
    parse_mode: "HTML",
  });
});
