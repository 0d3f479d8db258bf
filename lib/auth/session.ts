import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import type { User } from "@/db/schema";
import { AppError, isAppError } from "@/lib/errors";
import { getUserById } from "@/lib/users";
import { authSecret } from "./auth.config";
import { sessionTokenFromCookies, userIdOf } from "./jwt";

/**
 * The user id in an Auth.js session cookie header (the JWT Auth.js encrypted at sign-in; expired,
 * tampered or foreign tokens → null). Reads `__Secure-authjs.session-token` (HTTPS) or
 * `authjs.session-token`, chunked or not, exactly as Auth.js names and salts them.
 */
export async function sessionUserIdFromCookies(cookie: string): Promise<number | null> {
  return userIdOf(await sessionTokenFromCookies(cookie, authSecret()));
}

/**
 * The signed-in user of this request, read fresh from the database (so a ban or a deleted user
 * takes effect at once), or null. Cached per request.
 *
 * Decrypts the session cookie once instead of calling Auth.js's `auth()`, which runs its whole
 * session endpoint per render (a Request, decrypt, re-encrypt a refreshed cookie a server component
 * cannot set, a Response, JSON) — about three times the work on every portal page.
 * proxy.ts still runs Auth.js on portal pages, so the rolling cookie refresh is unchanged.
 */
export const getSessionUser = cache(async (): Promise<User | null> => {
  const id = await sessionUserIdFromCookies((await headers()).get("cookie") ?? "");
  if (id === null) return null;
  try {
    return await getUserById(id);
  } catch (e) {
    if (isAppError(e) && e.code === "not_found") return null;
    throw e;
  }
});

/**
 * For pages and server actions: the signed-in, non-banned user. Signed out → redirect to /login;
 * banned → redirect to /login?error=banned (no portal access).
 */
export async function requireUser(): Promise<User> {
  const user = await getSessionUser();
  if (!user) redirect("/login");
  if (user.status === "banned") redirect("/login?error=banned");
  return user;
}

/**
 * For JSON route handlers: the signed-in, non-banned user, else an AppError (`unauthorized` /
 * `forbidden`) that the handler turns into a response with `errorResponse`.
 */
export async function requireApiUser(): Promise<User> {
  const user = await getSessionUser();
  if (!user) throw new AppError("unauthorized", "Please sign in.");
  if (user.status === "banned") throw new AppError("forbidden", "This account is suspended.");
  return user;
}
