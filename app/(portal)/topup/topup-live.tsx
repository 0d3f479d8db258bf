"use client";

import { useEffect, useState } from "react";
import { useT } from "@/app/_components/i18n-provider";
import { TxLinkClient } from "@/app/_components/tx-link-client";
import type { DepositRow } from "../_lib/views";

/** Deposit history, polled every 5 s while the page is visible: confirmations count up to credited. */
export function DepositsLive({ initial, balance }: { initial: DepositRow[]; balance: string }) {
  const t = useT("topup");
  const [rows, setRows] = useState(initial);
  const [bal, setBal] = useState(balance);
  useEffect(() => {
    let stop = false;
    const tick = async () => {
      if (document.visibilityState !== "visible") return;
      try {
        const r = await fetch("/api/portal/deposits", { cache: "no-store" });
        if (!r.ok || stop) return;
        const body = (await r.json()) as { deposits: DepositRow[]; balance: string };
        setRows(body.deposits);
        setBal(body.balance);
      } catch {}
    };
    const id = setInterval(tick, 5000);
    return () => {
      stop = true;
      clearInterval(id);
    };
  }, []);
  return (
    <section className="space-y-3" aria-labelledby="dep-h">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="dep-h" className="text-lg font-semibold">
          {t("topup-history")}
        </h2>
        <p className="text-sm tabular-nums">
          {t("topup-balanceLabel")}
          <span className="font-semibold" data-testid="topup-balance">
            {bal}
          </span>
        </p>
      </div>
      {rows.length === 0 ? (
        <p className="text-sm text-slate-500">{t("topup-empty")}</p>
      ) : (
        <ul className="space-y-2" aria-live="polite" data-testid="deposits">
          {rows.map((d) => (
            <li
              key={d.id}
              data-status={d.status}
              className="space-y-1 rounded-lg border border-slate-200 bg-(--p-card) p-3 text-sm tabular-nums"
            >
              <div className="flex flex-wrap items-center justify-between gap-2">
                <span className="font-semibold">{d.amount}</span>
                {d.status === "credited" ? (
                  <span className="rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-semibold text-emerald-900">
                    {t("topup-credited", { amount: d.credited ?? d.amount })}
                  </span>
                ) : d.status === "below_minimum" ? (
                  <span className="rounded-full bg-rose-100 px-2 py-0.5 text-xs font-semibold text-rose-900">
                    {t("topup-belowMinimum")}
                  </span>
                ) : (
                  <span className="rounded-full bg-amber-100 px-2 py-0.5 text-xs font-semibold text-amber-900">
                    {t("topup-pending")} ·{" "}
                    {t("topup-confirmations", { n: d.confirmations, required: d.required })}
                  </span>
                )}
              </div>
              {d.status === "seen" && (
                <progress
                  className="h-1.5 w-full accent-(--p-btn)"
                  max={d.required}
                  value={d.confirmations}
                  aria-label={t("topup-confirmations", { n: d.confirmations, required: d.required })}
                />
              )}
              <div className="flex flex-wrap items-center justify-between gap-2 text-xs text-slate-500">
                <span>{d.at}</span>
                <TxLinkClient txid={d.txid} url={d.url} />
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
