import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { freshOrderKitPerTest } from "@/test/order-kit";
import { GET as price } from "@/app/api/v1/price/route";
import { getDb } from "@/db";
import { ledgerEntries, orders } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { getBalance } from "@/lib/ledger";
import { cancelOrder, createOrder } from "@/lib/orders";
import { freshReceiver, fundedUser, importPool, runFulfil } from "@/lib/orders/testing";
import { quoteDeliverable } from "@/lib/pricing";
import { getSettings } from "@/lib/settings";
import { delegationSunForEnergy, driftHeadroomBps } from "@/lib/tron/resources";
import { orderCapacity } from "./capacity";

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
