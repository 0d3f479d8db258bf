"use client";

import { useT } from "@/app/_components/i18n-provider";
import type { PortalQuote } from "@/app/api/portal/quote/route";
import { Button } from "@/components/ui/button";
import { Card, CardTitle } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";

/** Step 4: the live quote; while it is being re-priced the old figures stay, dimmed. */
export function QuotePanel({
  quote,
  error,
  stale,
  onRetry,
}: {
  quote: PortalQuote | null;
  /** Why the quote failed (shown with a retry), unless the energy field already says it. */
  error: string | null;
  stale: boolean;
  onRetry: () => void;
}) {
  const t = useT("rent");
  const q = quote;
  return (
    <Card aria-labelledby="r-quote" aria-busy={stale} data-testid="quote-panel" className="space-y-2">
      <CardTitle id="r-quote">{t("rent-quote")}</CardTitle>
      {error ? (
        <div role="alert" className="flex flex-wrap items-center gap-2 text-sm text-(--p-danger)">
          {error}
          <Button variant="outline" size="compact" className="text-base text-slate-900" onClick={onRetry}>
            {t("common-retry")}
          </Button>
        </div>
      ) : q ? (
        <dl
          className={cn(
            "grid grid-cols-[1fr_auto] gap-x-4 gap-y-1 text-sm tabular-nums transition-opacity",
            stale && "opacity-50",
          )}
        >
          <dt className="text-slate-500">{t("rent-price")}</dt>
          <dd className="text-right text-lg font-bold" data-testid="quote-price">
            {q.price}
          </dd>
          <dt className="text-slate-500">{t("rent-unitPrice")}</dt>
          <dd className="text-right">{q.unitPrice}</dd>
          {q.fee && (
            <>
              <dt className="text-slate-500">{t("rent-fee")}</dt>
              <dd className="text-right">{q.fee}</dd>
            </>
          )}
          {q.discount && (
            <>
              <dt className="text-slate-500">{t("rent-discount", { percent: q.discountPercent })}</dt>
              <dd className="text-right text-emerald-800" data-testid="quote-discount">
                −{q.discount}
              </dd>
            </>
          )}
          {q.demandPercent > 0 && (
            <dt className="col-span-2 text-xs text-amber-800" data-testid="quote-demand">
              {t("rent-demand", { percent: q.demandPercent })}
            </dt>
          )}
          <dt className="text-slate-500">{q.burnLive ? t("rent-burnLive") : t("rent-burn")}</dt>
          <dd className="text-right text-rose-700 line-through decoration-1">{q.burn}</dd>
          <dt className="col-span-2 font-medium text-emerald-800">
            {t("rent-saving", { amount: q.saving, percent: q.savingPercent })}
          </dt>
          <dt className="text-slate-500">{t("dash-balance")}</dt>
          <dd className="text-right">{q.balance}</dd>
          {q.balanceAfter && (
            <>
              <dt className="text-slate-500">{t("rent-balanceAfter")}</dt>
              <dd className="text-right">{q.balanceAfter}</dd>
            </>
          )}
        </dl>
      ) : (
        <p className="text-sm text-slate-500">{t("common-loading")}</p>
      )}
    </Card>
  );
}
