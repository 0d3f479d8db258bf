import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "@/db";
import { reloadEnv } from "@/lib/env";
import { resetSettings, updateSettings } from "@/lib/settings";
import { GET as health } from "./health/route";
import { GET as ping } from "./ping/route";
import { GET as price } from "./v1/price/route";

const get = (path: string) => new Request(`http://localhost${path}`);

describe("GET /api/health", () => {
  const saved = { ...process.env };
  afterEach(async () => {
    await closeDb();
    process.env = { ...saved };
    reloadEnv();
  });

  it("answers 200 with every check ok", async () => {
    // Every check passes only with what it watches in place: a node producing blocks and a
    // deposit scanner that has run (lib/health/health.test.ts covers each failure).
    const { scanOnce, setScanCursor } = await import("@/lib/deposits");
    const { startDevnetKit } = await import("@/lib/deposits/testing");
    const { pointTronAt } = await import("@/lib/tron/testing");
    const k = await startDevnetKit(2);
    try {
      pointTronAt(k.dn.url); // undone with the rest of the environment after the test
      await setScanCursor(null);
      await k.mine(3);
      await scanOnce({ client: k.client });
      const res = await health();
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body.status).toBe("ok");
      expect(body.checks.db).toBe("ok");
    } finally {
      await setScanCursor(null);
      await k.close();
    }
  });

  it("answers 503 naming the database when it is down", async () => {
    await closeDb();
    process.env.DATABASE_URL = "postgres://nobody@127.0.0.1:1/nothing";
    reloadEnv();
    const res = await health();
    expect(res.status).toBe(503);
    const body = await res.json();
    expect(body.status).toBe("fail");
    // the public answer names the failing check but not why (the reason names internal hosts)
    expect(body.checks.db).toBe("fail");
    expect(JSON.stringify(body)).not.toMatch(/127\.0\.0\.1|postgres|ECONNREFUSED/);
    // the metrics token's holder gets the reason
    process.env.METRICS_TOKEN = "health-details-token-0123456789";
    reloadEnv();
    const detailed = (token: string) =>
      health(new Request("http://localhost/api/health", { headers: { authorization: `Bearer ${token}` } }));
    expect((await (await detailed("wrong-token-0123456789")).json()).checks.db).toBe("fail");
    expect((await (await detailed("health-details-token-0123456789")).json()).checks.db).toMatch(/^fail: /);
  });
});

describe("GET /api/ping", () => {
  it("is a constant answer", async () => {
    expect(await ping().json()).toEqual({ ok: true });
  });
});

describe("GET /api/v1/price", () => {
  // A quote is only given for what the pool can deliver: a devnet and its pool wallets.
  let kit: Awaited<ReturnType<typeof import("@/lib/orders/testing").startOrderKit>>;
  beforeAll(async () => {
    const testing = await import("@/lib/orders/testing");
    kit = await testing.startOrderKit();
    await testing.resetPoolForTests();
    await testing.importPool([1, 2, 3]);
  });
  afterAll(async () => {
    await kit?.close();
  });
  afterEach(() => resetSettings(["durations"]));

  it("quotes with sun amounts as decimal strings", async () => {
    const res = await price(get("/api/v1/price?energy=131000&duration=1h"));
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toEqual({
      energy: 131000,
      duration: "1h",
      duration_seconds: 3600,
      unit_price_sun: "45",
      fee_sun: "0",
      price_sun: "5895000",
      burn_price_sun: "100",
      burn_sun: "13100000",
      saving_sun: "7205000",
      saving_percent: 55,
      // smart pricing: the chain's burn price, the discounts, and the held quote to order with
      burn_price_live: true,
      base_price_sun: "5895000",
      discount_sun: "0",
      volume_discount_percent: 0,
      reseller_discount_percent: 0,
      quote_id: expect.stringMatching(/^[\w-]+\.[\w-]{43}$/),
      expires_at: expect.any(String),
    });
    expect(Date.parse(body.expires_at) - Date.now()).toBeGreaterThan(290_000);
  });

  it("shows a price change at once", async () => {
    await updateSettings({ durations: [{ key: "1h", unitPriceSun: "50" }] });
    const body = await (await price(get("/api/v1/price?energy=65000&duration=1h"))).json();
    expect(body.price_sun).toBe("3250000");
  });

  it.each([
    ["", { energy: "Energy is required.", duration: "Duration is required." }],
    ["?energy=65000", { duration: "Duration is required." }],
    ["?energy=-5&duration=1h", { energy: "Energy must be a positive whole number." }],
    ["?energy=65000.5&duration=1h", { energy: "Energy must be a positive whole number." }],
    ["?energy=abc&duration=1h", { energy: "Energy must be a positive whole number." }],
    ["?energy=1e5&duration=1h", { energy: "Energy must be a positive whole number." }],
  ])("400 with fields for %s", async (qs, fields) => {
    const res = await price(get(`/api/v1/price${qs}`));
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe("bad_request");
    expect(body.error.fields).toEqual(fields);
  });

  it.each([
    ["?energy=100&duration=1h", "energy_out_of_range", "energy"],
    ["?energy=999999999&duration=1h", "energy_out_of_range", "energy"],
    ["?energy=65000&duration=2w", "unknown_duration", "duration"],
  ])("400 %s → %s", async (qs, code, field) => {
    const res = await price(get(`/api/v1/price${qs}`));
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe(code);
    expect(Object.keys(body.error.fields)).toEqual([field]);
  });
});
