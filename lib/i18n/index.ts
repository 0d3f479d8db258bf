import { durationParts } from "@/lib/format";
import { isLocale, type Locale } from "@/lib/locale";
import { getCatalog } from "./catalog";
import { formatMessage, type Vars } from "./fluent";
import type { AdminKey, BotKey, MessageKey } from "./keys.generated";

export { isLocale, type Locale };
export type { AdminKey, BotKey, MessageKey, Vars };
export const LOCALE_COOKIE = "lang";

/** Picks the locale: an explicit choice (cookie) wins; otherwise Chinese for `zh*` browsers, else English. */
export function resolveLocale(
  cookie: string | undefined | null,
  acceptLanguage: string | undefined | null,
): Locale {
  if (isLocale(cookie)) return cookie;
  const langs = (acceptLanguage ?? "")
    .split(",")
    .map((part) => {
      const [tag, ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      return { tag: tag.toLowerCase(), q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .filter((l) => l.tag)
    .sort((a, b) => b.q - a.q);
  for (const l of langs) {
    if (l.tag.startsWith("zh")) return "zh";
    if (l.tag.startsWith("en")) return "en";
  }
  return "en";
}

/** `t(key, vars)`: the message in the locale, else in English, else the key itself. */
export type Translate = (key: MessageKey, vars?: Vars) => string;

const translators = new Map<Locale, Translate>();

/**
 * The one translator of every surface (bot, portal, API pages, admin console): Fluent messages from
 * lib/i18n/locales/<locale>/*.ftl (see ./catalog). Variables are strings formatted by lib/format.
 */
export function translator(locale: Locale): Translate {
  let t = translators.get(locale);
  if (!t) {
    const catalog = getCatalog();
    const own = catalog[locale].bundle;
    const fallback = catalog.en.bundle;
    t = (key, vars) => formatMessage(own, key, vars) ?? formatMessage(fallback, key, vars) ?? key;
    translators.set(locale, t);
  }
  return t;
}

/** "1h" → "1h"/"1小时"; long form "1 hour(s)"/"1 小时". */
export function durationLabel(t: Translate, key: string, long = false): string {
  const p = durationParts(key);
  if (!p) return key;
  const id: MessageKey = long ? `duration-long-${p.unit}` : `duration-${p.unit}`;
  return t(id, { n: p.n });
}
