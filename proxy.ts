import { type NextFetchEvent, type NextRequest, NextResponse } from "next/server";
import NextAuth from "next-auth";
import { authConfig, authSecret, SESSION_UPDATE_AGE_S } from "@/lib/auth/auth.config";
import { isFreshSession, sessionTokenFromCookies } from "@/lib/auth/jwt";

/**
 * Routing only: signed-out visitors of portal pages go to /login (with `next`), and a Mini App
 * launch (`?mini=1` or Telegram's `tgWebAppStartParam`) is remembered in a cookie so pages load
 * Telegram's script. Every page, action and route still checks the session and ownership itself.
 *
 * The session cookie rolls: once it is a day old (`updateAge`), Auth.js re-issues it here. A
 * younger valid cookie is only decoded (Auth.js would decode, re-encrypt and set it on every page
 * view, most of this proxy's cost: issue #7).
 */
const { auth } = NextAuth(authConfig);

export const MINI_COOKIE = "mini";

function route(req: NextRequest, signedIn: boolean): NextResponse {
  const url = req.nextUrl;
  const isMini = url.searchParams.get("mini") === "1" || url.searchParams.has("tgWebAppStartParam");
  let res: NextResponse;
  if (!signedIn) {
    const login = new URL("/login", url);
    const next = url.pathname + url.search;
    if (next !== "/dashboard") login.searchParams.set("next", next);
    if (isMini) login.searchParams.set("mini", "1");
    res = NextResponse.redirect(login);
  } else {
    res = NextResponse.next();
  }
  if (isMini) res.cookies.set(MINI_COOKIE, "1", { path: "/", sameSite: "lax", maxAge: 86_400 });
  return res;
}

const withRefresh = auth((req) => route(req, !!req.auth?.user));

export default async function proxy(req: NextRequest, ev: NextFetchEvent): Promise<Response> {
  const token = await sessionTokenFromCookies(req.headers.get("cookie") ?? "", authSecret());
  if (isFreshSession(token, SESSION_UPDATE_AGE_S)) return route(req, true);
  // Auth.js always answers with a response; nothing at all would mean no session: to /login.
  return (await withRefresh(req, ev as never)) ?? route(req, false);
}

export const config = {
  matcher: [
    "/dashboard/:path*",
    "/rent/:path*",
    "/orders/:path*",
    "/topup/:path*",
    "/wallets/:path*",
    "/account/:path*",
  ],
};
