import type { NextAuthConfig } from "next-auth";
import { env } from "@/lib/env";

/** Used only when AUTH_SECRET is unset outside production (lib/env refuses to start production without it). */
export const DEV_ONLY_AUTH_SECRET = "dev-only-insecure-auth-secret-set-AUTH_SECRET-in-production";

export function authSecret(): string {
  if (env.AUTH_SECRET) return env.AUTH_SECRET;
  return DEV_ONLY_AUTH_SECRET;
}

/**
 * The small, provider-free part of the Auth.js config: pages, JWT sessions, host trust. `proxy.ts`
 * builds its own instance from it (redirects only); `auth.ts` adds the providers and callbacks.
 */
export const authConfig = {
  pages: { signIn: "/login", error: "/login" },
  trustHost: true,
  secret: authSecret(),
  session: { strategy: "jwt", maxAge: 30 * 86_400 },
  providers: [],
  callbacks: {
    // The user id lives in `token.sub` (set from `user.id` at sign-in); expose it as `session.user.id`.
    session({ session, token }) {
      if (token.sub && session.user) session.user.id = token.sub;
      return session;
    },
  },
} satisfies NextAuthConfig;
