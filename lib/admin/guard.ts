import "server-only";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { clientIpOf } from "@/lib/security/client-ip";
import { ADMIN_COOKIE, type AdminContext, authorize, getSessionAdmin } from "./auth";
import type { Permission } from "./permissions";

/**
 * The one server-side guard of the admin console, for pages, server actions and routes:
 * `requireAdmin(permission)` reads the `teh_admin` session cookie, loads the admin, and checks the
 * permission table. Throws AppError unauthorized (401) / forbidden (403) before anything is touched.
 */
export async function clientIp(): Promise<string | null> {
  // The trusted address: the socket's peer, or X-Forwarded-For only from TRUSTED_PROXIES.
  return clientIpOf(await headers());
}

/** The signed-in admin of this request (cached per request), or null. */
export const getAdminContext = cache(async (): Promise<AdminContext | null> => {
  const token = (await cookies()).get(ADMIN_COOKIE)?.value;
  const s = await getSessionAdmin(token);
  if (!s) return null;
  return { admin: s.admin, ip: await clientIp(), sessionId: s.sessionId };
});

export async function requireAdmin(permission: Permission): Promise<AdminContext> {
  return authorize(await getAdminContext(), permission);
}

/** For pages: not signed in → the sign-in page; password change due → that page; forbidden → 403 view. */
export async function requireAdminPage(permission: Permission): Promise<AdminContext> {
  const ctx = await getAdminContext();
  if (!ctx) redirect("/admin/sign-in");
  if (ctx.admin.mustChangePassword && permission !== "self.update") redirect("/admin/account?first=1");
  try {
    return authorize(ctx, permission);
  } catch (e) {
    if (e instanceof AppError && e.code === "forbidden")
      redirect(`/admin/forbidden?p=${encodeURIComponent(permission)}`);
    throw e;
  }
}

/** Cookies are Secure when the request came over https (or the app is served over https). */
async function secureCookie(): Promise<boolean> {
  const h = await headers();
  return h.get("x-forwarded-proto") === "https" || env.APP_URL.startsWith("https://");
}

export async function setAdminSessionCookie(token: string, expiresAt: Date): Promise<void> {
  (await cookies()).set(ADMIN_COOKIE, token, {
    httpOnly: true,
    sameSite: "strict",
    secure: await secureCookie(),
    path: "/",
    expires: expiresAt,
  });
}

export async function clearAdminSessionCookie(): Promise<void> {
  (await cookies()).set(ADMIN_COOKIE, "", { httpOnly: true, sameSite: "strict", path: "/", maxAge: 0 });
}
