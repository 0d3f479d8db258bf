import { setLanguage } from "@/app/actions";
import type { Locale, Translate } from "@/lib/i18n";
import { locales } from "@/lib/locale";

/**
 * The zh / en buttons in a plain form (it works without JavaScript) that posts `lang` to `action`.
 * `wide`: buttons that keep their label on one line and widen from `sm`; `tagLang`: each button
 * carries its own language's `lang` attribute.
 */
export function LanguageForm({
  action,
  locale,
  t,
  wide = false,
  tagLang = false,
}: {
  action: (form: FormData) => Promise<void>;
  locale: Locale;
  t: Translate;
  wide?: boolean;
  tagLang?: boolean;
}) {
  return (
    <form action={action} className="flex items-center gap-1 text-sm" aria-label={t("nav-language")}>
      {locales.map((l) => (
        <button
          key={l}
          type="submit"
          name="lang"
          value={l}
          lang={tagLang ? (l === "zh" ? "zh-CN" : "en") : undefined}
          aria-pressed={l === locale}
          className={`min-h-11 rounded-md px-2.5 py-1 ${wide ? "whitespace-nowrap sm:px-3 " : ""}${
            l === locale ? "bg-brand-600 font-semibold text-white" : "text-slate-600 hover:bg-slate-100"
          }`}
        >
          {t(`lang-${l}`)}
        </button>
      ))}
    </form>
  );
}

/** zh / en switch for public pages (sets the language cookie). */
export function LanguageSwitch({ locale, t }: { locale: Locale; t: Translate }) {
  return <LanguageForm action={setLanguage} locale={locale} t={t} wide />;
}
