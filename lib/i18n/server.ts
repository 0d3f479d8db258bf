import "server-only";
import { cookies, headers } from "next/headers";
import { LOCALE_COOKIE, type Locale, resolveLocale, type Translate, translator } from "./index";

/** The request's locale (cookie, else Accept-Language) and its translator, for server components and actions. */
export async function getRequestLocale(): Promise<{ locale: Locale; t: Translate }> {
  const [c, h] = await Promise.all([cookies(), headers()]);
  const locale = resolveLocale(c.get(LOCALE_COOKIE)?.value, h.get("accept-language"));
  return { locale, t: translator(locale) };
}
