import { decode, encode } from "next-auth/jwt";
import { NextRequest } from "next/server";
import { describe, expect, it, vi } from "vitest";
import { AsyncLocalStorage } from "node:async_hooks";
import proxy, { config } from "@/proxy";
import { authSecret, SESSION_UPDATE_AGE_S } from "./auth.config";
import { decodeSessionJwt, isFreshSession, sessionTokenFromCookies } from "./jwt";

const salt = "authjs.session-token";
const nowS = () => Math.floor(Date.now() / 1000);

describe("session tokens (lib/auth/jwt)", () => {
  it("decodes what Auth.js encodes exactly as Auth.js does", async () => {
    const secret = authSecret();
    const jwt = await encode({ token: { sub: "42", name: "Ann" }, secret, salt });
    const ours = await decodeSessionJwt({ token: jwt, secret, salt });
    expect(ours).toEqual(await decode({ token: jwt, secret, salt }));
    expect(ours).toMatchObject({ sub: "42", name: "Ann" });
    // Second call: same result from the verified-token cache.
    expect(await decodeSessionJwt({ token: jwt, secret, salt })).toEqual(ours);
    expect(await decodeSessionJwt({ token: "", secret, salt })).toBeNull();
  });

  it("refuses another secret or salt, and accepts a rotated-out secret listed after the new one", async () => {
    const old = "o".repeat(40);
    const jwt = await encode({ token: { sub: "7" }, secret: old, salt });
    await expect(decodeSessionJwt({ token: jwt, secret: authSecret(), salt })).rejects.toThrow();
    await expect(decodeSessionJwt({ token: jwt, secret: old, salt: "other" })).rejects.toThrow();
    expect(await decodeSessionJwt({ token: jwt, secret: [authSecret(), old], salt })).toMatchObject({
      sub: "7",
    });
    // Once verified under one secret, the same token text is still refused under another or a salt.
    await expect(decodeSessionJwt({ token: jwt, secret: authSecret(), salt })).rejects.toThrow();
    await expect(
      decodeSessionJwt({ token: jwt, secret: [authSecret(), old], salt: "other" }),
    ).rejects.toThrow();
  });

  it("a token verified once is reused, copied, and refused once it expires", async () => {
    const secret = authSecret();
    const jwt = await encode({ token: { sub: "11" }, secret, salt, maxAge: 60 });
    const first = await decodeSessionJwt({ token: jwt, secret, salt });
    first!.sub = "12"; // a caller changing its copy changes nothing for the next
    expect(await decodeSessionJwt({ token: jwt, secret, salt })).toMatchObject({ sub: "11" });
    const tampered = `${jwt.slice(0, -4)}${jwt.endsWith("AAAA") ? "BBBB" : "AAAA"}`;
    await expect(decodeSessionJwt({ token: tampered, secret, salt })).rejects.toThrow();
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(Date.now() + 60_000 + 16_000); // past exp and the 15 s tolerance
      await expect(decodeSessionJwt({ token: jwt, secret, salt })).rejects.toThrow();
      expect(await sessionTokenFromCookies(`${salt}=${jwt}`, secret)).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });

  it("reads chunked cookies (large tokens) as Auth.js splits them", async () => {
    const jwt = await encode({ token: { sub: "9", picture: "p".repeat(6_000) }, secret: authSecret(), salt });
    const half = Math.ceil(jwt.length / 2);
    const cookie = `${salt}.0=${jwt.slice(0, half)}; other=1; ${salt}.1=${jwt.slice(half)}`;
    expect(await sessionTokenFromCookies(cookie, authSecret())).toMatchObject({ sub: "9" });
    expect(await sessionTokenFromCookies(`${salt}.0=${jwt.slice(0, half)}`, authSecret())).toBeNull();
  });

  it("a session is fresh while younger than updateAge and carrying a user", () => {
    expect(isFreshSession({ sub: "1", iat: nowS() - 60 }, SESSION_UPDATE_AGE_S)).toBe(true);
    expect(isFreshSession({ sub: "1", iat: nowS() - SESSION_UPDATE_AGE_S - 1 }, SESSION_UPDATE_AGE_S)).toBe(
      false,
    );
    expect(isFreshSession({ iat: nowS() }, SESSION_UPDATE_AGE_S)).toBe(false);
    expect(isFreshSession({ sub: "1" }, SESSION_UPDATE_AGE_S)).toBe(false);
    expect(isFreshSession(null, SESSION_UPDATE_AGE_S)).toBe(false);
  });
});

describe("proxy.ts", () => {
  const run = (cookie: string, path = "/dashboard") =>
    proxy(
      new NextRequest(`http://portal.test${path}`, {
        headers: { cookie, host: "portal.test", "x-forwarded-proto": "http" },
      }),
      {} as never,
    );
  const sessionCookieOf = (res: Response) => res.headers.getSetCookie().find((c) => c.startsWith(`${salt}=`));

  it("lets a fresh session through without re-issuing its cookie", async () => {
    const jwt = await encode({ token: { sub: "5" }, secret: authSecret(), salt });
    const res = await run(`${salt}=${jwt}`);
    expect(res.headers.get("x-middleware-next")).toBe("1");
    expect(sessionCookieOf(res)).toBeUndefined();
  });

  it("re-issues a session cookie older than updateAge (a rolling session)", async () => {
    // Auth.js stamps `iat` itself: issue the token with the clock set back past updateAge.
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() - (SESSION_UPDATE_AGE_S + 60) * 1000);
    const jwt = await encode({ token: { sub: "5" }, secret: authSecret(), salt });
    vi.useRealTimers();
    expect(
      isFreshSession(
        await decodeSessionJwt({ token: jwt, secret: authSecret(), salt }),
        SESSION_UPDATE_AGE_S,
      ),
    ).toBe(false);
    const res = await run(`${salt}=${jwt}`);
    expect(res.headers.get("x-middleware-next")).toBe("1");
    const fresh = sessionCookieOf(res);
    expect(fresh).toBeDefined();
    const token = await sessionTokenFromCookies(fresh!.split(";")[0], authSecret());
    expect(token?.sub).toBe("5");
    expect(isFreshSession(token, SESSION_UPDATE_AGE_S)).toBe(true);
  });

  it("sends signed-out and tampered sessions to /login with where they were going", async () => {
    const jwt = await encode({ token: { sub: "5" }, secret: authSecret(), salt });
    for (const cookie of ["", `${salt}=${jwt.slice(0, -3)}xyz`, `${salt}=garbage`]) {
      const res = await run(cookie, "/orders/12?x=1");
      expect(res.status).toBe(307);
      const to = new URL(res.headers.get("location")!);
      expect(to.pathname).toBe("/login");
      expect(to.searchParams.get("next")).toBe("/orders/12?x=1");
    }
  });

  it("runs only for portal pages without a session cookie, or for a Mini App launch", async () => {
    // Next's matcher helper loads modules that expect the global Next's own server sets up.
    (globalThis as { AsyncLocalStorage?: unknown }).AsyncLocalStorage ??= AsyncLocalStorage;
    const { unstable_doesMiddlewareMatch: matches } = await import("next/experimental/testing/server");
    const at = (url: string, cookies?: Record<string, string>) => matches({ config, url, cookies });
    for (const path of ["/dashboard", "/rent", "/orders/12", "/topup", "/wallets", "/account"]) {
      expect(at(path)).toBe(true);
      expect(at(path, { [salt]: "x" })).toBe(false);
      expect(at(path, { [`__Secure-${salt}`]: "x" })).toBe(false);
      expect(at(path, { [`${salt}.0`]: "x" })).toBe(false);
      expect(at(`${path}?mini=1`, { [salt]: "x" })).toBe(true);
      expect(at(`${path}?tgWebAppStartParam=go`, { [salt]: "x" })).toBe(true);
      expect(at(path, { other: "x" })).toBe(true);
    }
    for (const path of ["/", "/login", "/api/portal/quote", "/admin", "/docs/api", "/dashboardx"]) {
      expect(at(path)).toBe(false);
    }
  });
});
