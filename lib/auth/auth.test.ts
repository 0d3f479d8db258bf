import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, findOrCreateTelegramUser } from "@/lib/users";
import { env, reloadEnv } from "@/lib/env";
import { encode } from "next-auth/jwt";
import { handlers } from "./auth";
import { authSecret } from "./auth.config";
import { createLoginLink, LOGIN_LINK_TTL_MS } from "./login-link";
import { sessionUserIdFromCookies } from "./session";
import { signInitData, signLoginWidget } from "./telegram";
import { getDb } from "@/db";
import { users } from "@/db/schema";
import { eq } from "drizzle-orm";

/**
 * The three sign-in ways through the real Auth.js endpoints (CSRF, callback, JWT cookie, session),
 * as a browser would call them.
 */
const base = "http://portal.test";
const botToken = "424242:AAEauthTestTokenForPortal_0123456789";
let savedToken: string | undefined;

beforeAll(async () => {
  savedToken = process.env.TELEGRAM_BOT_TOKEN;
  process.env.TELEGRAM_BOT_TOKEN = botToken;
  reloadEnv();
  await getDb();
}, 180_000);
afterAll(() => {
  if (savedToken === undefined) delete process.env.TELEGRAM_BOT_TOKEN;
  else process.env.TELEGRAM_BOT_TOKEN = savedToken;
  reloadEnv();
});

type Jar = Map<string, string>;
function store(jar: Jar, res: Response) {
  for (const c of res.headers.getSetCookie()) {
    const [pair] = c.split(";");
    const i = pair.indexOf("=");
    jar.set(pair.slice(0, i), pair.slice(i + 1));
  }
}
const cookieHeader = (jar: Jar) => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");

async function call(
  method: "GET" | "POST",
  path: string,
  jar: Jar,
  body?: Record<string, string>,
  origin = base,
) {
  const { NextRequest } = await import("next/server");
  const req = new NextRequest(`${origin}${path}`, {
    method,
    headers: {
      cookie: cookieHeader(jar),
      ...(body ? { "content-type": "application/x-www-form-urlencoded" } : {}),
    },
    body: body ? new URLSearchParams(body).toString() : undefined,
  });
  const res = await (method === "GET" ? handlers.GET(req) : handlers.POST(req));
  store(jar, res);
  return res;
}

async function signInWith(provider: string, fields: Record<string, string>, origin = base) {
  const jar: Jar = new Map();
  const csrf = await call("GET", "/api/auth/csrf", jar, undefined, origin);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await call(
    "POST",
    `/api/auth/callback/${provider}`,
    jar,
    { ...fields, csrfToken, callbackUrl: `${origin}/dashboard` },
    origin,
  );
  const session = (await (await call("GET", "/api/auth/session", jar, undefined, origin)).json()) as {
    user?: { id: string };
  } | null;
  return { res, location: res.headers.get("location") ?? "", session, jar };
}

describe("portal sign-in (Auth.js credentials providers)", () => {
  it("one-time link: signs in once with a JWT session carrying the user id", async () => {
    const u = await createUser();
    const { token } = await createLoginLink(u.id);
    const first = await signInWith("login-link", { token });
    expect(first.location).toBe(`${base}/dashboard`);
    expect(first.session?.user?.id).toBe(String(u.id));
    expect([...first.jar.keys()].some((k) => k.includes("authjs.session-token"))).toBe(true);

    const again = await signInWith("login-link", { token });
    expect(again.location).toContain("/login?error=CredentialsSignin&code=used");
    expect(again.session?.user).toBeUndefined();
  });

  it("one-time link: an expired or unknown link is refused with its reason", async () => {
    const u = await createUser();
    const { token } = await createLoginLink(u.id, new Date(Date.now() - LOGIN_LINK_TTL_MS - 5000));
    const expired = await signInWith("login-link", { token });
    expect(expired.location).toContain("code=expired");
    expect(expired.session?.user).toBeUndefined();
    const unknown = await signInWith("login-link", { token: "A".repeat(43) });
    expect(unknown.location).toContain("code=invalid");
  });

  it("Login Widget: verified data signs in the same user row the bot uses", async () => {
    const tgId = 5_000_000 + Math.floor(Math.random() * 1_000_000);
    const { user } = await findOrCreateTelegramUser({ id: tgId, first_name: "Widget" });
    const fields = {
      id: String(tgId),
      first_name: "Widget",
      auth_date: String(Math.floor(Date.now() / 1000)),
    };
    const ok = await signInWith("telegram-widget", { ...fields, hash: signLoginWidget(fields, botToken) });
    expect(ok.session?.user?.id).toBe(String(user.id));

    const tampered = await signInWith("telegram-widget", {
      ...fields,
      id: String(tgId + 1),
      hash: signLoginWidget(fields, botToken),
    });
    expect(tampered.location).toContain("code=invalid");
    expect(tampered.session?.user).toBeUndefined();

    const staleFields = { ...fields, auth_date: String(Math.floor(Date.now() / 1000) - 2 * 86_400) };
    const stale = await signInWith("telegram-widget", {
      ...staleFields,
      hash: signLoginWidget(staleFields, botToken),
    });
    expect(stale.location).toContain("code=stale");
  });

  it("Mini App initData: creates the user on first sight, refuses tampering", async () => {
    const tgId = 6_000_000 + Math.floor(Math.random() * 1_000_000);
    const initData = signInitData(
      {
        user: JSON.stringify({ id: tgId, first_name: "Mini", language_code: "zh" }),
        auth_date: String(Math.floor(Date.now() / 1000)),
      },
      botToken,
    );
    const ok = await signInWith("telegram-miniapp", { initData });
    const db = await getDb();
    const [row] = await db.select().from(users).where(eq(users.telegramId, tgId));
    expect(row.language).toBe("zh");
    expect(ok.session?.user?.id).toBe(String(row.id));

    const bad = await signInWith("telegram-miniapp", { initData: initData.replace("Mini", "Evil") });
    expect(bad.location).toContain("code=invalid");
  });

  it("refuses banned users on every way in", async () => {
    const u = await createUser();
    const db = await getDb();
    await db.update(users).set({ status: "banned" }).where(eq(users.id, u.id));
    const { token } = await createLoginLink(u.id);
    const r = await signInWith("login-link", { token });
    expect(r.location).toContain("code=banned");
    expect(r.session?.user).toBeUndefined();
  });

  it("uses the configured bot token only (env reloaded)", () => {
    expect(env.TELEGRAM_BOT_TOKEN).toBe(botToken);
  });
});

describe("session reader for pages and routes (lib/auth/session)", () => {
  it("reads the same user as Auth.js's own session endpoint, over HTTP and HTTPS cookies", async () => {
    for (const [origin, cookie] of [
      [base, "authjs.session-token"],
      ["https://portal.test", "__Secure-authjs.session-token"],
    ] as const) {
      const u = await createUser();
      const { token } = await createLoginLink(u.id);
      const r = await signInWith("login-link", { token }, origin);
      expect(r.session?.user?.id).toBe(String(u.id));
      expect(r.jar.has(cookie)).toBe(true);
      expect(await sessionUserIdFromCookies(cookieHeader(r.jar))).toBe(u.id);
    }
  });

  it("refuses tampered, expired, wrongly salted and missing session cookies", async () => {
    const u = await createUser();
    const { token } = await createLoginLink(u.id);
    const { jar } = await signInWith("login-link", { token });
    const jwt = jar.get("authjs.session-token") ?? "";
    const salt = "authjs.session-token";
    const tampered = `${jwt.slice(0, -4)}${jwt.endsWith("AAAA") ? "BBBB" : "AAAA"}`;
    const expired = await encode({ token: { sub: String(u.id) }, secret: authSecret(), salt, maxAge: -60 });
    const otherSalt = await encode({ token: { sub: String(u.id) }, secret: authSecret(), salt: "other" });
    const otherSecret = await encode({ token: { sub: String(u.id) }, secret: "x".repeat(40), salt });
    for (const bad of [tampered, expired, otherSalt, otherSecret, "garbage"])
      expect(await sessionUserIdFromCookies(`${salt}=${bad}`)).toBeNull();
    expect(await sessionUserIdFromCookies("")).toBeNull();
    expect(await sessionUserIdFromCookies("other=1")).toBeNull();
  });
});
