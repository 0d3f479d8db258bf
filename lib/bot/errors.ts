import { isAppError } from "@/lib/errors";
import { addressReasonKey, errorKey } from "@/lib/format/errors";
import type { Locale } from "@/lib/locale";
import { tr } from "./i18n";

/**
 * AppErrors → the bot's words. Which message a code shows is decided by the error catalogue
 * (lib/format/errors); the texts are the Fluent messages in ./locales.
 */

/** The localized reason an address was refused (details.reason from lib/tron/address). */
export function addressReason(l: Locale, e: unknown): string | null {
  if (!isAppError(e) || e.code !== "invalid_address") return null;
  return tr(l, addressReasonKey("bot", e.details?.reason));
}

/**
 * Localized text for a known error, or null for an internal one: the caller rethrows it and the
 * bot's error handler answers with a reference the user can quote.
 */
export function businessError(l: Locale, e: unknown): string | null {
  if (!isAppError(e) || e.code === "internal") return null;
  return addressReason(l, e) ?? tr(l, errorKey("bot", e.code));
}
