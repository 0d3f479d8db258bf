import { formatInteger, formatTrx, formatUsdt } from "@/lib/money";
import type { Locale } from "./context";
import { tr } from "./i18n";

/** HTML-escape user-provided text (labels, names) for parse_mode HTML. */
export function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export const trx = (sun: bigint) => formatTrx(sun);
export const usdt = (base: bigint) => formatUsdt(base);
export const int = (n: bigint | number) => formatInteger(n);

/** "65k" on tight buttons. */
export function kilo(n: number): string {
  return n % 1000 === 0 ? `${n / 1000}k` : formatInteger(n);
}

/** The bot's timezone: the portal setting, else UTC+8 for zh and UTC for en (UX §3). */
export function zoneOf(locale: Locale, timezone?: string | null): string {
  if (timezone) {
    try {
      new Intl.DateTimeFormat("en", { timeZone: timezone });
      return timezone;
    } catch {}
  }
  return locale === "zh" ? "Asia/Shanghai" : "UTC";
}

function offsetLabel(d: Date, timeZone: string): string {
  const part = new Intl.DateTimeFormat("en", { timeZone, timeZoneName: "shortOffset" })
    .formatToParts(d)
    .find((p) => p.type === "timeZoneName")?.value;
  const off = (part ?? "GMT").replace("GMT", "").replace(/^[+-]0?0?(:00)?$/, "");
  return `UTC${off}`;
}

/** "25 Nov, 14:05 (UTC+8)" / "11月25日 14:05（UTC+8）". */
export function dateTime(d: Date, locale: Locale, timezone?: string | null): string {
  const timeZone = zoneOf(locale, timezone);
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", {
      timeZone,
      day: "numeric",
      month: "short",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  );
  const monthNum = Number(new Intl.DateTimeFormat("en", { timeZone, month: "numeric" }).format(d));
  const off = offsetLabel(d, timeZone);
  return locale === "zh"
    ? `${monthNum}月${parts.day}日 ${parts.hour}:${parts.minute}（${off}）`
    : `${parts.day} ${parts.month}, ${parts.hour}:${parts.minute} (${off})`;
}

/** "14:05 (UTC+8)". */
export function clock(d: Date, locale: Locale, timezone?: string | null): string {
  const timeZone = zoneOf(locale, timezone);
  const hm = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(d);
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
