import { randomInt } from "node:crypto";
import { type BrowserContext, expect, type Page, test } from "@playwright/test";
import { signInitData, signLoginWidget } from "@/lib/auth/telegram";
import { translator } from "@/lib/i18n";
import { activatedAddress, userWithLink } from "./fixtures";
import { BOT_TOKEN } from "./ports";

const en = translator("en");

/**
 * The attacks of the security review, against the production build: each is refused and changes
 * nothing. Nothing leaves loopback — Telegram's origins are answered by the tests themselves.
 */
const TOKEN = BOT_TOKEN;

async function offline(context: BrowserContext) {
  await context.route(/^https?:\/\/(?!127\.0\.0\.1[:/]|localhost[:/])/, (route) => route.abort());
}
test.beforeEach(async ({ context }) => offline(context));

/** A Telegram user of our made-up bot, never seen by the app. */
const stranger = () => ({ id: 900_000_000 + randomInt(1, 90_000_000), first_name: "Mallory" });

async function userCountWithTelegramId(id: number): Promise<number> {
  const { getDb } = await import("@/db");
  const { users } = await import("@/db/schema");
  const { eq } = await import("drizzle-orm");
  const db = await getDb();
  return (await db.select().from(users).where(eq(users.telegramId, id))).length;
}

async function sessionUserId(page: Page): Promise<string | null> {
  const s = await (await page.request.get("/api/auth/session")).json();
  return s?.user?.id ?? null;
}

test("security headers: CSP, framing rules, HSTS, nosniff, Referrer-Policy", async ({ request }) => {
  const portal = (await request.get("/login")).headers();
  expect(portal["x-content-type-options"]).toBe("nosniff");
  expect(portal["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(portal["strict-transport-security"]).toMatch(/max-age=\d{7,}/);
  const csp = portal["content-security-policy"];
  expect(csp).toContain("frame-ancestors 'self' https://web.telegram.org");
  expect(csp).toContain("object-src 'none'");
  expect(csp).toContain("default-src 'self'");
  expect(csp).not.toContain("unsafe-eval");
  expect(portal["x-frame-options"]).toBeUndefined();
  const admin = (await request.get("/admin/sign-in")).headers();
  expect(admin["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(admin["x-frame-options"]).toBe("DENY");
  const api = (await request.get("/api/v1/price?energy=65000&duration=1h")).headers();
  expect(api["x-content-type-options"]).toBe("nosniff");
});

test("framing: the Mini App loads inside Telegram Web; the admin console and other sites are refused", async ({
  page,
  context,
  baseURL,
}) => {
  const frames = `<iframe id="app" src="${baseURL}/login?mini=1" width="400" height="600"></iframe>
    <iframe id="admin" src="${baseURL}/admin/sign-in" width="400" height="600"></iframe>`;
  for (const origin of ["https://web.telegram.org", "https://evil.example"]) {
    await context.route(`${origin}/**`, (route) => route.fulfill({ contentType: "text/html", body: frames }));
    // Chromium asks before a public page loads a loopback one; allowed, so only our CSP decides.
    await context.grantPermissions(["local-network-access"], { origin });
  }
  await context.route("https://telegram.org/**", (route) =>
    route.fulfill({ contentType: "application/javascript", body: "" }),
  );
  const adminForm = (p: Page) => p.frameLocator("#admin").locator('input[name="password"]');

  await page.goto("https://web.telegram.org/k/");
  await expect(page.frameLocator("#app").getByRole("heading", { name: en("login-title") })).toBeVisible();
  await page.waitForTimeout(1_000);
  await expect(adminForm(page)).toHaveCount(0);

  await page.goto("https://evil.example/");
  await page.waitForTimeout(1_000);
  await expect(page.frameLocator("#app").getByRole("heading", { name: en("login-title") })).toHaveCount(0);
  await expect(adminForm(page)).toHaveCount(0);

  // control: the admin sign-in itself renders when opened directly
  await page.goto("/admin/sign-in");
  await expect(page.locator('input[name="password"]')).toBeVisible();
});

test("login CSRF: a link carrying someone's signed Telegram profile signs nobody in", async ({ page }) => {
  const m = stranger();
  const fields = { ...m, auth_date: Math.floor(Date.now() / 1000) };
  const hash = signLoginWidget(fields, TOKEN);
  const qs = new URLSearchParams({
    ...Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, String(v)])),
    hash,
  });
  await page.goto(`/login/telegram?${qs}&next=/topup`);
  await expect(page).toHaveURL(/\/login(\?|$)/);
  expect(await sessionUserId(page)).toBeNull();
  expect(await userCountWithTelegramId(m.id)).toBe(0);
  expect((await page.context().cookies()).map((c) => c.name).join(",")).not.toMatch(/session-token/);
});

test("Mini App data in a link's URL hash neither signs a visitor in nor switches a signed-in one", async ({
  page,
  context,
}) => {
  // Telegram's script fills WebApp.initData from the hash, as the real one does.
  await context.route("https://telegram.org/**", (route) =>
    route.fulfill({
      contentType: "application/javascript",
      body: `(() => { const p = new URLSearchParams(location.hash.slice(1));
        const noop = () => {};
        window.Telegram = { WebApp: { initData: p.get("tgWebAppData") || "", themeParams: {}, ready: noop, expand: noop,
          onEvent: noop, offEvent: noop, openLink: noop, showConfirm: noop,
          BackButton: { show: noop, hide: noop, onClick: noop, offClick: noop },
          MainButton: { setParams: noop, show: noop, hide: noop, enable: noop, disable: noop, showProgress: noop, hideProgress: noop, onClick: noop, offClick: noop } } };
      })();`,
    }),
  );
  const m = stranger();
  const initData = signInitData(
    { auth_date: String(Math.floor(Date.now() / 1000)), user: JSON.stringify(m), query_id: "AAE" },
    TOKEN,
  );
  const hash = `#tgWebAppData=${encodeURIComponent(initData)}&tgWebAppPlatform=android`;

  // a signed-out visitor
  await page.goto(`/login${hash}`);
  await page.waitForTimeout(2_000);
  expect(await sessionUserId(page)).toBeNull();

  // a signed-in victim, on a page that does not redirect signed-in users away
  const { user, path } = await userWithLink({});
  await page.goto(path);
  await page.waitForURL("**/dashboard");
  expect(await sessionUserId(page)).toBe(String(user.id));
  await page.goto(`/login?code=invalid${hash}`);
  await page.waitForTimeout(2_000);
  expect(await sessionUserId(page)).toBe(String(user.id));
  expect(await userCountWithTelegramId(m.id)).toBe(0);
});

test("a browser signed in as one user is asked before another user's link signs it in", async ({ page }) => {
  const a = await userWithLink({});
  const b = await userWithLink({});
  await page.goto(a.path);
  await page.waitForURL("**/dashboard");
  expect(await sessionUserId(page)).toBe(String(a.user.id));
  // B's one-time link (a victim tricked into opening it, say): nothing switches by itself
  await page.goto(b.path);
  await expect(page.getByText(en("login-switch-prompt", { current: "E2E" }))).toBeVisible();
  expect(await sessionUserId(page)).toBe(String(a.user.id));
  // the person chooses: now, and only now, it is B's session
  await page.getByRole("button", { name: en("login-switch-confirm") }).click();
  await page.waitForURL("**/dashboard");
  expect(await sessionUserId(page)).toBe(String(b.user.id));
});

test("open redirect: next cannot leave the app, and a newline is no 500", async ({ page, baseURL }) => {
  const { path } = await userWithLink({});
  await page.goto(path);
  await page.waitForURL("**/dashboard");
  await page.goto("/login?next=%2F%09%2Fevil.com%2Fphish");
  await page.waitForURL("**/dashboard");
  expect(new URL(page.url()).origin).toBe(new URL(baseURL!).origin);
  const nl = await page.request.get("/login?next=%2Fdash%0ASet-Cookie%3A%20x%3D1", { maxRedirects: 0 });
  expect(nl.status()).toBeLessThan(500);
  expect(nl.headers().location ?? "").not.toMatch(/evil|Set-Cookie/i);
});

test("rate limits: a fresh X-Forwarded-For per request buys nothing; portal address checks are limited", async ({
  page,
}) => {
  const address = await activatedAddress();
  let limitedAt = 0;
  for (let i = 1; i <= 70 && !limitedAt; i++) {
    const r = await page.request.get(`/api/v1/price?energy=65000&duration=1h&address=${address}`, {
      headers: { "x-forwarded-for": `198.51.100.${i}` },
    });
    if (r.status() === 429) limitedAt = i;
    else expect(r.status()).toBe(200);
  }
  expect(limitedAt).toBeGreaterThan(0);
  expect(limitedAt).toBeLessThanOrEqual(61);

  const { path } = await userWithLink({});
  await page.goto(path);
  await page.waitForURL("**/dashboard");
  const statuses: number[] = [];
  for (let i = 0; i < 61; i++)
    statuses.push((await page.request.get(`/api/portal/address?role=receiver&address=${address}`)).status());
  expect(statuses.slice(0, 60).every((s) => s === 200)).toBe(true);
  expect(statuses[60]).toBe(429);
});
