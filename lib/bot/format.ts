import { formatInteger, formatTrx, formatUsdt } from "@/lib/money";
import type { Locale } from "@/lib/locale";
import { tr } from "./i18n";

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

export const trx = (sun: bigint) => formatTrx(sun);
export const usdt = (base: bigint) => formatUsdt(base);
export const int = (n: bigint | number) => formatInteger(n);

/** "65k" on tight buttons. */
export function kilo(n: number): string {
  return n % 1000 === 0 ? `${n / 1000}k` : formatInteger(n);
}

/**
 * Date formatters by (shape, time zone), built once: an Intl.DateTimeFormat takes longer to build
 * than a look-up card takes to render. An unknown zone is remembered as null.
 */
const FORMATS = {
  check: ["en", {}],
  offset: ["en", { timeZoneName: "shortOffset" }],
  dayMonth: [
    "en-GB",
    { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" },
  ],
  monthNumber: ["en", { month: "numeric" }],
  clock: ["en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }],
} satisfies Record<string, [string, Intl.DateTimeFormatOptions]>;
const formatters = new Map<string, Intl.DateTimeFormat | null>();

function formatter(shape: keyof typeof FORMATS, timeZone: string): Intl.DateTimeFormat | null {
  const key = `${shape} ${timeZone}`;
  let f = formatters.get(key);
  if (f === undefined) {
    const [locale, opts] = FORMATS[shape];
    try {
      f = new Intl.DateTimeFormat(locale, { ...opts, timeZone });
    } catch {
      f = null;
    }
    if (formatters.size >= 2_000) formatters.clear();
    formatters.set(key, f);
  }
  return f;
}

/** A formatter for a zone `zoneOf` returned (always valid). */
const fmtIn = (shape: keyof typeof FORMATS, timeZone: string) =>
  formatter(shape, timeZone) ?? (formatter(shape, "UTC") as Intl.DateTimeFormat);

/** The bot's timezone: the portal setting, else UTC+8 for zh and UTC for en (docs/ux.md §3). */
export function zoneOf(locale: Locale, timezone?: string | null): string {
  if (timezone && formatter("check", timezone)) return timezone;
  return locale === "zh" ? "Asia/Shanghai" : "UTC";
}

function offsetLabel(d: Date, timeZone: string): string {
  const part = fmtIn("offset", timeZone)
    .formatToParts(d)
    .find((p) => p.type === "timeZoneName")?.value;
  const off = (part ?? "GMT").replace("GMT", "").replace(/^[+-]0?0?(:00)?$/, "");
  return `UTC${off}`;
}

/** "25 Nov, 14:05 (UTC+8)" / "11月25日 14:05（UTC+8）". */
export function dateTime(d: Date, locale: Locale, timezone?: string | null): string {
  const timeZone = zoneOf(locale, timezone);
  const parts = Object.fromEntries(
    fmtIn("dayMonth", timeZone)
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  );
  const monthNum = Number(fmtIn("monthNumber", timeZone).format(d));
  const off = offsetLabel(d, timeZone);
  return locale === "zh"
    ? `${monthNum}月${parts.day}日 ${parts.hour}:${parts.minute}（${off}）`
    : `${parts.day} ${parts.month}, ${parts.hour}:${parts.minute} (${off})`;
}

/** "14:05 (UTC+8)". */
export function clock(d: Date, locale: Locale, timezone?: string | null): string {
  const timeZone = zoneOf(locale, timezone);
  const hm = fmtIn("clock", timeZone).format(d);
  const off = offsetLabel(d, timeZone);
  return locale === "zh" ? `${hm}（${off}）` : `${hm} (${off})`;
}

/** "2 d 3 h" / "2 天 3 小时" / "59 min" (time left, never shown alone). */
export function timeLeft(ms: number, locale: Locale): string {
  const mins = Math.max(0, Math.floor(ms / 60_000));
  const d = Math.floor(mins / 1440);
  const h = Math.floor((mins % 1440) / 60);
  const m = mins % 60;
  if (d > 0) return tr(locale, "time-left-dh", { d: String(d), h: String(h) });
  if (h > 0) return tr(locale, "time-left-hm", { h: String(h), m: String(m) });
  return tr(locale, "time-left-m", { m: String(m) });
}

/** Duration chip ("1h" / "1小时") and long form ("1 hour" / "1 小时"). */
export function durationChip(key: string, locale: Locale): string {
  const m = /^(\d+)([hd])$/.exec(key);
  if (!m) return key;
  return tr(locale, m[2] === "h" ? "dur-chip-h" : "dur-chip-d", { n: m[1] });
}

export function durationLong(key: string, locale: Locale): string {
  const m = /^(\d+)([hd])$/.exec(key);
  if (!m) return key;
  const n = Number(m[1]);
  const k = m[2] === "h" ? (n === 1 ? "dur-long-h1" : "dur-long-h") : n === 1 ? "dur-long-d1" : "dur-long-d";
  return tr(locale, k, { n: m[1] });
}
