/** Where to go after sign-in: only local paths ("/…", never "//host"), default the dashboard. */
export function safeNext(next: unknown): string {
  if (typeof next !== "string") return "/dashboard";
  if (!next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\") || next.length > 500)
    return "/dashboard";
  if (next.startsWith("/login") || next.startsWith("/api/")) return "/dashboard";
  return next;
}

export const SIGN_IN_FAILURES = ["invalid", "used", "expired", "stale", "banned", "unavailable"] as const;
export type SignInFailureCode = (typeof SIGN_IN_FAILURES)[number];

export function failureCode(code: unknown): SignInFailureCode {
  return SIGN_IN_FAILURES.includes(code as SignInFailureCode) ? (code as SignInFailureCode) : "invalid";
}
