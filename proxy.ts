import { NextResponse } from "next/server";
import NextAuth from "next-auth";
import { authConfig } from "@/lib/auth/auth.config";

/**
 * Routing only: signed-out visitors of portal pages go to /login (with `next`), and a Mini App
 * launch (`?mini=1` or Telegram's `tgWebAppStartParam`) is remembered in a cookie so pages load
 * Telegram's script. Every page, action and route still checks the session and ownership itself.
 */
const { auth } = NextAuth(authConfig);

export const MINI_COOKIE = "mini";

export default auth((req) => {
  const url = req.nextUrl;
  const isMini = url.searchParams.get("mini") === "1" || url.searchParams.has("tgWebAppStartParam");
  let res: NextResponse;
  if (!req.auth?.user) {
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
});

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
