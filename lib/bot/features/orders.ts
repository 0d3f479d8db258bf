import { Composer, InlineKeyboard } from "grammy";
import { isAppError } from "@/lib/errors";
import { cancelOrder, getOrder, listOrders } from "@/lib/orders";
import { lookupAccount } from "../chain";
import { cb } from "../callback-data";
import type { BotContext } from "../context";
import { businessError } from "../errors";
import { tr } from "../i18n";
import { confirmScreen, show, toast } from "../ui";
import { accountCard, orderCard, orderLine } from "../views";

/** Orders: paginated list (5 a page), order card with timeline, cancel while still paid. */
export const ordersFeature = new Composer<BotContext>();
const PAGE = 5;

async function listScreen(ctx: BotContext, cursor: string) {
  const l = ctx.locale;
  const { orders, nextCursor } = await listOrders({
    userId: ctx.user.id,
    limit: PAGE,
    cursor: cursor === "0" ? null : cursor,
  });
  // Pages visited, newest first, so [‹ Prev] knows where it came from.
  let pages = ctx.session.orderPages ?? [];
  const at = pages.indexOf(cursor);
  pages = at >= 0 ? pages.slice(0, at + 1) : cursor === "0" ? ["0"] : [...pages, cursor];
  ctx.session.orderPages = pages.slice(-50);
  if (!orders.length && cursor === "0")
    return {
      text: tr(l, "bot-orders-empty"),
      keyboard: new InlineKeyboard()
        .text(tr(l, "btn-rent"), cb.rent.pack())
        .row()
        .text(tr(l, "btn-menu"), cb.menu.pack()),
    };
  const kb = new InlineKeyboard();
  for (const o of orders)
    kb.text(`#${o.id} · ${tr(l, `bot-status-${o.status}`)}`, cb.orderOpen.pack(o.id)).row();
  // Each order ended its row; the paging buttons share the next one, which exists only when there
  // is a page to go to (an empty row is not a valid keyboard row).
  const prev = pages.length > 1 ? pages[pages.length - 2] : null;
  if (prev !== null) kb.text(tr(l, "btn-prev"), cb.orders.pack(prev));
  if (nextCursor) kb.text(tr(l, "btn-next"), cb.orders.pack(nextCursor));
  if (prev !== null || nextCursor) kb.row();
  kb.text(tr(l, "btn-menu"), cb.menu.pack());
  const text = [
    `<b>${tr(l, "bot-orders-title")}</b>`,
    ...orders.map((o) => orderLine(l, o, ctx.user.timezone)),
  ].join("\n");
  return { text, keyboard: kb };
}

ordersFeature.command("orders", async (ctx) => {
  ctx.session.step = undefined;
  await show(ctx, await listScreen(ctx, "0"), { fresh: true });
});

ordersFeature.callbackQuery(cb.orders.filter, async (ctx) => {
  const cursor = cb.orders.unpack(ctx.callbackQuery.data)?.cursor ?? "0";
  await toast(ctx);
  await show(ctx, await listScreen(ctx, /^\d{1,18}$/.test(cursor) ? cursor : "0"));
});

/** An order the button refers to, owned by this user; otherwise answered as outdated. */
async function orderOf(ctx: BotContext, id: string | undefined) {
  const orderId = Number(id);
  try {
    if (!Number.isSafeInteger(orderId) || orderId <= 0) throw new Error("bad id");
    return await getOrder({ orderId, userId: ctx.user.id });
  } catch (e) {
    if (isAppError(e) && e.code !== "not_found") throw e;
    await toast(ctx, tr(ctx.locale, "err-not-found"));
    await show(ctx, await listScreen(ctx, "0"));
    return null;
  }
}

function card(ctx: BotContext, o: Awaited<ReturnType<typeof getOrder>>) {
  return orderCard(ctx.locale, o, {
    appUrl: ctx.deps.appUrl,
    tz: ctx.user.timezone,
    supportUrl: ctx.deps.supportUrl,
    timeline: true,
  });
}

for (const def of [cb.orderOpen, cb.orderRefresh]) {
  ordersFeature.callbackQuery(def.filter, async (ctx) => {
    const o = await orderOf(ctx, def.unpack(ctx.callbackQuery.data)?.id);
    if (!o) return;
    await toast(ctx);
    await show(ctx, card(ctx, o));
  });
}

ordersFeature.callbackQuery(cb.orderCancel.filter, async (ctx) => {
  const o = await orderOf(ctx, cb.orderCancel.unpack(ctx.callbackQuery.data)?.id);
  if (!o) return;
  const l = ctx.locale;
  if (o.status !== "paid") {
    await toast(ctx, tr(l, "err-invalid-state"), true);
    return show(ctx, card(ctx, o));
  }
  await confirmScreen(
    ctx,
    tr(l, "order-cancel-confirm", { id: String(o.id) }),
    { label: tr(l, "btn-cancel-order-yes"), data: cb.orderCancelYes.pack(o.id) },
    { label: tr(l, "btn-back"), data: cb.orderOpen.pack(o.id) },
  );
});

ordersFeature.callbackQuery(cb.orderCancelYes.filter, async (ctx) => {
  const o = await orderOf(ctx, cb.orderCancelYes.unpack(ctx.callbackQuery.data)?.id);
  if (!o) return;
  const l = ctx.locale;
  try {
    await cancelOrder({ orderId: o.id, userId: ctx.user.id, reason: "cancelled in the bot" });
    await toast(ctx, tr(l, "toast-order-cancelled"));
  } catch (e) {
    const m = businessError(l, e);
    if (!m) throw e;
    await toast(ctx, m, true);
  }
  await show(ctx, card(ctx, await getOrder({ orderId: o.id, userId: ctx.user.id })));
});

ordersFeature.callbackQuery(cb.orderCheck.filter, async (ctx) => {
  const o = await orderOf(ctx, cb.orderCheck.unpack(ctx.callbackQuery.data)?.id);
  if (!o) return;
  const l = ctx.locale;
  await toast(ctx);
  ctx.session.lookup = o.receiverAddress;
  let text: string;
  try {
    text = accountCard(l, ctx.user.timezone, await lookupAccount(o.receiverAddress), {
      title: tr(l, "lookup-title"),
    });
  } catch (e) {
    if (!isAppError(e)) throw e;
    text = `⚠️ ${tr(l, "err-chain")}`;
  }
  await show(
    ctx,
    {
      text,
      keyboard: new InlineKeyboard()
        .text(tr(l, "btn-back"), cb.orderOpen.pack(o.id))
        .text(tr(l, "btn-menu"), cb.menu.pack()),
    },
    { fresh: true },
  );
});
