import "server-only";
import type { Deposit } from "@/db/schema";
import type { DepositView } from "@/lib/deposits";
import type { Locale, MessageKey, Translate } from "@/lib/i18n";
import { dateTime, formatInteger, formatTrx, formatUsdt } from "@/lib/format";
import type { Order, OrderDetail } from "@/lib/orders";
import { txUrl } from "@/lib/tron/explorer";

/**
 * JSON-safe views for pages and the polling routes: every amount and time already formatted by lib/format,
 * every time with its offset, every tx with its explorer link. No internal text (failure reasons,
 * supplier wallets) is exposed.
 */
export type OrderTx = { kind: "delegate" | "reclaim"; txid: string; url: string | null };
export type OrderTimelineItem = { id: number; label: string; at: string };

export type OrderSummary = {
  id: number;
  status: Order["status"];
  statusLabel: string;
  receiver: string;
  energy: string;
  durationKey: string;
  price: string;
  created: string;
};

export type OrderLive = OrderSummary & {
  expiresAt: string | null;
  expires: string | null;
  delivered: string | null;
  refunded: string | null;
  txs: OrderTx[];
  timeline: OrderTimelineItem[];
  final: boolean;
};

const FINAL = new Set(["completed", "failed", "cancelled", "refunded"]);

type Fmt = { t: Translate; locale: Locale; tz: string };

export function orderSummary(o: Order, { t, locale, tz }: Fmt): OrderSummary {
  return {
    id: o.id,
    status: o.status,
    statusLabel: t(`status-${o.status}` as MessageKey),
    receiver: o.receiverAddress,
    energy: t("energy-amount", { n: formatInteger(o.energy) }),
    durationKey: o.durationKey,
    price: formatTrx(o.priceSun),
    created: dateTime(o.createdAt, locale, tz),
  };
}

export type OrderCard = OrderSummary & { expiresAt: string | null };

export function orderCard(o: Order, f: Fmt): OrderCard {
  return { ...orderSummary(o, f), expiresAt: o.expiresAt ? o.expiresAt.toISOString() : null };
}

export function orderLive(o: OrderDetail, f: Fmt): OrderLive {
  const { t, locale, tz } = f;
  const txs: OrderTx[] = [];
  for (const d of o.delegations) {
    if (d.txid && (d.status === "confirmed" || d.status === "reclaiming" || d.status === "reclaimed"))
      txs.push({ kind: "delegate", txid: d.txid, url: txUrl(d.txid) });
    if (d.reclaimTxid && d.status === "reclaimed")
      txs.push({ kind: "reclaim", txid: d.reclaimTxid, url: txUrl(d.reclaimTxid) });
  }
  const timeline: OrderTimelineItem[] = [];
  for (const e of o.events) {
    let label: string | null = null;
    if (e.type === "refunded") {
      const amt = e.details?.amountSun;
      label =
        typeof amt === "string" || typeof amt === "number"
          ? t("orders-event-refunded", { amount: formatTrx(BigInt(amt)) })
          : null;
    } else if (e.toStatus && e.toStatus !== e.fromStatus) {
      label =
        e.toStatus === "paid"
          ? t("orders-event-created")
          : t("orders-event-status", { status: t(`status-${e.toStatus}` as MessageKey) });
    }
    if (label) timeline.push({ id: e.id, label, at: dateTime(e.createdAt, locale, tz) });
  }
  return {
    ...orderSummary(o, f),
    expiresAt: o.expiresAt ? o.expiresAt.toISOString() : null,
    expires: o.expiresAt ? dateTime(o.expiresAt, locale, tz) : null,
    delivered: o.deliveredAt ? dateTime(o.deliveredAt, locale, tz) : null,
    refunded: o.refundedSun > 0n ? formatTrx(o.refundedSun) : null,
    txs,
    timeline,
    final: FINAL.has(o.status),
  };
}

export type DepositRow = {
  id: number;
  currency: Deposit["currency"];
  amount: string;
  status: Deposit["status"];
  confirmations: number;
  required: number;
  credited: string | null;
  at: string;
  txid: string;
  url: string | null;
};

export function depositRow(d: DepositView, { locale, tz }: Fmt): DepositRow {
  return {
    id: d.id,
    currency: d.currency,
    amount: d.currency === "TRX" ? formatTrx(d.amountBase) : formatUsdt(d.amountBase),
    status: d.status,
    confirmations: Math.min(d.confirmations, d.requiredConfirmations),
    required: d.requiredConfirmations,
    credited: d.creditedSun !== null && d.creditedSun !== undefined ? formatTrx(d.creditedSun) : null,
    at: dateTime(d.blockTime ?? d.createdAt, locale, tz),
    txid: d.txid,
    url: txUrl(d.txid),
  };
}
