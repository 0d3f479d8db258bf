import { expect, test } from "@playwright/test";
import { activatedAddress, balanceOf, control, ensurePool, orderStatus, userWithLink } from "./fixtures";
import { e2eConfig, WEBHOOK_SECRET } from "./ports";

/**
 * The production topology behaves as one process: two web processes (A, Playwright's baseURL, and
 * B) and one worker, against one PostgreSQL and the engine (scripts/e2e-server.ts). Whatever a
 * person or a reseller does may land on either web process; every request below alternates.
 */
const TRX = 1_000_000n;
const { webPorts, workerPort, controlPort } = e2eConfig();
const CONTROL = `http://127.0.0.1:${controlPort}`;
const A = `http://127.0.0.1:${webPorts[0]}`;
const B = `http://127.0.0.1:${webPorts[1]}`;
const WORKER = `http://127.0.0.1:${workerPort}`;
const alternate = (i: number) => (i % 2 === 0 ? A : B);

test.describe.configure({ mode: "serial" });

test("a portal sign-in done on web A is honoured by web B", async ({ page }) => {
  const { user, path } = await userWithLink({});
  await page.goto(`${A}${path}`);
  await page.waitForURL(`${A}/dashboard`);
  const session = async (base: string) =>
    (await (await page.request.get(`${base}/api/auth/session`)).json())?.user?.id;
  expect(await session(A)).toBe(String(user.id));
  // The same cookie (Auth.js session, sealed with AUTH_SECRET) on the other process.
  expect(await session(B)).toBe(String(user.id));
  // A signed-out visitor is sent to /login; this one stays on B's dashboard.
  await page.goto(`${B}/dashboard`);
  await expect(page).toHaveURL(`${B}/dashboard`);
});

test("API orders sent alternately to A and B all reach active through the worker; the ledger is exact; a repeated Idempotency-Key on the other process makes nothing twice", async ({
  request,
}) => {
  test.setTimeout(180_000);
  await ensurePool();
  const { createApiKey, revokeApiKey } = await import("@/lib/api/keys");
  const { user } = await userWithLink({ balanceSun: 40n * TRX });
  const { key, apiKey } = await createApiKey({ userId: user.id, name: "e2e scale" });
  const auth = { authorization: `Bearer ${key}` };
  const ids: number[] = [];
  for (let i = 0; i < 4; i++) {
    const headers = { ...auth, "idempotency-key": `e2e-scale-${user.id}-${i}` };
    const data = { receiver: await activatedAddress(), energy: 65_000, duration: "1h" };
    const created = await request.post(`${alternate(i)}/api/v1/orders`, { headers, data });
    expect(created.status(), await created.text()).toBe(201);
    const id = Number((await created.json()).id);
    // The same request again, on the other process: the same order, not a second one.
    const again = await request.post(`${alternate(i + 1)}/api/v1/orders`, { headers, data });
    expect(again.status(), await again.text()).toBeLessThan(300);
    expect(Number((await again.json()).id)).toBe(id);
    ids.push(id);
  }
  for (const id of ids)
    await expect.poll(() => orderStatus(id), { timeout: 90_000, intervals: [500, 1000] }).toBe("active");
  // Every process reads the same order.
  for (const [i, id] of ids.entries()) {
    const r = await request.get(`${alternate(i + 1)}/api/v1/orders/${id}`, { headers: auth });
    expect((await r.json()).status).toBe("active");
  }
  const { getDb } = await import("@/db");
  const { ledgerEntries, orders } = await import("@/db/schema");
  const { eq } = await import("drizzle-orm");
  const db = await getDb();
  const mine = await db.select().from(orders).where(eq(orders.userId, user.id));
  expect(mine.map((o) => o.id).sort()).toEqual([...ids].sort());
  const ledger = await db.select().from(ledgerEntries).where(eq(ledgerEntries.userId, user.id));
  expect(ledger.filter((x) => x.type === "order_payment")).toHaveLength(4);
  expect(ledger.filter((x) => x.type === "refund")).toHaveLength(0);
  const paid = mine.reduce((a, o) => a + o.priceSun, 0n);
  expect(ledger.reduce((a, x) => a + x.amountSun, 0n)).toBe(40n * TRX - paid);
  expect(await balanceOf(user.id)).toBe(40n * TRX - paid);
  // A key revoked (here, as through the portal on either process) is refused by both at once.
  await revokeApiKey({ userId: user.id, keyId: apiKey.id });
  for (const base of [A, B])
    expect((await request.get(`${base}/api/v1/account`, { headers: auth })).status()).toBe(401);
});

test("bot updates delivered alternately to A and B are each handled once; a redelivery to the other process is a duplicate; the per-user limit is shared", async ({
  request,
}) => {
  const { textUpdate } = await import("@/lib/bot/testing/fake-bot-api");
  const from = {
    id: 8_000_000 + Math.floor(Math.random() * 1_000_000),
    first_name: "E2E",
    language_code: "en",
  };
  type Call = { method: string; body: Record<string, any> };
  const sentToChat = async () =>
    ((await control("/bot/calls", "GET")) as Call[]).filter(
      (c) => c.method === "sendMessage" && Number(c.body.chat_id) === from.id,
    );
  const post = async (base: string, update: unknown) => {
    const r = await request.post(`${base}/api/telegram`, {
      data: update,
      headers: { "x-telegram-bot-api-secret-token": WEBHOOK_SECRET },
    });
    expect(r.status()).toBe(200);
    return r.text();
  };
  const updates = [0, 1, 2, 3].map(() => textUpdate(from, "/help"));
  for (const [i, u] of updates.entries()) {
    await post(alternate(i), u);
    // Telegram retries a delivery it thinks failed: the other process sees the same update_id.
    expect(await post(alternate(i + 1), u)).toContain("duplicate");
    // a person's pace: the bot allows 5 updates per 2 s per user
    await new Promise((r) => setTimeout(r, 600));
  }
  expect(await sentToChat()).toHaveLength(4);

  // The limit (5 per 2 s) counted over both processes: the 6th update is refused, once, politely.
  await new Promise((r) => setTimeout(r, 2_100));
  const before = (await sentToChat()).length;
  for (let i = 0; i < 7; i++) await post(alternate(i), textUpdate(from, "/help"));
  const burst = (await sentToChat()).slice(before).map((c) => String(c.body.text));
  expect(burst).toHaveLength(6);
  const { tr } = await import("@/lib/bot/i18n");
  expect(burst.slice(0, 5).every((t) => t !== tr("en", "rate-limited"))).toBe(true);
  expect(burst[5]).toBe(tr("en", "rate-limited"));
});

test("rate limits are shared: an API key's per-minute limit spread over A and B is hit at the same count as on A alone", async ({
  request,
}) => {
  const { createApiKey } = await import("@/lib/api/keys");
  const { user } = await userWithLink({});
  const limitedAt = async (spread: boolean) => {
    const { key } = await createApiKey({
      userId: user.id,
      name: `e2e rate ${spread}`,
      rateLimitPerMinute: 10,
    });
    for (let i = 1; i <= 15; i++) {
      const r = await request.get(`${spread ? alternate(i) : A}/api/v1/account`, {
        headers: { authorization: `Bearer ${key}` },
      });
      if (r.status() === 429) return i;
      expect(r.status()).toBe(200);
    }
    return 0;
  };
  expect(await limitedAt(false)).toBe(11);
  expect(await limitedAt(true)).toBe(11);
});

test("a price changed by the operator reaches both web processes within the settings cache's 3 s", async ({
  request,
}) => {
  await ensurePool(); // no pool, no quote
  const { getSettings, invalidateSettings, updateSettings } = await import("@/lib/settings");
  const price = async (base: string) =>
    (await (await request.get(`${base}/api/v1/price?energy=65000&duration=1h`)).json()).price_sun as string;
  // Both processes have the current settings cached.
  const before = await price(A);
  expect(await price(B)).toBe(before);
  invalidateSettings();
  const original = (await getSettings()).durations;
  const changed = original.map((d) => (d.key === "1h" ? { ...d, unitPriceSun: d.unitPriceSun + 7n } : d));
  try {
    await updateSettings({ durations: changed.map((d) => ({ ...d, unitPriceSun: String(d.unitPriceSun) })) });
    const t0 = Date.now();
    const want = String(BigInt(before) + 65_000n * 7n);
    for (const base of [A, B])
      await expect.poll(() => price(base), { timeout: 4_000, intervals: [100] }).toBe(want);
    expect(Date.now() - t0).toBeLessThan(3_500);
  } finally {
    await updateSettings({
      durations: original.map((d) => ({ ...d, unitPriceSun: String(d.unitPriceSun) })),
    });
  }
});

test("roles: a web process answers 404 on /api/inngest; the worker 404 on a portal page and the API", async ({
  request,
}) => {
  for (const base of [A, B]) {
    expect((await request.get(`${base}/api/inngest`)).status()).toBe(404);
    expect((await request.get(`${base}/api/health`)).status()).toBeLessThan(600);
  }
  expect((await request.get(`${WORKER}/login`, { maxRedirects: 0 })).status()).toBe(404);
  expect((await request.get(`${WORKER}/dashboard`, { maxRedirects: 0 })).status()).toBe(404);
  expect((await request.get(`${WORKER}/api/v1/price?energy=65000&duration=1h`)).status()).toBe(404);
  expect((await request.post(`${WORKER}/api/telegram`, { data: {} })).status()).toBe(404);
});

test("roles: a web process given a worker-only key (key-encryption key, its old keys, deposit mnemonic) refuses to start and serves nothing", async ({
  request,
}) => {
  for (const variable of ["KEY_ENCRYPTION_KEY", "KEY_ENCRYPTION_OLD_KEYS", "DEPOSIT_MNEMONIC"]) {
    const r = await request.post(`${CONTROL}/web/start-with/${variable}`, { timeout: 90_000 });
    expect(r.status()).toBe(200);
    const { code, output, answered } = (await r.json()) as {
      code: number;
      output: string;
      answered: boolean;
    };
    expect(code, output).toBe(1);
    expect(output).toContain(`${variable}: must not be given to APP_ROLE=web`);
    expect(answered).toBe(false);
  }
});
