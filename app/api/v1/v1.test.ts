import { and, eq } from "drizzle-orm";
import { utils } from "tronweb";
import { beforeEach, describe, expect, it } from "vitest";
import { test } from "@/test/fixtures";
import { orderKitWithPoolOnce } from "@/test/order-kit";
import { getDb } from "@/db";
import { ledgerEntries, orders, users } from "@/db/schema";
import { revokeApiKey } from "@/lib/api/keys";
import { keyLimiter, lookupLimiter } from "@/lib/api/rate-limit";
import { reloadEnv } from "@/lib/env";
import { peerHeaders } from "@/lib/security/client-ip";
import {
  accountSchema,
  errorSchema,
  orderListSchema,
  orderSchema,
  priceResponseSchema,
} from "@/lib/api/schemas";
import { getBalance } from "@/lib/ledger";
import { freshReceiver, importPool, resetPoolForTests, runFulfil } from "@/lib/orders/testing";
import { resetSettings, updateSettings } from "@/lib/settings";
import { GET as account } from "./account/route";
import { POST as cancel } from "./orders/[id]/cancel/route";
import { GET as getOne } from "./orders/[id]/route";
import { GET as list, POST as create } from "./orders/route";
import { GET as price } from "./price/route";

/** Contract tests of every /api/v1 route: handlers called with real Requests, devnet + database. */

const TRX = 1_000_000n;
const kit = orderKitWithPoolOnce(); // quotes and orders are only taken when the pool can cover them
beforeEach(async () => {
  await keyLimiter.reset();
  await lookupLimiter.reset();
});

const base = "http://localhost/api/v1";
const auth = (key?: string): Record<string, string> => (key ? { authorization: `Bearer ${key}` } : {});
const params = (id: string) => ({ params: Promise.resolve({ id }) });

function post(key: string | undefined, body: unknown, idem?: string, raw = false) {
  return create(
    new Request(`${base}/orders`, {
      method: "POST",
      headers: {
        ...auth(key),
        "content-type": "application/json",
        ...(idem === undefined ? {} : { "idempotency-key": idem }),
      },
      body: raw ? (body as string) : JSON.stringify(body),
    }),
  );
}

async function expectError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  const body = await res.json();
  expect(errorSchema.parse(body).error.code).toBe(code);
  return body.error as { code: string; message: string; fields?: Record<string, string> };
}

let idem = 0;
const nextIdem = () => `t-${Date.now()}-${idem++}`;

describe("auth", () => {
  it.each([
    ["no key", undefined],
    ["a malformed key", "hello"],
    ["an unknown key", `teh_live_AAAAAAAA_${"B".repeat(32)}`],
  ])("401 unauthorized with %s", async (_n, key) => {
    const res = await account(new Request(`${base}/account`, { headers: auth(key) }));
    const e = await expectError(res, 401, "unauthorized");
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(e.message).toMatch(/API key/);
  });

  test("a revoked key → 401 on every route", async ({ apiCustomer }) => {
    const c = await apiCustomer();
    expect((await account(new Request(`${base}/account`, { headers: auth(c.key) }))).status).toBe(200);
    await revokeApiKey({ userId: c.userId, keyId: c.keyId });
    await expectError(
      await account(new Request(`${base}/account`, { headers: auth(c.key) })),
      401,
      "unauthorized",
    );
    await expectError(await post(c.key, {}, "x"), 401, "unauthorized");
    await expectError(
      await list(new Request(`${base}/orders`, { headers: auth(c.key) })),
      401,
      "unauthorized",
    );
    await expectError(
      await getOne(new Request(`${base}/orders/1`, { headers: auth(c.key) }), params("1")),
      401,
      "unauthorized",
    );
    await expectError(
      await cancel(
        new Request(`${base}/orders/1/cancel`, { method: "POST", headers: auth(c.key) }),
        params("1"),
      ),
      401,
      "unauthorized",
    );
  });

  test("revoking another user's key → not_found, key stays valid", async ({ apiCustomer }) => {
    const a = await apiCustomer();
    const b = await apiCustomer();
    await expect(revokeApiKey({ userId: b.userId, keyId: a.keyId })).rejects.toMatchObject({
      code: "not_found",
    });
    expect((await account(new Request(`${base}/account`, { headers: auth(a.key) }))).status).toBe(200);
  });

  test("per-key rate limit → 429 with Retry-After; other keys unaffected", async ({ apiCustomer }) => {
    const c = await apiCustomer({ balanceSun: 0n, rateLimitPerMinute: 3 });
    const other = await apiCustomer({ balanceSun: 0n, rateLimitPerMinute: 3 });
    for (let i = 0; i < 3; i++) {
      const r = await account(new Request(`${base}/account`, { headers: auth(c.key) }));
      expect(r.status).toBe(200);
      expect(r.headers.get("x-ratelimit-remaining")).toBe(String(2 - i));
    }
    const res = await account(new Request(`${base}/account`, { headers: auth(c.key) }));
    await expectError(res, 429, "rate_limited");
    const ra = Number(res.headers.get("retry-after"));
    expect(ra).toBeGreaterThanOrEqual(1);
    expect(ra).toBeLessThanOrEqual(60);
    expect((await account(new Request(`${base}/account`, { headers: auth(other.key) }))).status).toBe(200);
  });

  test("a banned user's key reads nothing and cancels nothing", async ({ apiCustomer }) => {
    const c = await apiCustomer();
    const r = await post(
      c.key,
      { receiver: await freshReceiver(kit), energy: 65_000, duration: "1h" },
      nextIdem(),
    );
    expect(r.status).toBe(201);
    const order = (await r.json()) as { id: string };
    const db = await getDb();
    await db.update(users).set({ status: "banned" }).where(eq(users.id, c.userId));
    const balance = await getBalance(c.userId);
    try {
      await expectError(
        await account(new Request(`${base}/account`, { headers: auth(c.key) })),
        403,
        "forbidden",
      );
      await expectError(
        await getOne(new Request(`${base}/orders/${order.id}`, { headers: auth(c.key) }), params(order.id)),
        403,
        "forbidden",
      );
      await expectError(
        await cancel(
          new Request(`${base}/orders/${order.id}/cancel`, { method: "POST", headers: auth(c.key) }),
          params(order.id),
        ),
        403,
        "forbidden",
      );
      await expectError(
        await post(c.key, { receiver: await freshReceiver(kit), energy: 65_000, duration: "1h" }, nextIdem()),
        403,
        "forbidden",
      );
      const [o] = await db
        .select()
        .from(orders)
        .where(eq(orders.id, Number(order.id)));
      expect(o.status).toBe("paid");
      expect(await getBalance(c.userId)).toBe(balance);
      expect(await db.select().from(orders).where(eq(orders.userId, c.userId))).toHaveLength(1);
    } finally {
      await db.update(users).set({ status: "active" }).where(eq(users.id, c.userId));
    }
  });

  test("records the last-used time", async ({ apiCustomer }) => {
    const c = await apiCustomer();
    await account(new Request(`${base}/account`, { headers: auth(c.key) }));
    const { listApiKeys } = await import("@/lib/api/keys");
    const [k] = await listApiKeys({ userId: c.userId });
    expect(k.lastUsedAt).toBeInstanceOf(Date);
    expect(k.prefix).toMatch(/^teh_live_[0-9A-Za-z]{8}$/);
    expect(c.key.startsWith(`${k.prefix}_`)).toBe(true);
  });
});

describe("GET /price", () => {
  const get = (qs: string, ip = "1.2.3.4") =>
    price(new Request(`${base}/price${qs}`, { headers: peerHeaders(ip) }));

  it("plain quote matches the schema", async () => {
    const res = await get("?energy=65000&duration=1h");
    expect(res.status).toBe(200);
    const body = priceResponseSchema.parse(await res.json());
    expect(body.price_sun).toBe("2925000");
    expect(body.receiver).toBeUndefined();
  });

  it("address → validated and activation reported", async () => {
    const active = await freshReceiver(kit);
    const inactive = utils.accounts.generateAccount().address.base58;
    const a = priceResponseSchema.parse(
      await (await get(`?energy=65000&duration=1h&address=${active}`)).json(),
    );
    expect(a.receiver).toEqual({ address: active, activated: true });
    const b = priceResponseSchema.parse(
      await (await get(`?energy=65000&duration=1h&address=${inactive}`)).json(),
    );
    expect(b.receiver).toEqual({ address: inactive, activated: false });
  });

  it.each([
    ["address", "0x52908400098527886E0F7030069857D2E4169EE7", /Ethereum/],
    ["address", "TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSF", /checksum/],
    ["usdt_to", "abc", /./],
  ])("bad %s → 400 invalid_address with fields", async (field, value, msg) => {
    const e = await expectError(
      await get(`?energy=65000&duration=1h&${field}=${value}`),
      400,
      "invalid_address",
    );
    expect(Object.keys(e.fields ?? {})).toEqual([field]);
    expect(e.fields?.[field]).toMatch(msg);
  });

  it("usdt_to → 65k when the recipient holds USDT, 131k when it holds none", async () => {
    const holder = await freshReceiver(kit);
    await kit.ctl("fund-usdt", { address: holder, amount: "5000000" });
    const empty = utils.accounts.generateAccount().address.base58;
    const h = priceResponseSchema.parse(
      await (await get(`?energy=65000&duration=1h&usdt_to=${holder}`)).json(),
    );
    expect(h.usdt).toEqual({
      to: holder,
      holds_usdt: true,
      suggested_energy: 65_000,
      reason: "recipient_holds_usdt",
    });
    const e = priceResponseSchema.parse(
      await (await get(`?energy=65000&duration=1h&usdt_to=${empty}`)).json(),
    );
    expect(e.usdt).toMatchObject({
      holds_usdt: false,
      suggested_energy: 131_000,
      reason: "recipient_has_no_usdt",
    });
  });

  it("chain look-ups are rate-limited per IP (plain quotes are not)", async () => {
    const a = await freshReceiver(kit);
    for (let i = 0; i < 60; i++) await lookupLimiter.hit("ip:9.9.9.9", 60);
    const res = await get(`?energy=65000&duration=1h&address=${a}`, "9.9.9.9");
    await expectError(res, 429, "rate_limited");
    expect(res.headers.get("retry-after")).toMatch(/^\d+$/);
    expect((await get("?energy=65000&duration=1h", "9.9.9.9")).status).toBe(200);
  });

  it("a made-up X-Forwarded-For does not buy a fresh limit; it counts only from a trusted proxy", async () => {
    const a = await freshReceiver(kit);
    const q = `?energy=65000&duration=1h&address=${a}`;
    const from = (peer: string, xff: string) =>
      price(new Request(`${base}/price${q}`, { headers: peerHeaders(peer, { "x-forwarded-for": xff }) }));
    for (let i = 0; i < 59; i++) await lookupLimiter.hit("ip:7.7.7.7", 60);
    expect((await from("7.7.7.7", "10.0.0.1")).status).toBe(200);
    // every request claims another client: still the same socket peer, so the same window
    for (const xff of ["10.0.0.2", "203.0.113.9", "1.1.1.1, 2.2.2.2"])
      await expectError(await from("7.7.7.7", xff), 429, "rate_limited");
    // behind a configured proxy the forwarded client is the key
    const saved = process.env.TRUSTED_PROXIES;
    process.env.TRUSTED_PROXIES = "7.7.7.0/24";
    reloadEnv();
    try {
      expect((await from("7.7.7.7", "198.51.100.4")).status).toBe(200);
      expect(await lookupLimiter.used("ip:198.51.100.4", 60)).toBe(1);
      // a spoofed hop left of the real client is ignored: the nearest untrusted hop counts
      expect((await from("7.7.7.7", "6.6.6.6, 198.51.100.4")).status).toBe(200);
      expect(await lookupLimiter.used("ip:198.51.100.4", 60)).toBe(2);
      expect(await lookupLimiter.used("ip:6.6.6.6", 60)).toBe(0);
    } finally {
      if (saved === undefined) delete process.env.TRUSTED_PROXIES;
      else process.env.TRUSTED_PROXIES = saved;
      reloadEnv();
    }
  });

  it("the TRON node down → 503 provider_unavailable, no internal text", async () => {
    const a = await freshReceiver(kit);
    await kit.ctl("faults", { status5xx: 1000 });
    try {
      const e = await expectError(
        await get(`?energy=65000&duration=1h&address=${a}`),
        503,
        "provider_unavailable",
      );
      expect(e.message).not.toMatch(/http|127\.0\.0\.1|ECONN/i);
    } finally {
      await kit.ctl("faults/clear");
    }
  });
});

describe("GET /account", () => {
  test("balance and deposit address", async ({ apiCustomer }) => {
    const c = await apiCustomer({ balanceSun: 123n * TRX });
    const res = await account(new Request(`${base}/account`, { headers: auth(c.key) }));
    expect(res.status).toBe(200);
    const body = accountSchema.parse(await res.json());
    expect(body.balance_sun).toBe("123000000");
    expect(body.deposit_address).toMatch(/^T[1-9A-HJ-NP-Za-km-z]{33}$/);
    expect(body.api_key.prefix).toMatch(/^teh_live_/);
  });
});

describe("POST /orders", () => {
  test("creates (201), replays (200, same order, one debit), conflicts on another body (409)", async ({
    apiCustomer,
  }) => {
    const c = await apiCustomer();
    const receiver = await freshReceiver(kit);
    const key = nextIdem();
    const body = { receiver, energy: 65_000, duration: "1h" };
    const r1 = await post(c.key, body, key);
    expect(r1.status).toBe(201);
    const o1 = orderSchema.parse(await r1.json());
    expect(o1).toMatchObject({
      status: "paid",
      receiver,
      energy: 65_000,
      price_sun: "2925000",
      idempotency_key: key,
    });
    const r2 = await post(c.key, body, key);
    expect(r2.status).toBe(200);
    expect(r2.headers.get("idempotent-replayed")).toBe("true");
    expect(orderSchema.parse(await r2.json()).id).toBe(o1.id);
    await expectError(await post(c.key, { ...body, energy: 131_000 }, key), 409, "idempotency_conflict");
    expect(await getBalance(c.userId)).toBe(10_000n * TRX - 2_925_000n);
  });

  test("20 concurrent identical requests with one key → one order, one debit", async ({ apiCustomer }) => {
    const c = await apiCustomer();
    const receiver = await freshReceiver(kit);
    const key = nextIdem();
    const body = { receiver, energy: 100_000, duration: "1h" };
    const res = await Promise.all(Array.from({ length: 20 }, () => post(c.key, body, key)));
    const statuses = res.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(19);
    const ids = new Set(await Promise.all(res.map(async (r) => (await r.json()).id)));
    expect(ids.size).toBe(1);
    const db = await getDb();
    expect(await db.select().from(orders).where(eq(orders.userId, c.userId))).toHaveLength(1);
    const debits = await db
      .select()
      .from(ledgerEntries)
      .where(and(eq(ledgerEntries.userId, c.userId), eq(ledgerEntries.type, "order_payment")));
    expect(debits).toHaveLength(1);
    expect(await getBalance(c.userId)).toBe(10_000n * TRX - 4_500_000n);
  });

  test("missing Idempotency-Key → 400 naming the header", async ({ apiCustomer }) => {
    const c = await apiCustomer();
    const e = await expectError(
      await post(c.key, { receiver: await freshReceiver(kit), energy: 65_000, duration: "1h" }),
      400,
      "bad_request",
    );
    expect(Object.keys(e.fields ?? {})).toEqual(["Idempotency-Key"]);
    await expectError(await post(c.key, {}, "has space"), 400, "bad_request");
    await expectError(await post(c.key, {}, "x".repeat(101)), 400, "bad_request");
  });

  test.for<[string, unknown, Record<string, RegExp>]>([
    ["empty body", {}, { receiver: /required/, energy: /required/, duration: /required/ }],
    ["missing energy", { receiver: "T", duration: "1h" }, { energy: /required/ }],
    ["energy as string", { receiver: "T", energy: "65000", duration: "1h" }, { energy: /whole number/ }],
    ["negative energy", { receiver: "T", energy: -5, duration: "1h" }, { energy: /greater than zero/ }],
    ["fractional energy", { receiver: "T", energy: 65000.5, duration: "1h" }, { energy: /whole number/ }],
    ["receiver as number", { receiver: 5, energy: 65000, duration: "1h" }, { receiver: /string/ }],
    ["duration as number", { receiver: "T", energy: 65000, duration: 1 }, { duration: /string/ }],
    [
      "unknown field",
      { receiver: "T", energy: 65000, duration: "1h", callbackUrl: "x" },
      { callbackUrl: /Unknown/ },
    ],
    [
      "callback_url as number",
      { receiver: "T", energy: 65000, duration: "1h", callback_url: 1 },
      { callback_url: /string/ },
    ],
    ["body is an array", [], { body: /object/i }],
  ])("400 bad_request with fields: %s", async ([_n, body, fields], { apiCustomer }) => {
    const c = await apiCustomer();
    const e = await expectError(await post(c.key, body, nextIdem()), 400, "bad_request");
    expect(Object.keys(e.fields ?? {}).sort()).toEqual(Object.keys(fields).sort());
    for (const [k, re] of Object.entries(fields)) expect(e.fields?.[k]).toMatch(re);
  });

  test("not JSON / wrong content type → 400 with fields.body", async ({ apiCustomer }) => {
    const c = await apiCustomer();
    const e1 = await expectError(await post(c.key, "{nope", nextIdem(), true), 400, "bad_request");
    expect(e1.fields?.body).toBeDefined();
    const res = await create(
      new Request(`${base}/orders`, {
        method: "POST",
        headers: { ...auth(c.key), "idempotency-key": "k", "content-type": "text/plain" },
        body: "{}",
      }),
    );
    expect((await expectError(res, 400, "bad_request")).fields?.body).toBeDefined();
  });

  test.for<[string, (r: string) => Record<string, unknown>, string, string]>([
    [
      "bad address",
      () => ({ receiver: "TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSF", energy: 65000, duration: "1h" }),
      "invalid_address",
      "receiver",
    ],
    [
      "EVM address",
      () => ({ receiver: "0x52908400098527886E0F7030069857D2E4169EE7", energy: 65000, duration: "1h" }),
      "invalid_address",
      "receiver",
    ],
    [
      "unknown duration",
      (r) => ({ receiver: r, energy: 65000, duration: "2w" }),
      "unknown_duration",
      "duration",
    ],
    [
      "energy too small",
      (r) => ({ receiver: r, energy: 100, duration: "1h" }),
      "energy_out_of_range",
      "energy",
    ],
    [
      "energy too big",
      (r) => ({ receiver: r, energy: 999_999_999, duration: "1h" }),
      "energy_out_of_range",
      "energy",
    ],
    [
      "not activated",
      () => ({ receiver: utils.accounts.generateAccount().address.base58, energy: 65000, duration: "1h" }),
      "not_activated",
      "receiver",
    ],
    [
      "ftp callback",
      (r) => ({ receiver: r, energy: 65000, duration: "1h", callback_url: "ftp://x.example/" }),
      "bad_request",
      "callback_url",
    ],
    [
      "callback with credentials",
      (r) => ({ receiver: r, energy: 65000, duration: "1h", callback_url: "https://u:p@x.example/" }),
      "bad_request",
      "callback_url",
    ],
  ])("400 %s → %s with fields.%s", async ([_n, body, code, field], { apiCustomer }) => {
    const c = await apiCustomer();
    const r = await freshReceiver(kit);
    const e = await expectError(await post(c.key, body(r), nextIdem()), 400, code);
    expect(Object.keys(e.fields ?? {})).toEqual([field]);
    expect(await getBalance(c.userId)).toBe(10_000n * TRX);
  });

  test("insufficient balance → 402, nothing charged", async ({ apiCustomer }) => {
    const c = await apiCustomer({ balanceSun: 1n * TRX });
    const e = await expectError(
      await post(c.key, { receiver: await freshReceiver(kit), energy: 65_000, duration: "1h" }, nextIdem()),
      402,
      "insufficient_balance",
    );
    expect(e.message).toMatch(/balance/i);
    expect(await getBalance(c.userId)).toBe(1n * TRX);
  });

  test("maintenance → 503", async ({ apiCustomer }) => {
    const c = await apiCustomer();
    await updateSettings({ maintenance: { enabled: true, message: "Back at 10:00 UTC." } });
    try {
      const e = await expectError(
        await post(c.key, { receiver: await freshReceiver(kit), energy: 65_000, duration: "1h" }, nextIdem()),
        503,
        "maintenance",
      );
      expect(e.message).toBe("Back at 10:00 UTC.");
    } finally {
      await resetSettings(["maintenance"]);
    }
  });
});

describe("request body size", () => {
  /** A body stream that counts what the server pulls from it; `total` bytes, or endless. */
  function countingBody(total = Number.POSITIVE_INFINITY) {
    const chunk = new TextEncoder().encode(`{"pad":"${"x".repeat(64 * 1024 - 10)}"}`);
    const s = { pulled: 0, cancelled: false };
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        if (s.pulled >= total) return c.close();
        s.pulled += chunk.byteLength;
        c.enqueue(chunk);
      },
      cancel() {
        s.cancelled = true;
      },
    });
    return { stream, s };
  }
  const big = (key: string, body: ReadableStream<Uint8Array>, headers: Record<string, string> = {}) =>
    create(
      new Request(`${base}/orders`, {
        method: "POST",
        headers: { ...auth(key), "content-type": "application/json", "idempotency-key": "big-1", ...headers },
        body,
        duplex: "half",
      } as RequestInit),
    );

  test("a 100 MB POST is refused by its Content-Length before a byte is read; nothing changes", async ({
    apiCustomer,
  }) => {
    const c = await apiCustomer();
    const before = await getBalance(c.userId);
    const { stream, s } = countingBody(100 * 1024 * 1024);
    const res = await big(c.key, stream, { "content-length": String(100 * 1024 * 1024) });
    const err = await expectError(res, 413, "payload_too_large");
    expect(err.fields?.body).toBeDefined();
    expect(s.pulled).toBeLessThanOrEqual(64 * 1024); // at most what the stream had buffered
    expect(await getBalance(c.userId)).toBe(before);
    const db = await getDb();
    expect(await db.select().from(orders).where(eq(orders.userId, c.userId))).toEqual([]);
  });

  test("an endless body without Content-Length is read only to the limit, then cut off", async ({
    apiCustomer,
  }) => {
    const c = await apiCustomer();
    const { stream, s } = countingBody();
    const res = await big(c.key, stream);
    await expectError(res, 413, "payload_too_large");
    expect(s.pulled).toBeLessThanOrEqual(2 * 64 * 1024);
    expect(s.cancelled).toBe(true);
    const db = await getDb();
    expect(await db.select().from(orders).where(eq(orders.userId, c.userId))).toEqual([]);
  });
});

describe("GET /orders/{id}, GET /orders, POST /orders/{id}/cancel", () => {
  async function placed(c: { key: string }, energy = 65_000) {
    const res = await post(c.key, { receiver: await freshReceiver(kit), energy, duration: "1h" }, nextIdem());
    expect(res.status).toBe(201);
    return orderSchema.parse(await res.json());
  }

  test("reads own order; another user's or unknown id → 404", async ({ apiCustomer }) => {
    const a = await apiCustomer();
    const b = await apiCustomer();
    const o = await placed(a);
    const mine = await getOne(new Request(`${base}/orders/${o.id}`, { headers: auth(a.key) }), params(o.id));
    expect(mine.status).toBe(200);
    expect(orderSchema.parse(await mine.json())).toMatchObject({ id: o.id, status: "paid" });
    for (const id of [o.id, "999999999", "abc", "-1"]) {
      const res = await getOne(new Request(`${base}/orders/${id}`, { headers: auth(b.key) }), params(id));
      await expectError(res, 404, "not_found");
    }
  });

  test("shows delegation txids and times once delivered", async ({ apiCustomer }) => {
    await resetPoolForTests();
    await importPool([3]);
    const c = await apiCustomer();
    const o = await placed(c);
    const run = await runFulfil(kit, Number(o.id));
    expect(run.error).toBeUndefined();
    const res = await getOne(new Request(`${base}/orders/${o.id}`, { headers: auth(c.key) }), params(o.id));
    const body = orderSchema.parse(await res.json());
    expect(body.status).toBe("active");
    expect(body.delivered_at).not.toBeNull();
    expect(body.expires_at).not.toBeNull();
    expect(body.delegations).toHaveLength(1);
    expect(body.delegations[0]).toMatchObject({ status: "delegated", energy: 65_000, reclaim_txid: null });
    expect(body.delegations[0].txid).toMatch(/^[0-9a-f]{64}$/);
    // an active order can no longer be cancelled
    const res2 = await cancel(
      new Request(`${base}/orders/${o.id}/cancel`, { method: "POST", headers: auth(c.key) }),
      params(o.id),
    );
    await expectError(res2, 409, "invalid_state");
  });

  test("lists only the key owner's orders, filters by status, pages with the cursor", async ({
    apiCustomer,
  }) => {
    const a = await apiCustomer();
    const b = await apiCustomer();
    const o1 = await placed(a);
    const o2 = await placed(a);
    const o3 = await placed(a);
    await placed(b);
    const page1 = orderListSchema.parse(
      await (await list(new Request(`${base}/orders?limit=2`, { headers: auth(a.key) }))).json(),
    );
    expect(page1.data.map((o) => o.id)).toEqual([o3.id, o2.id]);
    expect(page1.next_cursor).not.toBeNull();
    const page2 = orderListSchema.parse(
      await (
        await list(
          new Request(`${base}/orders?limit=2&cursor=${page1.next_cursor}`, { headers: auth(a.key) }),
        )
      ).json(),
    );
    expect(page2.data.map((o) => o.id)).toEqual([o1.id]);
    expect(page2.next_cursor).toBeNull();
    await cancel(
      new Request(`${base}/orders/${o2.id}/cancel`, { method: "POST", headers: auth(a.key) }),
      params(o2.id),
    );
    const refunded = orderListSchema.parse(
      await (await list(new Request(`${base}/orders?status=refunded`, { headers: auth(a.key) }))).json(),
    );
    expect(refunded.data.map((o) => o.id)).toEqual([o2.id]);
  });

  test.for([
    ["?status=nope", "status"],
    ["?cursor=abc", "cursor"],
    ["?limit=0", "limit"],
    ["?limit=500", "limit"],
  ])("GET /orders%s → 400 with fields", async ([qs, field], { apiCustomer }) => {
    const c = await apiCustomer();
    const e = await expectError(
      await list(new Request(`${base}/orders${qs}`, { headers: auth(c.key) })),
      400,
      "bad_request",
    );
    expect(Object.keys(e.fields ?? {})).toEqual([field]);
  });

  test("cancel while paid → refunded in full; again → 409; another user's → 404", async ({ apiCustomer }) => {
    const a = await apiCustomer();
    const b = await apiCustomer();
    const o = await placed(a);
    await expectError(
      await cancel(
        new Request(`${base}/orders/${o.id}/cancel`, { method: "POST", headers: auth(b.key) }),
        params(o.id),
      ),
      404,
      "not_found",
    );
    const res = await cancel(
      new Request(`${base}/orders/${o.id}/cancel`, { method: "POST", headers: auth(a.key) }),
      params(o.id),
    );
    expect(res.status).toBe(200);
    const body = orderSchema.parse(await res.json());
    expect(body).toMatchObject({ status: "refunded", refunded_sun: o.price_sun });
    expect(await getBalance(a.userId)).toBe(10_000n * TRX);
    await expectError(
      await cancel(
        new Request(`${base}/orders/${o.id}/cancel`, { method: "POST", headers: auth(a.key) }),
        params(o.id),
      ),
      409,
      "invalid_state",
    );
  });
});
