import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { freshOrderKitPerTest } from "@/test/order-kit";
import { GET as price } from "@/app/api/v1/price/route";
import { getDb } from "@/db";
import { delegations, ledgerEntries, orders } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { getBalance } from "@/lib/ledger";
import { cancelOrder, createOrder } from "@/lib/orders";
import { freshReceiver, fundedUser, importPool, runFulfil } from "@/lib/orders/testing";
import { quoteDeliverable } from "@/lib/pricing";
import { getSettings } from "@/lib/settings";
import { releaseSupplierWallet, saveSupplierTerms, supplierWithWallet } from "@/lib/suppliers/testing";
import { delegationSunForEnergy, driftHeadroomBps } from "@/lib/tron/resources";
import { checkOrderCapacity, orderCapacity } from "./capacity";

const TRX = 1_000_000n;

const kit = freshOrderKitPerTest();

/** Stake planning delegates for `energy` over `seconds` (lib/orders/fulfil: drift headroom included). */
async function sized(energy: bigint, seconds = 3600) {
  const weights = await kit.client.getEnergyWeights();
  const { driftHeadroomBpsPerDay } = await getSettings();
  return delegationSunForEnergy(energy, weights, {
    headroomBps: driftHeadroomBps(seconds, driftHeadroomBpsPerDay),
  });
}

/**
 * Pool wallet 3 alone: 50,000 TRX staked for energy (about 470,000 energy on the devnet). `expected`
 * is the largest 1 h order it can take: the one planning would size within its free stake, while one
 * energy more would not fit.
 */
async function smallPool() {
  const [w] = await importPool([3]);
  const weights = await kit.client.getEnergyWeights();
  const expected = (await orderCapacity({ durationSeconds: 3600 })).maxEnergy;
  const free = (w.delegatableSun / TRX) * TRX;
  expect(await sized(expected)).toBeLessThanOrEqual(free);
  expect(await sized(expected + 1n)).toBeGreaterThan(free);
  expect(expected).toBeGreaterThan(450_000n);
  return { w, weights, expected };
}

async function order(userId: number, energy: number | bigint, receiver?: string) {
  return createOrder({
    userId,
    receiver: receiver ?? (await freshReceiver(kit)),
    energy: energy.toString(),
    duration: "1h",
    source: "portal",
    idempotencyKey: `cap-${Math.random()}`,
  });
}

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (x) => x,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

describe("pool capacity at quote and order time", () => {
  it("an order larger than the pool is refused with the largest amount it can deliver; nothing is charged", async () => {
    const { expected } = await smallPool();
    const userId = await fundedUser(1_000n * TRX);

    const e = await refusal(order(userId, 1_000_000));
    expect(e.code).toBe("no_capacity");
    expect(e.details?.maxEnergy).toBe(expected.toString());
    expect(e.message).toBe(
      `The pool can deliver at most ${expected.toLocaleString("en-US")} energy right now. Order that much, or try again later.`,
    );
    expect(e.fields?.energy).toBe(e.message);
    expect(await getBalance(userId)).toBe(1_000n * TRX);
    const db = await getDb();
    expect(await db.select().from(orders).where(eq(orders.userId, userId))).toHaveLength(0);
    expect(
      (await db.select().from(ledgerEntries).where(eq(ledgerEntries.userId, userId))).map((l) => l.type),
    ).toEqual(["deposit"]);

    // The amount offered is accepted, and delivered in full.
    const { order: o } = await order(userId, expected);
    expect(o.energy).toBe(expected);
    const run = await runFulfil(kit, o.id);
    expect(run.error).toBeUndefined();
    const [after] = await db.select().from(orders).where(eq(orders.id, o.id));
    expect(after.status).toBe("active");
  });

  it("orders paid but not yet delegated hold their share until planned; a refund gives it back", async () => {
    const { expected } = await smallPool();
    const userId = await fundedUser(1_000n * TRX);
    const { order: first } = await order(userId, 200_000);
    // It will take what planning sizes for 200,000 energy over 1 h.
    const held = await sized(200_000n);
    const cap = await orderCapacity({ durationSeconds: 3600 });
    expect(cap.pendingSun).toBe(held);
    expect(await sized(cap.maxEnergy)).toBeLessThanOrEqual(cap.freeSun - held);
    expect(await sized(cap.maxEnergy + 1n)).toBeGreaterThan(cap.freeSun - held);
    expect(cap.maxEnergy).toBeLessThan(expected - 199_000n);

    // Two paid orders cannot together take more than the pool: the second is refused.
    const e = await refusal(order(userId, 400_000));
    expect(e.code).toBe("no_capacity");
    expect(BigInt(String(e.details?.maxEnergy))).toBe(cap.maxEnergy);

    // Cancelled (refunded) before delivery: its share is free again.
    await cancelOrder({ orderId: first.id, userId });
    expect((await orderCapacity({ durationSeconds: 3600 })).maxEnergy).toBe(expected);
  });

  it("leaves out wallets holding an unreclaimed delegation to the same receiver", async () => {
    const { expected } = await smallPool();
    const userId = await fundedUser(1_000n * TRX);
    const receiver = await freshReceiver(kit);
    const { order: o } = await order(userId, 65_000, receiver);
    expect((await runFulfil(kit, o.id)).error).toBeUndefined();
    kit.client.clearCache();
    // The only wallet already delegates to this receiver: nothing for it until reclaimed…
    expect((await orderCapacity({ receiver })).maxEnergy).toBe(0n);
    const e = await refusal(order(userId, 65_000, receiver));
    expect(e.code).toBe("no_capacity");
    expect(e.message).toBe("The pool has no energy to deliver right now. Please try again later.");
    expect(e.details?.maxEnergy).toBe("0");
    // …while another receiver can still be served from what is left.
    const other = (await orderCapacity({ receiver: await freshReceiver(kit) })).maxEnergy;
    expect(other).toBeGreaterThan(0n);
    expect(other).toBeLessThan(expected);
  });

  it("quotes refuse what the pool cannot cover: lib/pricing and GET /api/v1/price", async () => {
    const { expected } = await smallPool();
    await expect(quoteDeliverable({ energy: 65_000, duration: "1h" })).resolves.toMatchObject({
      energy: 65_000n,
    });
    const e = await refusal(quoteDeliverable({ energy: 1_000_000, duration: "1h" }));
    expect(e.code).toBe("no_capacity");
    expect(e.details?.maxEnergy).toBe(expected.toString());

    const res = await price(new Request("http://localhost/api/v1/price?energy=1000000&duration=1h"));
    expect(res.status).toBe(503);
    const body = await res.json();
    expect(body.error.code).toBe("no_capacity");
    expect(body.error.message).toContain(`at most ${expected.toLocaleString("en-US")} energy`);
    expect(body.error.fields.energy).toBe(body.error.message);
    expect((await price(new Request("http://localhost/api/v1/price?energy=65000&duration=1h"))).status).toBe(
      200,
    );
  });

  it("with no wallet enabled, nothing is offered", async () => {
    const userId = await fundedUser(100n * TRX);
    expect((await orderCapacity()).maxEnergy).toBe(0n);
    const e = await refusal(order(userId, 65_000));
    expect(e.code).toBe("no_capacity");
    expect(e.details?.maxEnergy).toBe("0");
  });
});

/**
 * Third-party suppliers' wallets count only as planning would use them. The supplier's wallet is
 * devnet account 3 in permission mode (50,000 TRX staked); the operator's own, when there is one,
 * account 1 (200,000 TRX).
 */
describe("pool capacity with third-party suppliers", () => {
  afterAll(() => releaseSupplierWallet(3));

  /** 65,000 energy for 1 h at 45 sun each: 1,080 sun per energy-day. */
  const at1080 = { energy: 65_000n, priceSun: 2_925_000n, durationSeconds: 3600 };

  async function ordersOf(userId: number) {
    const db = await getDb();
    return db.select().from(orders).where(eq(orders.userId, userId));
  }

  it("an order below the supplier's minimum whose only room is their wallet is refused up front; one that meets it is accepted and delivered from it", async () => {
    const { userId: supplier, wallet } = await supplierWithWallet(kit, 3, {
      minPriceSunPerEnergyDay: 1_000_000n,
    });
    // the market's view (no terms) counts an available supplier: the wallet has room
    const room = (await orderCapacity({ durationSeconds: 3600 })).maxEnergy;
    expect(room).toBeGreaterThan(450_000n);

    // no price a customer pays reaches 1,000,000 sun per energy-day: refused before anything is charged
    const buyer = await fundedUser(1_000n * TRX);
    const e = await refusal(order(buyer, 65_000));
    expect(e.code).toBe("no_capacity");
    expect(e.details?.maxEnergy).toBe("0");
    expect(e.message).toBe("The pool has no energy to deliver right now. Please try again later.");
    expect(await getBalance(buyer)).toBe(1_000n * TRX);
    expect(await ordersOf(buyer)).toEqual([]);
    expect((await refusal(quoteDeliverable({ energy: 65_000, duration: "1h" }))).code).toBe("no_capacity");

    // the same exact integer rule as planning: 1,081 is missed by 1,080 sun per energy-day, 1,080 met
    await saveSupplierTerms(supplier, { minPriceSunPerEnergyDay: 1_081n });
    const below = await refusal(checkOrderCapacity(at1080));
    expect(below.details?.maxEnergy).toBe("0");
    await saveSupplierTerms(supplier, { minPriceSunPerEnergyDay: 1_080n });
    expect((await checkOrderCapacity(at1080)).maxEnergy).toBe(room);

    // an order that meets it is taken and delivered from the supplier's wallet
    await saveSupplierTerms(supplier, { minPriceSunPerEnergyDay: 0n });
    const { order: o } = await order(buyer, 65_000);
    expect((await runFulfil(kit, o.id)).error).toBeUndefined();
    const db = await getDb();
    const [after] = await db.select().from(orders).where(eq(orders.id, o.id));
    expect(after.status).toBe("active");
    const parts = await db.select().from(delegations).where(eq(delegations.orderId, o.id));
    expect(parts.map((d) => [d.supplierWalletId, d.status])).toEqual([[wallet.id, "confirmed"]]);
  });

  it("beside the operator's own wallet: below the minimum the answer is the own wallet's room; meeting it, both; an unavailable supplier never counts", async () => {
    await importPool([1]);
    const own = (await orderCapacity({ durationSeconds: 3600 })).maxEnergy;
    expect(own).toBeGreaterThan(1_500_000n);
    const { userId: supplier } = await supplierWithWallet(kit, 3, { minPriceSunPerEnergyDay: 2_000n });
    const both = (await orderCapacity({ durationSeconds: 3600 })).maxEnergy;
    expect(both).toBeGreaterThan(own + 400_000n);

    // 1,080 sun per energy-day misses 2,000: only the own wallet's room
    expect((await orderCapacity({ terms: at1080 })).maxEnergy).toBe(own);
    const e = await refusal(checkOrderCapacity({ ...at1080, energy: own + 1n }));
    expect(e.details?.maxEnergy).toBe(own.toString());
    // through createOrder at the customer's price: the own wallet's room is offered, nothing charged
    const buyer = await fundedUser(1_000n * TRX);
    const refused = await refusal(order(buyer, own + 1n));
    expect(refused.code).toBe("no_capacity");
    expect(refused.details?.maxEnergy).toBe(own.toString());
    expect(await getBalance(buyer)).toBe(1_000n * TRX);
    // 2,000 sun per energy-day (65,000 energy for 1 h at 5,416,667 sun) meets it: both
    const at2000 = { energy: 65_000n, priceSun: 5_416_667n, durationSeconds: 3600 };
    expect((await orderCapacity({ terms: at2000 })).maxEnergy).toBe(both);

    // switched off: not counted, whatever the price, nor in the market's view
    await saveSupplierTerms(supplier, { minPriceSunPerEnergyDay: 0n, available: false });
    expect((await orderCapacity({ terms: at2000 })).maxEnergy).toBe(own);
    expect((await orderCapacity({ durationSeconds: 3600 })).maxEnergy).toBe(own);
  });

  it("a capped supplier: the answer stops at the cap's energy left", async () => {
    const { userId: supplier } = await supplierWithWallet(kit, 3, {
      minPriceSunPerEnergyDay: 0n,
      energyCap: 100_000n,
    });
    expect((await orderCapacity({ terms: at1080 })).maxEnergy).toBe(100_000n);
    expect((await orderCapacity()).maxEnergy).toBe(100_000n);
    // the stake counted is that of the cap's energy left, sized as an order of it
    expect((await orderCapacity({ terms: at1080 })).freeSun).toBe(await sized(100_000n));

    const buyer = await fundedUser(1_000n * TRX);
    const { order: first } = await order(buyer, 65_000);
    expect((await runFulfil(kit, first.id)).error).toBeUndefined();
    // 35,000 left under the cap
    const e = await refusal(order(buyer, 35_001));
    expect(e.code).toBe("no_capacity");
    expect(e.details?.maxEnergy).toBe("35000");
    const { order: second } = await order(buyer, 35_000);
    expect((await runFulfil(kit, second.id)).error).toBeUndefined();
    const db = await getDb();
    const [done] = await db.select().from(orders).where(eq(orders.id, second.id));
    expect(done.status).toBe("active");
    // the cap is reached: nothing more, though the wallet still has stake free
    expect((await orderCapacity({ terms: at1080 })).maxEnergy).toBe(0n);
    // a higher cap gives the room back
    await saveSupplierTerms(supplier, { minPriceSunPerEnergyDay: 0n, energyCap: 150_000n });
    expect((await orderCapacity({ terms: at1080 })).maxEnergy).toBe(50_000n);
  });
});
