"use client";

import { LoaderCircle } from "lucide-react";
import Link from "next/link";
import { useT } from "@/app/_components/i18n-provider";
import { Button } from "@/components/ui/button";

/**
 * Step 5: the pay button with the total (a sticky bottom bar on phones), and why it is disabled when
 * it is. Hidden inside the Mini App, whose MainButton does the same.
 */
export function PayBar({
  total,
  label,
  canPay,
  pending,
  blocker,
  topUpBlocker,
  hiddenInMiniApp,
}: {
  total: string | null;
  label: string;
  canPay: boolean;
  pending: boolean;
  blocker: string | null;
  /** The blocker is a missing balance: it links to the top-up page. */
  topUpBlocker: boolean;
  hiddenInMiniApp: boolean;
}) {
  const t = useT("rent");
  return (
    <div
      data-mini-hide={hiddenInMiniApp ? "" : undefined}
      className="fixed inset-x-0 bottom-14 z-20 border-t border-slate-200 bg-white px-3 py-2 md:static md:border-0 md:bg-transparent md:p-0"
    >
      <div className="mx-auto flex max-w-5xl items-center justify-between gap-3">
        <div className="min-w-0 text-sm tabular-nums md:hidden">
          <div className="text-slate-500">{t("rent-total")}</div>
          <div className="font-bold">{total ?? "—"}</div>
        </div>
        <div className="flex flex-col items-end gap-1 md:items-start">
          <Button
            type="submit"
            disabled={!canPay}
            aria-describedby={blocker ? "r-blocker" : undefined}
            data-testid="pay-button"
            className="gap-2 px-5 disabled:opacity-50"
          >
            {pending && <LoaderCircle className="size-4 animate-spin" aria-hidden />}
            {pending ? t("rent-paying") : label}
          </Button>
          {blocker && (
            <p
              id="r-blocker"
              className="text-right text-xs text-slate-600 md:text-left"
              data-testid="pay-blocker"
            >
              {topUpBlocker ? (
                <Link href="/topup" className="underline">
                  {blocker}
                </Link>
              ) : (
                blocker
              )}
            </p>
          )}
        </div>
      </div>
    </div>
  );
}
