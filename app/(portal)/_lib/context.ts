import "server-only";
import { cookies } from "next/headers";
import { cache } from "react";
import type { User } from "@/db/schema";
import { requireApiUser, requireUser } from "@/lib/auth/session";
import { isLocale, LOCALE_COOKIE, type Locale, locales, type MessageKey, translator } from "@/lib/i18n";
import { catalogs } from "@/lib/i18n/messages";
import { userTimeZone } from "@/lib/format";

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
 * The messages the portal's client components read through useT(), per scope: whole groups
 * (entries ending in ".") and single keys. `portal` travels with every portal page (the layout's
 * provider: what shared client components read, such as copy buttons, tx links and time left);
 * the pages under /rent, /orders, /topup and /wallets add their own scope from their segment's
 * layout.tsx with <PageMessages> (./page-messages), so the dashboard's payload does not carry the
 * rent form's copy. portal.test.ts checks that every key a client component names is in
 * the scopes it is rendered under, and that each of those layouts hands its scope.
 */
export const CLIENT_MESSAGE_SCOPES = {
  portal: ["common."],
  rent: [
    "address.",
    "duration.",
    "rent.",
    "wallets.address",
    "dash.balance",
    "error.not_activated",
    "nav.topup",
  ],
  orders: ["orders.", "duration."],
  topup: ["topup.", "dash.balance"],
  wallets: ["wallets.", "error.generic"],
} as const satisfies Record<string, readonly string[]>;
export type ClientMessageScope = keyof typeof CLIENT_MESSAGE_SCOPES;

export function isClientMessageKey(key: string, scope: ClientMessageScope): boolean {
  return CLIENT_MESSAGE_SCOPES[scope].some((k) => (k.endsWith(".") ? key.startsWith(k) : key === k));
}

const clientCatalogs = Object.fromEntries(
  locales.map((l) => [
    l,
    Object.fromEntries(
      (Object.keys(CLIENT_MESSAGE_SCOPES) as ClientMessageScope[]).map((scope) => [
        scope,
        Object.fromEntries(Object.entries(catalogs[l]).filter(([k]) => isClientMessageKey(k, scope))),
      ]),
    ),
  ]),
) as Record<Locale, Record<ClientMessageScope, Partial<Record<MessageKey, string>>>>;

/** The part of the catalog handed to client components in `scope` (see CLIENT_MESSAGE_SCOPES). */
export function clientMessages(
  locale: Locale,
  scope: ClientMessageScope = "portal",
): Partial<Record<MessageKey, string>> {
  return clientCatalogs[locale][scope];
}

/** For JSON routes: like portalContext, but signed out / banned → AppError (401/403), never a redirect. */
export async function apiContext() {
  const user = await requireApiUser();
  const c = await cookies();
  const cookieLang = c.get(LOCALE_COOKIE)?.value;
  const locale: Locale = isLocale(cookieLang) ? cookieLang : user.language;
  return { user, locale, t: translator(locale), tz: userTimeZone(user.timezone, locale) };
}
