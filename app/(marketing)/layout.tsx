import Link from "next/link";
import { LanguageSwitch } from "@/app/_components/language-switch";
import { PortalLink } from "@/app/_components/portal-link";
import { env } from "@/lib/env";
import { getRequestLocale } from "@/lib/i18n/server";

/** Public pages: product header with the language switch, and the network in the footer. */
export default async function MarketingLayout({ children }: { children: React.ReactNode }) {
  const { locale, t } = await getRequestLocale();
  return (
    <>
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-5xl items-center justify-between gap-2 px-3 py-2 sm:gap-4 sm:px-4">
          {/* On a phone the page's own heading names the product: the header keeps the mark only. */}
          <Link
            href="/"
            aria-label={t("app-name")}
            className="flex min-h-11 min-w-11 items-center gap-2 font-semibold whitespace-nowrap text-brand-700"
          >
            <span aria-hidden>⚡</span>
            <span className="hidden sm:inline">{t("app-name")}</span>
          </Link>
          <div className="flex items-center gap-1 sm:gap-2">
            <LanguageSwitch locale={locale} t={t} />
            <PortalLink t={t} />
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-5xl px-4 py-6">{children}</main>
      <footer className="mx-auto max-w-5xl px-4 py-6 text-xs text-slate-500">
        {t("footer-network", { network: env.TRON_NETWORK })}
      </footer>
    </>
  );
}
