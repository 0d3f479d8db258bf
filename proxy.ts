import { type NextFetchEvent, type NextRequest, NextResponse } from "next/server";
import NextAuth from "next-auth";
import { authConfig, authSecret, SESSION_UPDATE_AGE_S } from "@/lib/auth/auth.config";
import { isFreshSession, sessionTokenFromCookies } from "@/lib/auth/jwt";

/**
 * Routing only: signed-out visitors of portal pages go to /login (with `next`), and a Mini App
 * launch (`?mini=1` or Telegram's `tgWebAppStartParam`) is remembered in a cookie so pages load
 * Telegram's script. Every page, action and route still checks the session and ownership itself.
 *
 * It runs only where it has work to do (see `config`): a portal page requested without a session
 * cookie, or a Mini App launch. A signed-in page view skips it, saving Next's proxy round (about
 * 1.2 ms of server CPU, a tenth of a dashboard view); the page's own session check still
 * sends an expired or tampered cookie to /login.
 *
 * The session cookie rolls: Auth.js re-issues it when asked for the session. The portal asks once a
 * day from the browser (app/_components/session-keeper), and this proxy re-issues a cookie older
 * than a day (`updateAge`) when it does run; a younger valid cookie is only decoded.
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

/**
 * Portal pages without a session cookie (either name Auth.js uses, plain or chunked), or a Mini App
 * launch. Literal values only: Next reads this object at build time.
 */
export const config = {
  matcher: [
    {
      source: "/:section(dashboard|rent|orders|topup|wallets|account)/:path*",
      missing: [
        { type: "cookie", key: "authjs.session-token" },
        { type: "cookie", key: "authjs.session-token.0" },
        { type: "cookie", key: "__Secure-authjs.session-token" },
        { type: "cookie", key: "__Secure-authjs.session-token.0" },
      ],
    },
    {
      source: "/:section(dashboard|rent|orders|topup|wallets|account)/:path*",
      has: [{ type: "query", key: "mini" }],
    },
    {
      source: "/:section(dashboard|rent|orders|topup|wallets|account)/:path*",
      has: [{ type: "query", key: "tgWebAppStartParam" }],
    },
  ],
};
