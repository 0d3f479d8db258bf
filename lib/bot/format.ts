import { durationParts, timeLeftAbout } from "@/lib/format";
import type { Locale } from "@/lib/locale";
import { tr } from "./i18n";

/**
 * The bot's words around lib/format: HTML escaping for Telegram, time left (lib/format's, in the
 * bot's language) and durations. Amounts, counts and times come from lib/format itself.
 */

/**
 * THE escape for Telegram's parse_mode HTML: every string put into a message that is not our own
 * markup goes through it (or through `code` / `link`), whatever its source — user text, an address
 * from an event, a txid from a node, a URL. Quotes too, so a value is safe inside an attribute.
 */
export function esc(s: string | number | bigint): string {
  return String(s)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** `<code>…</code>` around escaped text (addresses, txids). */
export const code = (s: string) => `<code>${esc(s)}</code>`;

/** A link: URL and text escaped. */
export const link = (url: string, text: string) => `<a href="${esc(url)}">${esc(text)}</a>`;

/** "about 2 d 3 h left" / "剩余约 2 天 3 小时" (a message is not live: whole minutes, "about"). */
export function timeLeft(ms: number, locale: Locale): string {
  return timeLeftAbout(ms, (k, v) => tr(locale, k, v));
}

/** Duration chip ("1h" / "1小时") and long form ("1 hour" / "1 小时"). */
export function durationChip(key: string, locale: Locale): string {
  const p = durationParts(key);
  if (!p) return key;
  return tr(locale, p.unit === "h" ? "dur-chip-h" : "dur-chip-d", { n: p.n });
}

export function durationLong(key: string, locale: Locale): string {
  const p = durationParts(key);
  if (!p) return key;
  const one = Number(p.n) === 1;
  const k = p.unit === "h" ? (one ? "dur-long-h1" : "dur-long-h") : one ? "dur-long-d1" : "dur-long-d";
  return tr(locale, k, { n: p.n });
}
