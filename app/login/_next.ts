/**
 * Where to go after sign-in: a page of this app, default the dashboard. `next` is resolved against
 * the app's own origin exactly as a browser would resolve it, and kept only when it stays on that
 * origin; control characters (a tab or newline the URL parser would silently drop, or that would
 * break a Location header) and backslashes (which browsers read as slashes) are refused before
 * parsing, so "/\t/evil.com" or "/\\evil.com" cannot become "//evil.com".
 */
const ORIGIN = "http://app.invalid";

export function safeNext(next: unknown): string {
  if (typeof next !== "string" || next.length === 0 || next.length > 500) return "/dashboard";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\u0000-\u001f\u007f\\]/.test(next) || !next.startsWith("/")) return "/dashboard";
  let u: URL;
  try {
    u = new URL(next, ORIGIN);
  } catch {
    return "/dashboard";
  }
  if (u.origin !== ORIGIN) return "/dashboard";
  const path = u.pathname + u.search + u.hash;
  if (path.startsWith("//") || path.startsWith("/login") || path.startsWith("/api/")) return "/dashboard";
  return path;
}

export const SIGN_IN_FAILURES = ["invalid", "used", "expired", "stale", "banned", "unavailable"] as const;
export type SignInFailureCode = (typeof SIGN_IN_FAILURES)[number];

export function failureCode(code: unknown): SignInFailureCode {
  return SIGN_IN_FAILURES.includes(code as SignInFailureCode) ? (code as SignInFailureCode) : "invalid";
}
