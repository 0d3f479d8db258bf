import { LRUCache } from "lru-cache";
import type { Locale } from "@/lib/locale";

/**
 * The one presentation formatter for people: the bot, the portal (server and client components)
 * and the admin console all render amounts, counts, times and durations through this module, so
 * the same value reads the same everywhere. Pure (no server-only imports, no I/O).
 *
 * Machine formats are not here: the reseller API and JSON routes keep decimal sun strings
 * and ISO 8601 times.
 *
 * Amounts: integer base units (`bigint`) in, exact text out, never through a float. TRX and USDT
 * have 6 decimals; trailing zeros are trimmed, "," groups thousands and "." marks decimals in both
 * locales: 1n → "0.000001 TRX", 999_999n → "0.999999 TRX", 1_234_500_000n → "1,234.5 TRX".
 *
 * Times: one style on every surface, 24-hour, in the viewer's zone, always with its UTC offset,
 * "25 Nov, 14:05 (UTC+8)" / "11月25日 14:05（UTC+8）". A zero offset reads "UTC" (not "UTC+0"),
 * half-hour zones "UTC+5:30". The zone is the user's setting when valid, else UTC+8 (Asia/Shanghai)
 * for zh and UTC for en.
 */

// ------------------------------------------------------------------------------------ amounts

/** Decimals of TRX (sun) and of USDT's base unit. */
const TRX_DECIMALS = 6;
const USDT_DECIMALS = 6;

type FormatOptions = {
  decimals?: number;
  /** Thousands separator on (default) or off. */
  grouping?: boolean;
  /** Minimum decimals to keep (trailing zeros trimmed beyond this). Default 0. */
  minDecimals?: number;
  /** Maximum decimals shown; extra digits are truncated (never rounded up). Default `decimals`. */
  maxDecimals?: number;
  /** "+" on positive values. */
  signed?: boolean;
};

/** Integer base units → exact decimal text: 20500000n → "20.5"; 1234500000n → "1,234.5". */
export function formatAmount(value: bigint, opts: FormatOptions = {}): string {
  const decimals = opts.decimals ?? TRX_DECIMALS;
  const max = Math.min(opts.maxDecimals ?? decimals, decimals);
  const min = Math.min(opts.minDecimals ?? 0, max);
  const neg = value < 0n;
  const abs = neg ? -value : value;
  const scale = 10n ** BigInt(decimals);
  const whole = (abs / scale).toString();
  let frac = (abs % scale).toString().padStart(decimals, "0").slice(0, max);
  frac = frac.replace(/0+$/, "");
  if (frac.length < min) frac = frac.padEnd(min, "0");
  const grouped = opts.grouping === false ? whole : whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const sign = neg ? "-" : opts.signed && value > 0n ? "+" : "";
  return `${sign}${grouped}${frac ? `.${frac}` : ""}`;
}

/** Sun → "20.5 TRX" (or "20.5" with `unit: false`). The locale does not change the digits. */
export function formatTrx(sun: bigint, opts: FormatOptions & { locale?: Locale; unit?: boolean } = {}) {
  const n = formatAmount(sun, { ...opts, decimals: TRX_DECIMALS });
  return opts.unit === false ? n : `${n} TRX`;
}

/** USDT base units → "12.5 USDT". */
export function formatUsdt(base: bigint, opts: FormatOptions & { locale?: Locale; unit?: boolean } = {}) {
  const n = formatAmount(base, { ...opts, decimals: USDT_DECIMALS });
  return opts.unit === false ? n : `${n} USDT`;
}

/** Whole counts (energy, bandwidth) with thousands separators: 131000n → "131,000". */
export function formatInteger(value: bigint | number): string {
  return formatAmount(BigInt(value), { decimals: 0 });
}

/** Short names for the same functions, as message templates use them. */
export const trx = (sun: bigint) => formatTrx(sun);
export const usdt = (base: bigint) => formatUsdt(base);
export const int = formatInteger;

/** Energy on tight buttons: 65000 → "65k"; not a whole thousand → "65,500". */
export function kilo(n: number): string {
  return n % 1000 === 0 ? `${n / 1000}k` : formatInteger(n);
}

// ---------------------------------------------------------------------------------- addresses

/** "TR7NHq…Lj6t": first 6 and last 4 characters. */
export function shortAddress(a: string): string {
  const s = a.trim();
  return s.length <= 10 ? s : `${s.slice(0, 6)}…${s.slice(-4)}`;
}

/** A transaction id: first 8 and last 6 characters. */
export function shortTx(txid: string): string {
  return txid.length <= 14 ? txid : `${txid.slice(0, 8)}…${txid.slice(-6)}`;
}

// -------------------------------------------------------------------------------------- times

/**
 * Date formatters by (shape, zone), built once: an Intl.DateTimeFormat costs far more to build than
 * to use. An unknown zone is remembered as null. Bounded: a flood of zones only resets the cache.
 */
const SHAPES = {
  check: ["en", {}],
  offset: ["en-US", { timeZoneName: "shortOffset" }],
  dayMonth: [
    "en-GB",
    { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" },
  ],
  monthNumber: ["en", { month: "numeric" }],
  clock: ["en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }],
} satisfies Record<string, [string, Intl.DateTimeFormatOptions]>;
/** Formatters by shape and zone (`false`: not a zone Intl knows). */
const formatters = new LRUCache<string, Intl.DateTimeFormat | false>({ max: 2_000 });

function formatter(shape: keyof typeof SHAPES, timeZone: string): Intl.DateTimeFormat | null {
  const key = `${shape} ${timeZone}`;
  let f = formatters.get(key);
  if (f === undefined) {
    const [locale, opts] = SHAPES[shape];
    try {
      f = new Intl.DateTimeFormat(locale, { ...opts, timeZone });
    } catch {
      f = false;
    }
    formatters.set(key, f);
  }
  return f || null;
}

const fmtIn = (shape: keyof typeof SHAPES, timeZone: string) =>
  formatter(shape, timeZone) ?? (formatter(shape, "UTC") as Intl.DateTimeFormat);

/** The zone times are shown in: `timezone` when it is a valid IANA zone, else by language. */
export function userTimeZone(timezone: string | null | undefined, locale: Locale): string {
  if (timezone && formatter("check", timezone)) return timezone;
  return locale === "zh" ? "Asia/Shanghai" : "UTC";
}

/** "UTC", "UTC+8", "UTC-5", "UTC+5:30". */
function utcOffset(d: Date, timeZone: string): string {
  const part = fmtIn("offset", timeZone)
    .formatToParts(d)
    .find((p) => p.type === "timeZoneName")?.value;
  const off = (part ?? "GMT").replace("GMT", "").replace(/^[+-]0?0?(:00)?$/, "");
  return `UTC${off}`;
}

const withOffset = (text: string, offset: string, locale: Locale) =>
  locale === "zh" ? `${text}（${offset}）` : `${text} (${offset})`;

const toDate = (d: Date | string) => (typeof d === "string" ? new Date(d) : d);

/** "25 Nov, 14:05 (UTC+8)" / "11月25日 14:05（UTC+8）". `timezone` as stored (checked here). */
export function dateTime(date: Date | string, locale: Locale, timezone?: string | null): string {
  const d = toDate(date);
  const timeZone = userTimeZone(timezone, locale);
  const p = Object.fromEntries(
    fmtIn("dayMonth", timeZone)
      .formatToParts(d)
      .map((x) => [x.type, x.value]),
  );
  const text =
    locale === "zh"
      ? `${Number(fmtIn("monthNumber", timeZone).format(d))}月${p.day}日 ${p.hour}:${p.minute}`
      : `${p.day} ${p.month}, ${p.hour}:${p.minute}`;
  return withOffset(text, utcOffset(d, timeZone), locale);
}

/** "14:05 (UTC+8)" / "14:05（UTC+8）". */
export function clock(date: Date | string, locale: Locale, timezone?: string | null): string {
  const d = toDate(date);
  const timeZone = userTimeZone(timezone, locale);
  return withOffset(fmtIn("clock", timeZone).format(d), utcOffset(d, timeZone), locale);
}

// ---------------------------------------------------------------------------------- durations

/** Milliseconds → whole days, hours, minutes and seconds (negative counts as 0). */
export function splitDuration(ms: number): { d: number; h: number; m: number; s: number } {
  const total = Math.max(0, Math.floor(ms / 1000));
  return {
    d: Math.floor(total / 86_400),
    h: Math.floor((total % 86_400) / 3600),
    m: Math.floor((total % 3600) / 60),
    s: total % 60,
  };
}

/** A rental duration key ("1h", "3d") → its count and unit, or null for anything else. */
export function durationParts(key: string): { n: string; unit: "h" | "d" } | null {
  const m = /^(\d+)([hd])$/.exec(key);
  return m ? { n: m[1], unit: m[2] as "h" | "d" } : null;
}

/** The messages of time left (lib/i18n/locales/<locale>/portal.ftl, the one place of that wording). */
type TimeLeftKey =
  | "common-leftDH"
  | "common-leftHM"
  | "common-leftMS"
  | "common-aboutLeftDH"
  | "common-aboutLeftHM"
  | "common-aboutLeftM";

/**
 * "2 d 3 h left" / "剩余 2 天 3 小时" for a live countdown (down to seconds), through `t` (the
 * translator of any surface, server or client); null once the time has passed.
 */
export function timeLeft(
  ms: number,
  t: (k: TimeLeftKey, v: Record<string, number>) => string,
): string | null {
  if (ms <= 0) return null;
  const { d, h, m, s } = splitDuration(ms);
  if (d > 0) return t("common-leftDH", { d, h });
  if (h > 0) return t("common-leftHM", { h, m });
  return t("common-leftMS", { m, s });
}

/**
 * "about 2 d 3 h left" / "剩余约 2 天 3 小时": time left in a message that is not live (the bot's
 * order card): whole minutes, "about".
 */
export function timeLeftAbout(ms: number, t: (k: TimeLeftKey, v: Record<string, number>) => string): string {
  const { d, h, m } = splitDuration(ms);
  if (d > 0) return t("common-aboutLeftDH", { d, h });
  if (h > 0) return t("common-aboutLeftHM", { h, m });
  return t("common-aboutLeftM", { m });
}

/** Basis points → percent text, exact, up to 2 decimals: 1000 → "10%", 250 → "2.5%", 5 → "0.05%". */
export function percentOfBps(bps: number): string {
  return `${formatAmount(BigInt(bps), { decimals: 2 })}%`;
}
