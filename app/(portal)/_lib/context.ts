import "server-only";
import { cookies } from "next/headers";
import { cache } from "react";
import type { User } from "@/db/schema";
import { requireApiUser, requireUser } from "@/lib/auth/session";
import { isLocale, LOCALE_COOKIE, type Locale, locales, type MessageKey, translator } from "@/lib/i18n";
import { catalogs } from "@/lib/i18n/messages";
import { userTimeZone } from "@/app/_components/format";

/**
 * What every portal page needs: the signed-in user (redirects to /login otherwise), the locale
 * (the language cookie, else the user's own language — the same one the bot uses), translator and
 * timezone. Cached per request.
 */
export const portalContext = cache(async () => {
  const user: User = await requireUser();
  const c = await cookies();
  const cookieLang = c.get(LOCALE_COOKIE)?.value;
  const locale: Locale = isLocale(cookieLang) ? cookieLang : user.language;
  const t = translator(locale);
  const tz = userTimeZone(user.timezone, locale);
  return { user, locale, t, tz, isMini: c.get("mini")?.value === "1" };
});

/**
 * The messages the portal's client components read through useT(): whole groups (entries ending
 * in ".") and single keys. Only these travel in each page's payload, not the whole catalog (issue
 * #7); portal.test.ts checks that every key the client components and their helpers name is here.
 */
export const CLIENT_MESSAGE_KEYS = [
  "address.",
  "common.",
  "duration.",
  "orders.",
  "rent.",
  "topup.",
  "wallets.",
  "dash.balance",
  "error.generic",
  "error.not_activated",
  "nav.topup",
] as const;

export function isClientMessageKey(key: string): boolean {
  return CLIENT_MESSAGE_KEYS.some((k) => (k.endsWith(".") ? key.startsWith(k) : key === k));
}

const clientCatalogs = Object.fromEntries(
  locales.map((l) => [
    l,
    Object.fromEntries(Object.entries(catalogs[l]).filter(([k]) => isClientMessageKey(k))),
  ]),
) as Record<Locale, Partial<Record<MessageKey, string>>>;

/** The part of the catalog handed to client components (see CLIENT_MESSAGE_KEYS). */
export function clientMessages(locale: Locale): Partial<Record<MessageKey, string>> {
  return clientCatalogs[locale];
}

/** For JSON routes: like portalContext, but signed out / banned → AppError (401/403), never a redirect. */
export async function apiContext() {
  const user = await requireApiUser();
  const c = await cookies();
  const cookieLang = c.get(LOCALE_COOKIE)?.value;
  const locale: Locale = isLocale(cookieLang) ? cookieLang : user.language;
  return { user, locale, t: translator(locale), tz: userTimeZone(user.timezone, locale) };
}
