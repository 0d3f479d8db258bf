import { setPortalLanguage } from "@/app/(portal)/actions";
import type { Locale, Translate } from "@/lib/i18n";
import { LanguageForm } from "./language-switch";

/** zh / en switch for signed-in pages: also saves the user's language (used by the bot too). */
export function PortalLanguageSwitch({ locale, t }: { locale: Locale; t: Translate }) {
  return <LanguageForm action={setPortalLanguage} locale={locale} t={t} tagLang />;
}
