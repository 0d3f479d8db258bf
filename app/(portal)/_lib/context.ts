import "server-only";
import { cookies } from "next/headers";
import { cache } from "react";
import type { User } from "@/db/schema";
import { requireApiUser, requireUser } from "@/lib/auth/session";
import { isLocale, LOCALE_COOKIE, type Locale, translator } from "@/lib/i18n";
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

/** For JSON routes: like portalContext, but signed out / banned → AppError (401/403), never a redirect. */
export async function apiContext() {
  const user = await requireApiUser();
  const c = await cookies();
  const cookieLang = c.get(LOCALE_COOKIE)?.value;
  const locale: Locale = isLocale(cookieLang) ? cookieLang : user.language;
  return { user, locale, t: translator(locale), tz: userTimeZone(user.timezone, locale) };
}
