import fs from "node:fs";
import path from "node:path";
import { I18n } from "@grammyjs/i18n";
import { LRUCache } from "lru-cache";
import { type Locale, locales } from "@/lib/locale";
import type { BotContext } from "./context";

/**
 * Bot copy: Fluent catalogs in lib/bot/locales/{en,zh}.ftl, loaded explicitly (no directory walk,
 * so the files only need to exist at runtime next to the app). `useIsolating: false` or Telegram
 * shows invisible isolation marks around every variable. Variables are passed pre-formatted as
 * strings (money and counts come from lib/money), so Fluent never formats numbers itself.
 */
export const LOCALES_DIR = path.join(process.cwd(), "lib", "bot", "locales");
export const BOT_LOCALES = locales;

let instance: I18n<BotContext> | null = null;

export function getI18n(): I18n<BotContext> {
  if (instance) return instance;
  const i18n = new I18n<BotContext>({
    defaultLocale: "en",
    fluentBundleOptions: { useIsolating: false },
    localeNegotiator: (ctx) => ctx.locale ?? "en",
  });
  for (const l of BOT_LOCALES)
    i18n.loadLocaleSync(l, {
      source: fs.readFileSync(path.join(LOCALES_DIR, `${l}.ftl`), "utf8"),
      bundleOptions: { useIsolating: false },
    });
  instance = i18n;
  return i18n;
}

export type Vars = Record<string, string | number>;

/** Messages without variables, per locale: they never change while the process runs. */
const plain = new LRUCache<string, string>({ max: 5_000 });

/**
 * Translation by locale (views, notifications). A message without variables is translated once
 * and kept (a menu has a dozen button labels; each translation negotiates languages anew).
 */
export function tr(locale: Locale, key: string, vars?: Vars): string {
  if (vars) return getI18n().t(locale, key, vars);
  const k = `${locale}:${key}`;
  let text = plain.get(k);
  if (text === undefined) {
    text = getI18n().t(locale, key);
    plain.set(k, text);
  }
  return text;
}
