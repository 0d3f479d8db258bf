import Link from "next/link";
import { I18nProvider } from "@/app/_components/i18n-provider";
import { LanguageSwitch } from "@/app/_components/language-switch";
import { MiniAppProvider } from "@/app/_components/mini-app";
import { clientMessages } from "@/lib/i18n/client-messages";
import { getRequestLocale } from "@/lib/i18n/server";
import "../(portal)/portal.css";

/** Sign-in pages: a small centred card, the language switch, Mini App detection. */
export default async function LoginLayout({ children }: { children: React.ReactNode }) {
  const { locale, t } = await getRequestLocale();
  return (
    <I18nProvider locale={locale} messages={clientMessages(locale, "login")}>
      <MiniAppProvider hinted={false}>
        <div className="min-h-screen bg-(--p-bg) text-(--p-text)">
          <header data-portal-chrome className="border-b border-slate-200 bg-white">
            <div className="mx-auto flex max-w-md items-center justify-between gap-2 px-4 py-1.5">
              <Link href="/" className="flex min-h-11 items-center gap-1.5 font-semibold text-brand-700">
                <span aria-hidden>⚡</span>
                <span>{t("app-name")}</span>
              </Link>
              <LanguageSwitch locale={locale} t={t} />
            </div>
          </header>
          <main className="mx-auto max-w-md px-4 py-8">{children}</main>
        </div>
      </MiniAppProvider>
    </I18nProvider>
  );
}
