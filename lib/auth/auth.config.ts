import type { NextAuthConfig } from "next-auth";
import { env } from "@/lib/env";
import { decodeSessionJwt } from "./jwt";

/** Used only when AUTH_SECRET is unset outside production (lib/env refuses to start production without it). */
export const DEV_ONLY_AUTH_SECRET = "dev-only-insecure-auth-secret-set-AUTH_SECRET-in-production";

export function authSecret(): string {
  if (env.AUTH_SECRET) return env.AUTH_SECRET;
  return DEV_ONLY_AUTH_SECRET;
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
    // The user id lives in `token.sub` (set from `user.id` at sign-in); expose it as `session.user.id`.
    session({ session, token }) {
      if (token.sub && session.user) session.user.id = token.sub;
      return session;
    },
  },
} satisfies NextAuthConfig;
