import { setPortalLanguage } from "@/app/(portal)/actions";
import type { Locale, Translate } from "@/lib/i18n";
import { locales } from "@/lib/locale";

/** zh / en switch for signed-in pages: also saves the user's language (used by the bot too). */
export function PortalLanguageSwitch({ locale, t }: { locale: Locale; t: Translate }) {
  return (
    <form
      action={setPortalLanguage}
      className="flex items-center gap-1 text-sm"
      aria-label={t("nav-language")}
    >
      {locales.map((l) => (
        <button
          key={l}
          type="submit"
          name="lang"
          value={l}
          lang={l === "zh" ? "zh-CN" : "en"}
          aria-pressed={l === locale}
          className={`min-h-11 rounded-md px-2.5 py-1 ${
            l === locale ? "bg-brand-600 font-semibold text-white" : "text-slate-600 hover:bg-slate-100"
          }`}
        >
          {t(`lang-${l}`)}
        </button>
      ))}
    </form>
  );
}
