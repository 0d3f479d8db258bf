import { ArrowRight, CircleCheck, Circle } from "lucide-react";
import Link from "next/link";
import { Suspense } from "react";
import { buttonVariants } from "@/components/ui/button";
import { shortAddress } from "@/lib/format";
import { formatTrx } from "@/lib/money";
import { listOrders } from "@/lib/orders";
import { listWallets } from "@/lib/wallets";
import { portalContext } from "../_lib/context";
import { orderCard } from "../_lib/views";
import { RecentOrders } from "./recent-orders";
import { WalletResources } from "./wallet-resources";

export const dynamic = "force-dynamic";

/** A list on the dashboard: its heading (which labels the section) with a link beside it, then the list. */
function ListSection({
  id,
  title,
  link,
  children,
}: {
  id: string;
  title: React.ReactNode;
  link: React.ReactNode;
  children: React.ReactNode;
}) {
  return (
    <section aria-labelledby={id} className="space-y-2">
      <div className="flex items-center justify-between gap-2">
        <h2 id={id} className="text-lg font-semibold">
          {title}
        </h2>
        {link}
      </div>
      {children}
    </section>
  );
}

export default async function DashboardPage() {
  const ctx = await portalContext();
  const { user, t, locale, tz } = ctx;
  const [wallets, { orders }] = await Promise.all([
    listWallets(user.id),
    listOrders({ userId: user.id, limit: 5 }),
  ]);
  const recent = orders.map((o) => orderCard(o, ctx));
  const steps = [
    { done: user.balanceSun > 0n, label: t("dash-checklist-topup"), href: "/topup" },
    { done: wallets.length > 0, label: t("dash-checklist-wallet"), href: "/wallets" },
    { done: orders.length > 0, label: t("dash-checklist-rent"), href: "/rent" },
  ];
  return (
    <div className="space-y-6">
      <h1 className="sr-only">{t("dash-title")}</h1>
      <section className="flex flex-wrap items-end justify-between gap-4 rounded-xl border border-slate-200 bg-(--p-card) p-4">
        <div>
          <h2 className="text-sm text-slate-500">{t("dash-balance")}</h2>
          <p className="text-3xl font-bold tabular-nums" data-testid="balance">
            {formatTrx(user.balanceSun)}
          </p>
        </div>
        <div className="flex gap-2">
          <Link href="/topup" className={buttonVariants({ variant: "outline", className: "font-semibold" })}>
            {t("dash-topUp")}
          </Link>
          <Link href="/rent" className={buttonVariants()}>
            {t("dash-rent")}
          </Link>
        </div>
      </section>

      {steps.some((s) => !s.done) && (
        <section
          aria-labelledby="chk"
          className="space-y-2 rounded-xl border border-slate-200 bg-(--p-card) p-4"
        >
          <h2 id="chk" className="font-semibold">
            {t("dash-checklist-title")}
          </h2>
          <ol className="space-y-1">
            {steps.map((s) => (
              <li key={s.href}>
                <Link href={s.href} className="flex min-h-11 items-center gap-2">
                  {s.done ? (
                    <CircleCheck className="size-5 text-emerald-600" aria-hidden />
                  ) : (
                    <Circle className="size-5 text-slate-400" aria-hidden />
                  )}
                  <span className={s.done ? "text-slate-500 line-through" : "font-medium"}>{s.label}</span>
                </Link>
              </li>
            ))}
          </ol>
        </section>
      )}

      <ListSection
        id="w-h"
        title={t("dash-wallets")}
        link={
          <Link href="/wallets" className="inline-flex min-h-11 items-center gap-1 text-sm text-(--p-link)">
            {wallets.length ? t("common-viewAll") : t("dash-addWallet")}{" "}
            <ArrowRight className="size-4" aria-hidden />
          </Link>
        }
      >
        {wallets.length === 0 ? (
          <p className="text-sm text-slate-500">{t("wallets-empty")}</p>
        ) : (
          <ul className="grid gap-3 md:grid-cols-2">
            {wallets.slice(0, 4).map((w) => (
              <li key={w.id} className="space-y-2 rounded-lg border border-slate-200 bg-(--p-card) p-3">
                <div className="flex items-center justify-between gap-2">
                  <span className="min-w-0 truncate font-medium">
                    {w.label || shortAddress(w.address)}
                    {w.label && (
                      <span className="ms-2 font-mono text-xs text-slate-500">{shortAddress(w.address)}</span>
                    )}
                  </span>
                  <Link
                    href={`/rent?receiver=${w.address}`}
                    className="inline-flex min-h-11 shrink-0 items-center text-sm text-(--p-link)"
                  >
                    {t("wallets-rentFor")}
                  </Link>
                </div>
                <Suspense
                  fallback={
                    <div
                      role="status"
                      className="h-10 animate-pulse rounded bg-slate-100"
                      aria-label={t("common-loading")}
                    />
                  }
                >
                  <WalletResources address={w.address} t={t} locale={locale} tz={tz} />
                </Suspense>
              </li>
            ))}
          </ul>
        )}
      </ListSection>

      <ListSection
        id="o-h"
        title={t("dash-lastOrders")}
        link={
          recent.length > 0 && (
            <Link href="/orders" className="inline-flex min-h-11 items-center gap-1 text-sm text-(--p-link)">
              {t("common-viewAll")} <ArrowRight className="size-4" aria-hidden />
            </Link>
          )
        }
      >
        {recent.length === 0 ? (
          <p className="text-sm text-slate-500">{t("orders-empty")}</p>
        ) : (
          <RecentOrders initial={recent} />
        )}
      </ListSection>

      <p className="text-sm" data-mini-only>
        <Link href="/account" className="inline-flex min-h-11 items-center text-(--p-link) underline">
          {t("nav-account")}
        </Link>
      </p>
    </div>
  );
}
