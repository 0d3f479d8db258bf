import { setLanguage } from "@/app/actions";
import type { Locale, Translate } from "@/lib/i18n";
import { locales } from "@/lib/locale";

/** zh / en switch; a plain form so it works without JavaScript. */
export function LanguageSwitch({ locale, t }: { locale: Locale; t: Translate }) {
  return (
    <form action={setLanguage} className="flex items-center gap-1 text-sm" aria-label={t("nav-language")}>
      {locales.map((l) => (
        <button
          key={l}
          type="submit"
          name="lang"
          value={l}
          aria-pressed={l === locale}
          className={`min-h-11 rounded-md px-2.5 py-1 whitespace-nowrap sm:px-3 ${
            l === locale ? "bg-brand-600 font-semibold text-white" : "text-slate-600 hover:bg-slate-100"
          }`}
        >
          {t(`lang-${l}`)}
        </button>
      ))}
    </form>
  );
}
