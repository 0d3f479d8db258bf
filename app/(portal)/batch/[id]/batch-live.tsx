"use client";

import Link from "next/link";
import { useEffect, useState } from "react";
import { useT } from "@/app/_components/i18n-provider";
import type { BatchLive } from "../view";

/** Poll 2 s while lines are being placed or delivered, 30 s while orders are active, stop when settled. */
function pollDelay(b: BatchLive): number | null {
  if (
    !b.placed ||
    b.lines.some((l) => l.status === "paid" || l.status === "delegating" || l.status === "pending")
  )
    return 2000;
  if (b.lines.some((l) => l.status === "active" || l.status === "reclaiming")) return 30_000;
  return null;
}

function statusClass(s: string) {
  if (s === "active") return "bg-emerald-100 text-emerald-900";
  if (s === "failed" || s === "refunded" || s === "cancelled" || s === "rejected")
    return "bg-rose-100 text-rose-900";
  if (s === "completed") return "bg-slate-200 text-slate-800";
  return "bg-amber-100 text-amber-900";
}

/** The batch's lines with each order's status, kept up to date like the order page (docs/ux.md §2). */
export function BatchLiveView({ initial }: { initial: BatchLive }) {
  const t = useT("batch");
  const [batch, setBatch] = useState(initial);

  useEffect(() => {
    const delay = pollDelay(batch);
    if (delay === null) return;
    let stop = false;
    const timer = setTimeout(async () => {
      if (document.visibilityState === "hidden" && delay > 2000) return;
      try {
        const res = await fetch(`/api/portal/batches/${batch.id}`, { cache: "no-store" });
        if (res.ok && !stop) setBatch((await res.json()) as BatchLive);
        else if (!stop) setBatch((b) => ({ ...b }));
      } catch {
        if (!stop) setBatch((b) => ({ ...b }));
      }
    }, delay);
    return () => {
      stop = true;
      clearTimeout(timer);
    };
  }, [batch]);

  return (
    <div className="space-y-4">
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 rounded-lg border border-slate-200 bg-(--p-card) p-4 text-sm tabular-nums">
        <dt className="text-slate-500">{t("batch-created")}</dt>
        <dd>{batch.created}</dd>
        <dt className="text-slate-500">{t("batch-lines")}</dt>
        <dd data-testid="batch-counts">
          {t("batch-counts", {
            ordered: String(batch.orderedCount),
            rejected: String(batch.rejectedCount),
          })}
        </dd>
        <dt className="text-slate-500">{t("batch-paid")}</dt>
        <dd>{batch.paid}</dd>
        {batch.refunded && (
          <>
            <dt className="text-slate-500">{t("batch-refunded")}</dt>
            <dd>{batch.refunded}</dd>
          </>
        )}
      </dl>
      {!batch.settled && <p className="text-sm text-slate-600">{t("batch-live-waiting")}</p>}
      <ol className="space-y-2" aria-live="polite">
        {batch.lines.map((l) => (
          <li
            key={l.lineNo}
            data-testid="batch-line"
            data-status={l.status}
            className="space-y-1 rounded-lg border border-slate-200 bg-(--p-card) p-3 text-sm tabular-nums"
          >
            <div className="flex flex-wrap items-center justify-between gap-2">
              <span className="min-w-0 font-mono break-all">
                {l.lineNo}. {l.receiver}
              </span>
              <span className={`rounded-full px-2 py-0.5 text-xs font-semibold ${statusClass(l.status)}`}>
                {l.statusLabel}
              </span>
            </div>
            <div className="flex flex-wrap justify-between gap-2 text-slate-600">
              <span>
                {l.energy} · {l.duration}
              </span>
              {l.price && <span className="font-medium text-slate-900">{l.price}</span>}
            </div>
            {l.error && <p className="text-rose-800">{l.error}</p>}
            {l.orderId && (
              <Link href={`/orders/${l.orderId}`} className="text-(--p-link) underline">
                {t("batch-order-link", { id: String(l.orderId) })}
              </Link>
            )}
          </li>
        ))}
      </ol>
    </div>
  );
}
