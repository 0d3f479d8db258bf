"use client";

import { Check, Circle, LoaderCircle } from "lucide-react";
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { CopyButton } from "@/app/_components/copy-button";
import { timeLeft } from "@/lib/format";
import { useT } from "@/app/_components/i18n-provider";
import { useMiniApp } from "@/app/_components/mini-app";
import { TxLinkClient } from "@/app/_components/tx-link-client";
import { buttonVariants } from "@/components/ui/button";
import type { OrderLive } from "../../_lib/views";

const STEPS = ["paid", "delegating", "active", "ended"] as const;

function stepIndex(status: OrderLive["status"]): number {
  switch (status) {
    case "paid":
      return 0;
    case "delegating":
      return 1;
    case "active":
    case "reclaiming":
      return 2;
    default:
      return 3;
  }
}

/** Poll 2 s while paid/delegating, 30 s while active, stop at the end (docs/ux.md §2). */
function pollDelay(status: OrderLive["status"]): number | null {
  if (status === "paid" || status === "delegating") return 2000;
  if (status === "active" || status === "reclaiming") return 30_000;
  return null;
}

export function OrderLiveView({ initial }: { initial: OrderLive }) {
  const t = useT("orders");
  const { webApp } = useMiniApp();
  const [order, setOrder] = useState(initial);
  const [now, setNow] = useState(() => Date.now());
  const prevStatus = useRef(initial.status);

  useEffect(() => {
    const delay = pollDelay(order.status);
    if (delay === null) return;
    let stop = false;
    const timer = setTimeout(async () => {
      if (document.visibilityState === "hidden" && delay > 2000) return;
      try {
        const res = await fetch(`/api/portal/orders/${order.id}`, { cache: "no-store" });
        if (res.ok && !stop) setOrder((await res.json()) as OrderLive);
        else if (!stop) setOrder((o) => ({ ...o }));
      } catch {
        if (!stop) setOrder((o) => ({ ...o }));
      }
    }, delay);
    return () => {
      stop = true;
      clearTimeout(timer);
    };
  }, [order]);

  useEffect(() => {
    if (prevStatus.current !== "active" && order.status === "active")
      webApp?.HapticFeedback?.notificationOccurred("success");
    prevStatus.current = order.status;
  }, [order.status, webApp]);

  useEffect(() => {
    if (!order.expiresAt || order.final) return;
    const i = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(i);
  }, [order.expiresAt, order.final]);

  const current = stepIndex(order.status);
  const failed = order.status === "failed" || order.status === "refunded" || order.status === "cancelled";
  const left = order.expiresAt ? timeLeft(new Date(order.expiresAt).getTime() - now, t) : null;

  return (
    <div className="space-y-5">
      <p
        aria-live="polite"
        data-testid="order-status"
        data-status={order.status}
        className="inline-flex items-center gap-2 rounded-full bg-(--p-secondary) px-3 py-1 font-semibold"
      >
        {order.statusLabel}
      </p>

      <ol className="grid grid-cols-4 gap-1" aria-label={t("orders-timeline")}>
        {STEPS.map((s, i) => {
          const done = i < current || (i === current && (s === "ended" || s === "active"));
          const active = i === current && !done;
          return (
            <li key={s} className="flex flex-col items-center gap-1 text-center text-xs">
              <span
                className={`flex size-8 items-center justify-center rounded-full border-2 ${
                  done
                    ? failed && s === "ended"
                      ? "border-rose-600 bg-rose-600 text-white"
                      : "border-emerald-600 bg-emerald-600 text-white"
                    : active
                      ? "border-(--p-btn) text-(--p-btn)"
                      : "border-slate-300 text-slate-400"
                }`}
                aria-hidden
              >
                {done ? (
                  <Check className="size-4" />
                ) : active ? (
                  <LoaderCircle className="size-4 animate-spin" />
                ) : (
                  <Circle className="size-3" />
                )}
              </span>
              <span className={i <= current ? "font-medium" : "text-slate-500"}>
                {s === "ended" && failed ? order.statusLabel : t(`orders-step-${s}`)}
              </span>
            </li>
          );
        })}
      </ol>

      {(order.status === "paid" || order.status === "delegating") && (
        <p className="text-sm text-slate-600">{t("orders-live-waiting")}</p>
      )}
      {order.status === "active" && (
        <p className="text-sm font-medium text-emerald-800">{t("orders-live-active")}</p>
      )}

      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 rounded-lg border border-slate-200 bg-(--p-card) p-4 text-sm tabular-nums">
        <dt className="text-slate-500">{t("orders-col-receiver")}</dt>
        <dd className="flex min-w-0 flex-wrap items-center gap-2">
          <code className="font-mono break-all">{order.receiver}</code>
          <CopyButton value={order.receiver} />
        </dd>
        <dt className="text-slate-500">{t("orders-col-energy")}</dt>
        <dd>{order.energy}</dd>
        <dt className="text-slate-500">{t("orders-col-duration")}</dt>
        <dd>
          {t(`duration-long-${order.durationKey.endsWith("h") ? "h" : "d"}`, {
            n: order.durationKey.slice(0, -1),
          })}
        </dd>
        <dt className="text-slate-500">{t("orders-col-price")}</dt>
        <dd>{order.price}</dd>
        <dt className="text-slate-500">{t("orders-col-created")}</dt>
        <dd>{order.created}</dd>
        {order.delivered && (
          <>
            <dt className="text-slate-500">{t("orders-delivered")}</dt>
            <dd>{order.delivered}</dd>
          </>
        )}
        {order.expires && (
          <>
            <dt className="text-slate-500">{t("orders-expires")}</dt>
            <dd>
              {order.expires}
              {!order.final && left && (
                <span data-testid="countdown" className="ms-2 font-medium text-slate-700">
                  · {left}
                </span>
              )}
            </dd>
          </>
        )}
        {order.refunded && (
          <>
            <dt className="text-slate-500">↩️</dt>
            <dd className="font-medium">{t("orders-refunded", { amount: order.refunded })}</dd>
          </>
        )}
      </dl>

      {order.txs.length > 0 && (
        <section className="space-y-2">
          <h2 className="font-semibold">{t("orders-txs")}</h2>
          <ul className="space-y-1" data-testid="order-txs">
            {order.txs.map((tx) => (
              <li key={tx.txid} className="flex flex-wrap items-center gap-2 text-sm">
                <span className="text-slate-500">
                  {t(tx.kind === "delegate" ? "orders-tx-delegate" : "orders-tx-reclaim")}
                </span>
                <TxLinkClient txid={tx.txid} url={tx.url} />
              </li>
            ))}
          </ul>
        </section>
      )}

      <section className="space-y-2">
        <h2 className="font-semibold">{t("orders-timeline")}</h2>
        <ol className="space-y-1 border-s-2 border-slate-200 ps-4 text-sm">
          {order.timeline.map((e) => (
            <li key={e.id}>
              <span className="font-medium">{e.label}</span>
              <span className="ms-2 text-slate-500 tabular-nums">{e.at}</span>
            </li>
          ))}
        </ol>
      </section>

      {order.final && (
        <Link
          href={`/rent?receiver=${order.receiver}&energy=${order.energy.replace(/\D/g, "")}&duration=${order.durationKey}`}
          className={buttonVariants()}
        >
          {t("orders-rentAgain")}
        </Link>
      )}
    </div>
  );
}
