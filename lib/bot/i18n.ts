import { LRUCache } from "lru-cache";
import { type MessageKey, translator, type Vars } from "@/lib/i18n";
import { type Locale, locales } from "@/lib/locale";

/**
 * Bot copy: the same Fluent catalogues and translator as the web (lib/i18n; the bot's messages
 * are lib/i18n/locales/<locale>/bot.ftl). Variables are passed pre-formatted as strings (money and
 * counts come from lib/format), so Fluent never formats numbers itself.
 */
export const BOT_LOCALES = locales;

/** Messages without variables, per locale: they never change while the process runs. */
const plain = new LRUCache<string, string>({ max: 5_000 });

/**
 * Translation by locale (views, notifications). A message without variables is translated once
 * and kept (a menu has a dozen button labels).
 */
export function tr(locale: Locale, key: MessageKey, vars?: Vars): string {
  if (vars) return translator(locale)(key, vars);
  const k = `${locale}:${key}`;
  let text = plain.get(k);
  if (text === undefined) {
    text = translator(locale)(key);
    plain.set(k, text);
  }
  return text;
}
