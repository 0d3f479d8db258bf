import type { NextAuthConfig } from "next-auth";
import { env } from "@/lib/env";
import { decodeSessionJwt } from "./jwt";

/** Used only when AUTH_SECRET is unset outside production (lib/env refuses to start production without it). */
const DEV_ONLY_AUTH_SECRET = "dev-only-insecure-auth-secret-set-AUTH_SECRET-in-production";

export function authSecret(): string {
  if (env.AUTH_SECRET) return env.AUTH_SECRET;
  return DEV_ONLY_AUTH_SECRET;
}

/**
 * Where Auth.js may send the browser after signing in or out. Auth.js builds `baseUrl` from the
 * request's Host / X-Forwarded-Host; in production the app's own APP_URL is the only origin (the
 * server also drops X-Forwarded-* from peers that are not TRUSTED_PROXIES), so no header can steer
 * a sign-in to another host. Elsewhere: same origin as the request, else its root.
 */
export function signInRedirect(url: string, baseUrl: string): string {
  const origin = env.NODE_ENV === "production" ? new URL(env.APP_URL).origin : new URL(baseUrl).origin;
  let u: URL;
  try {
    u = new URL(url, origin);
  } catch {
    return `${origin}/`;
  }
  return `${origin}${u.pathname}${u.search}${u.hash}`;
}

/** How old (seconds) a session cookie gets before proxy.ts has Auth.js re-issue it. */
export const SESSION_UPDATE_AGE_S = 86_400;

/**
 * The small, provider-free part of the Auth.js config: pages, JWT sessions, host trust. `proxy.ts`
 * builds its own instance from it (redirects only); `auth.ts` adds the providers and callbacks.
 */
export const authConfig = {
  pages: { signIn: "/login", error: "/login" },
  trustHost: true,
  secret: authSecret(),
  // A rolling 30-day session; proxy.ts re-issues the cookie once it is a day old (`updateAge`).
  session: { strategy: "jwt", maxAge: 30 * 86_400, updateAge: SESSION_UPDATE_AGE_S },
  jwt: { decode: decodeSessionJwt },
  providers: [],
  callbacks: {
    redirect: ({ url, baseUrl }) => signInRedirect(url, baseUrl),
    // The user id lives in `token.sub` (set from `user.id` at sign-in); expose it as `session.user.id`.
    session({ session, token }) {
      if (token.sub && session.user) session.user.id = token.sub;
      return session;
    },
  },
} satisfies NextAuthConfig;
