/**
 * Time strings as Inngest reads them: a sequence of decimal numbers with unit suffixes ("300ms",
 * "2h45m", "1.5h"), units ns, us/µs, ms, s, m, h, d (24h) and w (168h); or an RFC 3339 date for
 * `step.sleepUntil`. The SDK writes whole units ("1w2d3h4m5s") but any Go-style string is accepted.
 */
const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

const PART = /(\d+(?:\.\d+)?|\.\d+)(ns|us|µs|ms|s|m|h|d|w)/y;

/** Milliseconds in a time string, or null when it is not one. "0" and "" are zero. */
export function parseTimeString(input: string): number | null {
  const s = input.trim();
  if (s === "" || s === "0") return 0;
  let total = 0;
  let pos = 0;
  while (pos < s.length) {
    PART.lastIndex = pos;
    const m = PART.exec(s);
    if (!m) return null;
    total += Number(m[1]) * UNIT_MS[m[2]];
    pos = PART.lastIndex;
  }
  return Math.round(total);
}

/**
 * When a sleep (or a wait's timeout) ends: a time string relative to `now`, or an absolute date
 * (strings of 10+ characters that parse as a date, as the real server decides). Null when neither.
 */
export function wakeTime(spec: string, now: number): number | null {
  const rel = parseTimeString(spec);
  if (rel !== null) return now + rel;
  if (spec.length >= 10) {
    const at = Date.parse(spec);
    if (Number.isFinite(at)) return Math.max(at, now);
  }
  return null;
}
