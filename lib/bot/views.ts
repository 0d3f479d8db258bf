import { InlineKeyboard } from "grammy";
import type { Delegation, Order, OrderEvent, UserWallet } from "@/db/schema";
import type { Settings } from "@/lib/settings";
import { shortAddress } from "@/lib/tron/address";
import { txUrl } from "@/lib/tron/explorer";
import { cb } from "./callback-data";
import type { BotKey } from "@/lib/i18n";
import type { Locale } from "@/lib/locale";
import { clock, dateTime, int, trx, usdt } from "@/lib/format";
import { code, durationLong, esc, link, timeLeft } from "./format";
import { tr } from "./i18n";
import type { Looked } from "./chain";
import type { Screen } from "./ui";

/** Main menu (docs/ux.md §1.3). */
export function mainMenu(
  l: Locale,
  v: {
    balanceSun: bigint;
    defaultWallet: UserWallet | null;
    /** The user has a supplier profile: the menu offers their supply screen. */
    supplier?: boolean;
    settings: Settings;
    /** Sun burned per energy without energy: the chain's figure (lib/pricing `getBurnPrice`). */
    burnPriceSun: bigint;
    miniAppUrl: string | null;
  },
): Screen {
  const s = v.settings;
  const lines = [
    tr(l, "menu-title"),
    tr(l, "menu-balance", { amount: trx(v.balanceSun) }),
    v.defaultWallet
      ? tr(l, "menu-default-wallet", { address: esc(shortAddress(v.defaultWallet.address)) })
      : tr(l, "menu-no-wallet"),
    "",
    `<i>${tr(l, "menu-burn-hint", {
      low: trx(BigInt(s.usdtEnergyHolder) * v.burnPriceSun),
      high: trx(BigInt(s.usdtEnergyEmpty) * v.burnPriceSun),
    })}</i>`,
  ];
  if (s.maintenance.enabled) lines.push("", tr(l, "maintenance-banner"));
  const kb = new InlineKeyboard()
    .text(tr(l, "btn-rent"), cb.rent.pack())
    .text(tr(l, "btn-batch"), cb.batch.pack())
    .row()
    .text(tr(l, "btn-wallets"), cb.wallets.pack())
    .text(tr(l, "btn-lookup"), cb.lookup.pack())
    .row()
    .text(tr(l, "btn-topup"), cb.topup.pack())
    .text(tr(l, "btn-orders"), cb.orders.pack("0"))
    .row()
    .text(tr(l, "btn-transfer"), cb.transfer.pack())
    .row()
    .text(tr(l, "btn-language"), cb.lang.pack())
    .text(tr(l, "btn-help"), cb.help.pack())
    .row()
    .text(tr(l, "btn-invite"), cb.invite.pack())
    .text(tr(l, "btn-packages"), cb.pkg.pack())
    .row()
    .text(tr(l, "btn-keep"), cb.keep.pack())
    .text(tr(l, "btn-portal"), cb.portal.pack());
  if (v.supplier) kb.row().text(tr(l, "btn-supplier"), cb.supplier.pack());
  if (v.miniAppUrl) kb.row().webApp(tr(l, "btn-miniapp"), v.miniAppUrl);
  return { text: lines.join("\n"), keyboard: kb };
}

/** Resources card for a wallet or a looked-up address (`opts.title` is HTML: escape what goes in it). */
export function accountCard(
  l: Locale,
  tz: string | null | undefined,
  r: Looked,
  opts: { title: string; hints?: boolean; energyWanted?: number },
): string {
  const { ov } = r;
  const lines = [
    `<b>${opts.title}</b>`,
    code(ov.address),
    tr(l, "card-trx", { amount: trx(ov.trxSun) }),
    tr(l, "card-usdt", { amount: usdt(ov.usdtBase) }),
    tr(l, "card-energy", { available: int(ov.energyAvailable), limit: int(ov.energyLimit) }),
    tr(l, "card-bandwidth", { available: int(ov.bandwidthAvailable), limit: int(ov.bandwidthLimit) }),
    ov.activated ? tr(l, "card-activated") : tr(l, "card-not-activated"),
  ];
  if (opts.hints) {
    if (!ov.activated) lines.push(`<i>${tr(l, "hint-not-activated")}</i>`);
    else if (ov.energyAvailable >= BigInt(opts.energyWanted ?? 65_000))
      lines.push(`<i>${tr(l, "hint-enough-energy")}</i>`);
  }
  const asOf = tr(l, "card-as-of", { time: clock(ov.fetchedAt, l, tz) });
  const notes = [asOf];
  if (ov.provider === "tronscan") notes.push(tr(l, "card-fallback"));
  if (r.stale) notes.push(tr(l, "card-stale"));
  lines.push(`<i>${notes.join(" · ")}</i>`);
  return lines.join("\n");
}

const STATUS_EMOJI: Record<string, string> = {
  paid: "⏳",
  delegating: "⏳",
  active: "✅",
  reclaiming: "☑️",
  completed: "☑️",
  failed: "⚠️",
  cancelled: "↩️",
  refunded: "↩️",
};

export function statusLabel(l: Locale, status: string): string {
  return tr(l, `bot-status-${status}` as BotKey);
}

/** A tx reference: a TronScan link, or on devnet the txid as code plus the portal order page. */
export function txRef(txid: string, orderId: number, appUrl: string): string {
  const url = txUrl(txid);
  const short = `${txid.slice(0, 8)}…${txid.slice(-6)}`;
  if (url) return link(url, short);
  return `${code(txid)} (${link(new URL(`/orders/${orderId}`, appUrl).toString(), `#${orderId}`)})`;
}

/** A tx link where the network has an explorer, else the txid as code. */
export function txLink(txid: string): string {
  const url = txUrl(txid);
  return url ? `<a href="${url}">${txid.slice(0, 8)}…${txid.slice(-6)}</a>` : code(txid);
}

type OrderView = Order & { events?: OrderEvent[]; delegations?: Delegation[] };

/** The live order card (docs/ux.md §1.5): one message, re-rendered on every order event. */
export function orderCard(
  l: Locale,
  o: OrderView,
  opts: { appUrl: string; tz?: string | null; now?: number; supportUrl?: string | null; timeline?: boolean },
): Screen {
  const now = opts.now ?? Date.now();
  const lines = [
    `<b>${tr(l, "order-title", { id: String(o.id) })}</b>`,
    tr(l, "order-receiver", { address: code(o.receiverAddress) }),
    tr(l, "order-energy", { energy: int(o.energy), duration: durationLong(o.durationKey, l) }),
    tr(l, "order-price", { amount: trx(o.priceSun) }),
    "",
  ];
  const txids = (o.delegations ?? []).map((d) => d.txid).filter((t): t is string => !!t);
  const txLine = txids.length
    ? tr(l, "order-tx", { tx: txids.map((t) => txRef(t, o.id, opts.appUrl)).join(", ") })
    : null;
  const e = STATUS_EMOJI[o.status] ?? "";
  switch (o.status) {
    case "paid":
      lines.push(`${e} ${tr(l, "order-st-paid", { amount: trx(o.priceSun) })}`);
      break;
    case "delegating":
      lines.push(`${e} ${tr(l, "order-st-delegating")}`);
      if (txLine) lines.push(txLine);
      break;
    case "active": {
      lines.push(
        `${e} ${tr(l, "order-st-active", { energy: int(o.energy), address: esc(shortAddress(o.receiverAddress)) })}`,
      );
      if (txLine) lines.push(txLine);
      if (o.expiresAt)
        lines.push(
          tr(l, "order-ends", {
            time: clock(o.expiresAt, l, opts.tz),
            left: timeLeft(o.expiresAt.getTime() - now, l),
          }),
        );
      break;
    }
    case "reclaiming":
    case "completed":
      lines.push(
        `${e} ${tr(l, "order-st-completed", { time: clock(o.expiresAt ?? o.completedAt ?? new Date(now), l, opts.tz) })}`,
      );
      if (txLine) lines.push(txLine);
      if (o.refundedSun > 0n)
        lines.push(`↩️ ${tr(l, "order-partial-refund", { amount: trx(o.refundedSun) })}`);
      break;
    case "failed":
      lines.push(`${e} ${tr(l, "order-st-failed")}`);
      break;
    case "cancelled":
      lines.push(`${e} ${tr(l, "order-st-cancelled")}`);
      break;
    case "refunded":
      lines.push(
        o.failureReason
          ? `⚠️ ${tr(l, "order-st-failed-short")} · ↩️ ${tr(l, "order-st-refunded", { amount: trx(o.refundedSun || o.priceSun) })}`
          : `↩️ ${tr(l, "order-st-cancelled-refunded", { amount: trx(o.refundedSun || o.priceSun) })}`,
      );
      break;
  }
  if (opts.timeline && o.events?.length) {
    lines.push("", `<b>${tr(l, "order-timeline")}</b>`);
    for (const ev of o.events.filter((x) => x.toStatus)) {
      lines.push(`${dateTime(ev.createdAt, l, opts.tz)} · ${statusLabel(l, ev.toStatus!)}`);
    }
  }
  const kb = new InlineKeyboard();
  switch (o.status) {
    case "paid":
      kb.text(tr(l, "btn-cancel-order"), cb.orderCancel.pack(o.id)).text("🔄", cb.orderRefresh.pack(o.id));
      break;
    case "delegating":
      kb.text("🔄", cb.orderRefresh.pack(o.id));
      break;
    case "active":
      kb.text(tr(l, "btn-check-address"), cb.orderCheck.pack(o.id))
        .text(tr(l, "btn-rent-again"), cb.rentAgain.pack(o.id))
        .row()
        .text(tr(l, "btn-orders"), cb.orders.pack("0"))
        .text("🔄", cb.orderRefresh.pack(o.id));
      break;
    case "reclaiming":
    case "completed":
      kb.text(tr(l, "btn-rent-again"), cb.rentAgain.pack(o.id)).text(
        tr(l, "btn-orders"),
        cb.orders.pack("0"),
      );
      break;
    default:
      kb.text(tr(l, "btn-try-again"), cb.rentAgain.pack(o.id));
      if (opts.supportUrl) kb.url(tr(l, "btn-support"), opts.supportUrl);
      kb.row().text(tr(l, "btn-orders"), cb.orders.pack("0"));
  }
  kb.row().text(tr(l, "btn-menu"), cb.menu.pack());
  return { text: lines.join("\n"), keyboard: kb };
}

/** One line of the orders list. */
export function orderLine(l: Locale, o: Order, tz?: string | null): string {
  return `${STATUS_EMOJI[o.status] ?? ""} #${o.id} · ${int(o.energy)} · ${esc(o.durationKey)} · ${esc(shortAddress(o.receiverAddress))} · ${trx(o.priceSun)} · ${dateTime(o.createdAt, l, tz)}`;
}

export function walletButtonLabel(w: UserWallet): string {
  const name = w.label ? `${w.label} · ` : "";
  return `${w.isDefault ? "⭐ " : ""}${name}${shortAddress(w.address)}`.slice(0, 60);
}
