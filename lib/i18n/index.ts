import { catalogs, type MessageKey } from "./messages";

import { durationParts } from "@/lib/format";
import { isLocale, type Locale, locales } from "@/lib/locale";

export { isLocale, type Locale, locales };
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

export type Translate = (key: MessageKey, vars?: Record<string, string | number | bigint>) => string;

export function translator(locale: Locale): Translate {
  const cat = catalogs[locale];
  return (key, vars) => {
    const template = cat[key] ?? catalogs.en[key] ?? key;
    if (!vars) return template;
    return template.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
  };
}

/** "1h" → "1h"/"1小时"; long form "1 hour(s)"/"1 小时". */
export function durationLabel(t: Translate, key: string, long = false): string {
  const p = durationParts(key);
  if (!p) return key;
  return t(`duration.${long ? "long." : ""}${p.unit}` as MessageKey, { n: p.n });
}

export type { MessageKey };
