import type { Locale } from "@/lib/i18n";

/**
 * Times for the portal (docs/ux.md §3): 24-hour, in the user's timezone (settings, else UTC+8 for zh and
 * UTC for en), always with the offset: "25 Nov, 14:05 (UTC+8)" / "11月25日 14:05（UTC+8）".
 * Pure, so server and client components format the same way.
 */
export function userTimeZone(tz: string | null | undefined, locale: Locale): string {
  if (tz) {
    try {
      formatter(`valid|${tz}`, () => new Intl.DateTimeFormat("en", { timeZone: tz }));
      return tz;
    } catch {}
  }
  return locale === "zh" ? "Asia/Shanghai" : "UTC";
}

/**
 * Intl.DateTimeFormat objects are costly to build (~0.2 ms each, two per formatted time) and cheap
 * to reuse, so they are kept per locale and timezone; a page of orders no longer builds dozens per
 * request. Bounded: a flood of distinct zones only resets the cache.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(key: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let f = formatters.get(key);
  if (!f) {
    f = make();
    if (formatters.size >= 200) formatters.clear();
    formatters.set(key, f);
  }
  return f;
}

function offsetLabel(date: Date, timeZone: string): string {
  const part = formatter(
    `offset|${timeZone}`,
    () => new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "shortOffset" }),
  )
    .formatToParts(date)
    .find((p) => p.type === "timeZoneName")?.value;
  const off = (part ?? "GMT").replace("GMT", "");
  return `UTC${off || "+0"}`;
}

export function formatDateTime(
  date: Date | string,
  locale: Locale,
  timeZone: string,
  t: (k: "common.timeWithOffset", v: { time: string; offset: string }) => string,
): string {
  const d = typeof date === "string" ? new Date(date) : date;
  const parts = Object.fromEntries(
    formatter(
      `time|${locale}|${timeZone}`,
      () =>
        new Intl.DateTimeFormat(locale === "zh" ? "zh-CN" : "en-GB", {
          timeZone,
          month: locale === "zh" ? "numeric" : "short",
          day: "numeric",
          hour: "2-digit",
          minute: "2-digit",
          hourCycle: "h23",
        }),
    )
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  );
  const time =
    locale === "zh"
      ? `${parts.month}月${parts.day}日 ${parts.hour}:${parts.minute}`
      : `${parts.day} ${parts.month}, ${parts.hour}:${parts.minute}`;
  return t("common.timeWithOffset", {
    time,
    offset: offsetLabel(d, timeZone),
  });
}

/** "2 d 3 h left" / "剩余 2 天 3 小时"; null once the time has passed. */
export function timeLeft(
  ms: number,
  t: (k: "common.leftDH" | "common.leftHM" | "common.leftMS", v: Record<string, number>) => string,
): string | null {
  if (ms <= 0) return null;
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return t("common.leftDH", { d, h });
  if (h > 0) return t("common.leftHM", { h, m });
  return t("common.leftMS", { m, s: s % 60 });
}

/** "TR7NHq…Lj6t": first 6 and last 4 characters. */
export function shortAddr(a: string): string {
  return a.length <= 10 ? a : `${a.slice(0, 6)}…${a.slice(-4)}`;
}

export function shortTx(txid: string): string {
  return txid.length <= 14 ? txid : `${txid.slice(0, 8)}…${txid.slice(-6)}`;
}
