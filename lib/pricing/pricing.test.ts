import { and, desc, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect } from "vitest";
import { test } from "@/test/fixtures";
import { freshOrderKitPerTest } from "@/test/order-kit";
import { GET as price } from "@/app/api/v1/price/route";
import { POST as createApi } from "@/app/api/v1/orders/route";
import { createRentOrderFor } from "@/app/(portal)/rent/logic";
import { getDb } from "@/db";
import { auditLog, ledgerEntries, orders } from "@/db/schema";
import { priceSimulation } from "@/lib/admin/price-simulation";
import { errorSchema } from "@/lib/api/schemas";
import { AppError } from "@/lib/errors";
import { translator } from "@/lib/i18n";
import { getBalance } from "@/lib/ledger";
import { createOrder } from "@/lib/orders";
import { freshReceiver, fundedUser, importPool, runFulfil } from "@/lib/orders/testing";
import { orderCapacity } from "@/lib/pool/capacity";
import { getSettings, resetSettings, updateSettings } from "@/lib/settings";
import { defaultSettings, type SettingsInput } from "@/lib/settings/schema";
import { clearMarketCache, getMarket, multiplierAt, quoteDeliverable } from "./index";
import { utilisationBps } from "./market";
import { signQuote } from "./token";

const TRX = 1_000_000n;
const kit = freshOrderKitPerTest();

const pricing = (p: Partial<SettingsInput["pricing"]>): Partial<SettingsInput> => ({
  pricing: { ...(defaultSettings.pricing as SettingsInput["pricing"]), ...p },
});
const steep = [
  { utilisationPercent: 0, multiplierBps: 10_000 },
  { utilisationPercent: 20, multiplierBps: 10_000 },
  { utilisationPercent: 100, multiplierBps: 30_000 },
];

beforeEach(() => clearMarketCache());
afterEach(async () => {
  await resetSettings();
  clearMarketCache();
});

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (x) => x,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

/** The user's orders and ledger rows: proof that a refusal charged nothing. */
async function footprint(userId: number) {
  const db = await getDb();
  return {
    orders: (await db.select().from(orders).where(eq(orders.userId, userId))).length,
    ledger: (await db.select().from(ledgerEntries).where(eq(ledgerEntries.userId, userId))).length,
    balance: await getBalance(userId),
  };
}

describe("smart pricing on the devnet", () => {
  test("the pool's utilisation, read from the pool, raises the price along the curve", async () => {
    await importPool([3]); // 50,000 TRX staked
    await updateSettings(pricing({ utilisationCurve: steep }));
    const idle = await quoteDeliverable({ energy: 65_000, duration: "1h" });
    expect(idle.utilisationBps).toBeLessThan(100);
    expect(idle.multiplierBps).toBe(10_000);
    expect(idle.priceSun).toBe(2_925_000n);

    // A paid order not planned yet already holds its share of the pool…
    const userId = await fundedUser(10_000n * TRX);
    const { order: big } = await createOrder({
      userId,
      receiver: await freshReceiver(kit),
      energy: 300_000,
      duration: "1d",
      source: "portal",
      idempotencyKey: "big",
    });
    clearMarketCache();
    const cap = await orderCapacity();
    const busy = await quoteDeliverable({ energy: 65_000, duration: "1h" });
    expect(busy.utilisationBps).toBe(utilisationBps(cap.totalSun, cap.freeSun, cap.pendingSun));
    expect(busy.utilisationBps).toBeGreaterThan(5_000);
    expect(busy.multiplierBps).toBe(multiplierAt(steep, busy.utilisationBps));
    expect(busy.priceSun).toBe((2_925_000n * BigInt(busy.multiplierBps) + 9_999n) / 10_000n);
    expect(busy.priceSun).toBeGreaterThan(idle.priceSun);

    // …and once delegated on chain, it stays busy.
    expect((await runFulfil(kit, big.id)).error).toBeUndefined();
    kit.client.clearCache();
    clearMarketCache();
    const delegated = await quoteDeliverable({ energy: 65_000, duration: "1h" });
    expect(delegated.utilisationBps).toBeGreaterThan(5_000);
    expect(delegated.priceSun).toBeGreaterThan(idle.priceSun);
    // The order records the market it was priced in.
    expect(big.priceSun).toBe(300_000n * 75n);
  });

  test("the burn price (and the saving) is the chain's getEnergyFee, read live", async () => {
    await importPool([3]);
    await kit.ctl("params", { getEnergyFee: 420 });
    kit.client.clearCache();
    const q = await quoteDeliverable({ energy: 65_000, duration: "1h" });
    expect(q.burnPriceLive).toBe(true);
    expect(q.burnPriceSun).toBe(420n);
    expect(q.burnSun).toBe(65_000n * 420n);
    expect(q.savingSun).toBe(65_000n * 420n - q.priceSun);
    const m = await getMarket(await getSettings());
    expect(m.sunPerByte).toBe(1_000n);

    // Live reading off: the setting.
    await updateSettings({ ...pricing({ liveBurnPrice: false }), burnPriceSun: "100" });
    const off = await quoteDeliverable({ energy: 65_000, duration: "1h" });
    expect(off.burnPriceLive).toBe(false);
    expect(off.burnPriceSun).toBe(100n);
  });

  test("the floor follows the chain's bandwidth price", async () => {
    await importPool([3]);
    await updateSettings({ durations: [{ key: "1h", unitPriceSun: "1" }] });
    const cheap = await quoteDeliverable({ energy: 65_000, duration: "1h" });
    expect(cheap.floorSun).toBeGreaterThan(600_000n);
    expect(cheap.priceSun).toBe(cheap.floorSun);
    await kit.ctl("params", { getTransactionFee: 2_000 });
    kit.client.clearCache();
    clearMarketCache();
    const dearer = await quoteDeliverable({ energy: 65_000, duration: "1h" });
    expect(dearer.floorSun - cheap.floorSun).toBe(600_000n); // 2 × 300 bytes × 1,000 sun more
  });

  test("a confirmed quote is the price paid, even after the prices change", async () => {
    await importPool([3]);
    const userId = await fundedUser(100n * TRX);
    const q = await quoteDeliverable({ energy: 65_000, duration: "1h", userId });
    expect(q.token).toBeTruthy();
    expect(q.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 250_000);
    await updateSettings({
      durations: (defaultSettings.durations as { key: string; unitPriceSun: string }[]).map((d) =>
        d.key === "1h" ? { ...d, unitPriceSun: "90" } : d,
      ),
    });
    const receiver = await freshReceiver(kit);
    const { order } = await createOrder({
      userId,
      receiver,
      energy: 65_000,
      duration: "1h",
      source: "portal",
      idempotencyKey: "held",
      quoteToken: q.token,
    });
    expect(order.priceSun).toBe(2_925_000n);
    expect(await getBalance(userId)).toBe(100n * TRX - 2_925_000n);
    // Without a quote, today's price.
    const { order: now } = await createOrder({
      userId,
      receiver: await freshReceiver(kit),
      energy: 65_000,
      duration: "1h",
      source: "portal",
      idempotencyKey: "unheld",
    });
    expect(now.priceSun).toBe(65_000n * 90n);
  });

  test("an expired, tampered or mismatched quote is refused with a fresh quote; nothing is charged", async () => {
    await importPool([3]);
    const userId = await fundedUser(100n * TRX);
    const before = await footprint(userId);
    const receiver = await freshReceiver(kit);
    const order = (quoteToken: string, energy = 65_000) =>
      createOrder({
        userId,
        receiver,
        energy,
        duration: "1h",
        source: "portal",
        idempotencyKey: `q-${Math.random()}`,
        quoteToken,
      });

    const expired = signQuote({
      userId,
      energy: 65_000n,
      duration: "1h",
      reseller: false,
      priceSun: 1_000_000n,
      expiresAt: new Date(Date.now() - 1_000),
    }).token;
    const e1 = await refusal(order(expired));
    expect(e1.code).toBe("quote_expired");
    expect(e1.status).toBe(409);
    expect(e1.message).toMatch(/expired/);
    const fresh = e1.details?.quote as Record<string, unknown>;
    expect(fresh.price_sun).toBe("2925000");
    expect(typeof fresh.quote_id).toBe("string");
    // The fresh quote is good for this user and this order.
    const ok = await createOrder({
      userId,
      receiver,
      energy: 65_000,
      duration: "1h",
      source: "portal",
      idempotencyKey: "after-fresh",
      quoteToken: String(fresh.quote_id),
    });
    expect(ok.order.priceSun).toBe(2_925_000n);
    const afterOk = await footprint(userId);

    const q = await quoteDeliverable({ energy: 65_000, duration: "1h", userId });
    const [payload, sig] = q.token!.split(".");
    const raw = JSON.parse(Buffer.from(payload, "base64url").toString());
    const cheaper = `${Buffer.from(JSON.stringify({ ...raw, p: "1" })).toString("base64url")}.${sig}`;
    const e2 = await refusal(order(cheaper));
    expect(e2.code).toBe("quote_invalid");
    expect(e2.details?.reason).toBe("tampered");
    expect((e2.details?.quote as Record<string, unknown> | undefined)?.price_sun).toBe("2925000");

    // Another energy, another user, another channel: the quote does not match.
    expect((await refusal(order(q.token!, 131_000))).details?.reason).toBe("mismatch");
    const other = await quoteDeliverable({ energy: 65_000, duration: "1h", userId: userId + 1 });
    expect((await refusal(order(other.token!))).details?.reason).toBe("mismatch");
    const api = await quoteDeliverable({ energy: 65_000, duration: "1h", reseller: true });
    expect((await refusal(order(api.token!))).details?.reason).toBe("mismatch");
    expect((await refusal(order("garbage"))).code).toBe("quote_invalid");

    expect(await footprint(userId)).toEqual(afterOk);
    expect(afterOk.orders).toBe(before.orders + 1);
  });

  test("the portal's rent form pays the quote it showed, and says so when that quote has expired", async () => {
    await importPool([3]);
    const userId = await fundedUser(100n * TRX);
    const en = translator("en");
    const receiver = await freshReceiver(kit);
    const form = (quote: string, key: string) => {
      const f = new FormData();
      for (const [k, v] of Object.entries({
        receiver,
        energy: "65000",
        duration: "1h",
        idempotencyKey: key,
        quote,
      }))
        f.set(k, v);
      return f;
    };
    const stale = signQuote({
      userId,
      energy: 65_000n,
      duration: "1h",
      reseller: false,
      priceSun: 2_000_000n,
      expiresAt: new Date(Date.now() - 1),
    }).token;
    expect(await createRentOrderFor(userId, form(stale, "portal-stale-1"), en)).toEqual({
      status: "failed",
      code: "quote_expired",
      message: en("error-quote_expired"),
    });
    expect(await getBalance(userId)).toBe(100n * TRX);
    const q = await quoteDeliverable({ energy: 65_000, duration: "1h", userId });
    await updateSettings(pricing({ floorMarginBps: 0, volumeDiscounts: [{ energy: 10_000, percent: 50 }] }));
    const ok = await createRentOrderFor(userId, form(q.token!, "portal-held-1"), en);
    expect(ok.status).toBe("success");
    expect(await getBalance(userId)).toBe(100n * TRX - q.priceSun);
  });

  test("bad order input is refused as such while the chain is down; nothing is charged", async () => {
    await importPool([3]);
    const userId = await fundedUser(10n * TRX);
    const receiver = await freshReceiver(kit);
    await kit.ctl("faults", { status5xx: 1_000 });
    kit.client.clearCache();
    clearMarketCache();
    try {
      const e = await refusal(
        createOrder({
          userId,
          receiver,
          energy: 1,
          duration: "1h",
          source: "portal",
          idempotencyKey: "down",
        }),
      );
      expect(e.code).toBe("energy_out_of_range");
      expect((await refusal(quoteDeliverable({ energy: 65_000, duration: "9h" }))).code).toBe(
        "unknown_duration",
      );
    } finally {
      await kit.ctl("faults/clear");
    }
    expect(await footprint(userId)).toMatchObject({ orders: 0, ledger: 1, balance: 10n * TRX });
  });

  test("GET /api/v1/price holds a reseller quote; POST /orders with its quote_id pays it, a bad one gets 409 and a fresh quote", async ({
    apiCustomer,
  }) => {
    await importPool([3]);
    await updateSettings(pricing({ resellerDiscountPercent: 10 }));
    const c = await apiCustomer({ balanceSun: 100n * TRX });
    const res = await price(new Request("http://localhost/api/v1/price?energy=65000&duration=1h"));
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({
      price_sun: "2632500", // 2,925,000 less 10%
      base_price_sun: "2925000",
      discount_sun: "292500",
      reseller_discount_percent: 10,
      volume_discount_percent: 0,
      burn_price_live: true,
    });
    expect(new Date(body.expires_at).getTime()).toBeGreaterThan(Date.now());

    await updateSettings(pricing({ resellerDiscountPercent: 0 }));
    const receiver = await freshReceiver(kit);
    const post = (quote_id: string, key: string) =>
      createApi(
        new Request("http://localhost/api/v1/orders", {
          method: "POST",
          headers: {
            authorization: `Bearer ${c.key}`,
            "content-type": "application/json",
            "idempotency-key": key,
          },
          body: JSON.stringify({ receiver, energy: 65_000, duration: "1h", quote_id }),
        }),
      );
    const created = await post(body.quote_id, "api-held");
    expect(created.status).toBe(201);
    expect((await created.json()).price_sun).toBe("2632500");
    expect(await getBalance(c.userId)).toBe(100n * TRX - 2_632_500n);

    const bad = await post(`${body.quote_id.slice(0, -2)}xx`, "api-bad");
    expect(bad.status).toBe(409);
    const err = errorSchema.parse(await bad.json()).error;
    expect(err.code).toBe("quote_invalid");
    expect(err.quote?.price_sun).toBe("2925000");
    expect(typeof err.quote?.quote_id).toBe("string");
    expect(await getBalance(c.userId)).toBe(100n * TRX - 2_632_500n);
  });

  test("each price change is audited field by field, old → new", async () => {
    await updateSettings(
      { ...pricing({ floorMarginBps: 1_500 }), orderFeeSun: "200000" },
      { adminId: null, ip: "127.0.0.9" },
    );
    const db = await getDb();
    const [row] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "pricing.update"), eq(auditLog.ip, "127.0.0.9")))
      .orderBy(desc(auditLog.id))
      .limit(1);
    expect(row.before).toEqual({ "pricing.floorMarginBps": 0, orderFeeSun: "0" });
    expect(row.after).toEqual({ "pricing.floorMarginBps": 1_500, orderFeeSun: "200000" });
    // A change that touches no price writes no pricing row.
    const count = async () =>
      (await db.select().from(auditLog).where(eq(auditLog.action, "pricing.update"))).length;
    const n = await count();
    await updateSettings({ energyMax: 4_000_000 });
    expect(await count()).toBe(n);
    // A bad curve is refused and saves nothing.
    await expect(
      updateSettings(
        pricing({
          utilisationCurve: [
            { utilisationPercent: 50, multiplierBps: 12_000 },
            { utilisationPercent: 80, multiplierBps: 11_000 },
          ],
        }),
      ),
    ).rejects.toMatchObject({ code: "bad_request" });
    expect(await count()).toBe(n);
    expect((await getSettings()).pricing.floorMarginBps).toBe(1_500);
  });

  test("the console simulation replays a day's delivered orders with edited settings", async () => {
    await importPool([3]);
    const userId = await fundedUser(100n * TRX);
    const made = [];
    for (const [energy, duration] of [
      [65_000, "1h"],
      [131_000, "1d"],
    ] as const) {
      const { order } = await createOrder({
        userId,
        receiver: await freshReceiver(kit),
        energy,
        duration,
        source: "portal",
        idempotencyKey: `sim-${energy}`,
      });
      expect((await runFulfil(kit, order.id)).error).toBeUndefined();
      made.push(order);
    }
    // Delivered on a day of their own, so other suites' orders do not mix in.
    const db = await getDb();
    const day = new Date(Date.UTC(1971, 0, 1) + Math.floor(Math.random() * 10_000) * 86_400_000)
      .toISOString()
      .slice(0, 10);
    for (const o of made)
      await db
        .update(orders)
        .set({ deliveredAt: new Date(`${day}T10:00:00Z`) })
        .where(eq(orders.id, o.id));

    const current = await priceSimulation({ day });
    expect(current.error).toBeNull();
    expect(current.result?.totals.orders).toBe(2);
    expect(current.result?.totals.oldRevenueSun).toBe(2_925_000n + 131_000n * 75n);
    expect(current.result?.totals.newRevenueSun).toBe(current.result?.totals.oldRevenueSun);
    expect(current.result?.rows.every((r) => r.utilisationKnown)).toBe(true);
    expect(current.result?.totals.marginSun).toBe(
      (current.result?.totals.newRevenueSun ?? 0n) - (current.result?.totals.floorSun ?? 0n),
    );

    const values = current.values;
    const edited = await priceSimulation({
      ...values,
      run: "1",
      day,
      price_1h: "90",
      pricingVolumeDiscounts: "100000:10",
    });
    expect(edited.error).toBeNull();
    expect(edited.result?.totals.newRevenueSun).toBe(65_000n * 90n + (131_000n * 75n * 90n) / 100n);
    expect(edited.values.price_1h).toBe("90");
    // Nothing was saved.
    expect((await getSettings()).durations.find((d) => d.key === "1h")?.unitPriceSun).toBe(45n);

    const bad = await priceSimulation({ ...values, run: "1", day, pricingCurve: "0:10000, 50:9000" });
    expect(bad.error?.message).toBeTruthy();
    expect(bad.result).toBeNull();
    expect((await priceSimulation({ day: "2001-02-30" })).error?.fields.day).toBeTruthy();
  });
});
