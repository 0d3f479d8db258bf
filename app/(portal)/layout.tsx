import Link from "next/link";
import { I18nProvider } from "@/app/_components/i18n-provider";
import { MiniAppProvider } from "@/app/_components/mini-app";
import { MobileShortcuts, PortalNav } from "@/app/_components/portal-nav";
import { PortalLanguageSwitch } from "@/app/_components/portal-language-switch";
import { SessionKeeper } from "@/app/_components/session-keeper";
import { clientMessages } from "@/lib/i18n/client-messages";
import { portalContext } from "./_lib/context";
import "./portal.css";

/** Signed-in pages: header with navigation and language, bottom bar on phones, Mini App mode. */
export default async function PortalLayout({ children }: { children: React.ReactNode }) {
  const { locale, t, isMini } = await portalContext();
  const items = [
    { href: "/dashboard", label: t("nav-dashboard"), icon: "home" as const },
    { href: "/rent", label: t("nav-rent"), icon: "rent" as const },
    { href: "/orders", label: t("nav-orders"), icon: "orders" as const },
    { href: "/topup", label: t("nav-topup"), icon: "topup" as const },
    { href: "/wallets", label: t("nav-wallets"), icon: "wallets" as const },
    { href: "/keep", label: t("nav-keep"), icon: "keep" as const },
    { href: "/packages", label: t("nav-packages"), icon: "packages" as const },
    { href: "/account", label: t("nav-account"), icon: "account" as const },
  ];
  return (
    <I18nProvider locale={locale} messages={clientMessages(locale)}>
      <MiniAppProvider hinted={isMini}>
        <SessionKeeper />
        <div className="min-h-screen bg-(--p-bg) text-(--p-text)">
          <header data-portal-chrome className="sticky top-0 z-20 border-b border-slate-200 bg-white">
            <div className="mx-auto flex max-w-5xl items-center justify-between gap-2 px-3 py-1.5 sm:px-4">
              <Link
                href="/dashboard"
                aria-label={t("app-name")}
                className="flex min-h-11 min-w-11 items-center gap-1.5 font-semibold text-brand-700"
              >
                <span aria-hidden>⚡</span>
                <span className="hidden lg:inline">{t("app-name")}</span>
              </Link>
              <PortalNav items={items} label={t("nav-main")} />
              <div className="flex items-center gap-1">
                <MobileShortcuts items={items} />
                <PortalLanguageSwitch locale={locale} t={t} />
              </div>
            </div>
          </header>
          <main className="mx-auto max-w-5xl px-3 pt-4 pb-28 sm:px-4 md:pb-10">{children}</main>
        </div>
      </MiniAppProvider>
    </I18nProvider>
  );
}
