import { describe, expect, it } from "vitest";
import { freshOrderKitPerTest } from "@/test/order-kit";
import { sampleValue } from "@/lib/metrics-testing";
import { cancelOrder } from "./cancel";
import { createOrder } from "./create";
import { getOrder } from "./read";
import { freshReceiver, fundedUser, importPool, runFulfil } from "./testing";

const TRX = 1_000_000n;

const kit = freshOrderKitPerTest();

async function newOrder() {
  const userId = await fundedUser(100_000n * TRX);
  const { order } = await createOrder({
    userId,
    receiver: await freshReceiver(kit),
    energy: 65_000,
    duration: "1h",
    source: "portal",
    idempotencyKey: `k-${Math.random()}`,
  });
  return { userId, order };
}

const t = (from: string, to: string) => sampleValue("teh_order_transitions_total", { from, to });

describe("order metrics", () => {
  it("a fulfilled order counts none→paid→delegating→active and one paid→active latency", async () => {
    await importPool([1, 2]);
    const before = {
      paid: await t("none", "paid"),
      delegating: await t("paid", "delegating"),
      active: await t("delegating", "active"),
      latency: await sampleValue("teh_order_delivery_seconds_count"),
      inf: await sampleValue("teh_order_delivery_seconds_bucket", { le: "+Inf" }),
    };
    const { order } = await newOrder();
    expect(await t("none", "paid")).toBe(before.paid + 1);
    const run = await runFulfil(kit, order.id);
    expect(run.error).toBeUndefined();
    expect((await getOrder({ orderId: order.id })).status).toBe("active");
    expect(await t("paid", "delegating")).toBe(before.delegating + 1);
    expect(await t("delegating", "active")).toBe(before.active + 1);
    expect(await sampleValue("teh_order_delivery_seconds_count")).toBe(before.latency + 1);
    expect(await sampleValue("teh_order_delivery_seconds_bucket", { le: "+Inf" })).toBe(before.inf + 1);
  });

  it("a cancelled order counts paid→cancelled→refunded, and no delivery latency", async () => {
    await importPool([1]);
    const { userId, order } = await newOrder();
    const before = {
      cancelled: await t("paid", "cancelled"),
      refunded: await t("cancelled", "refunded"),
      latency: await sampleValue("teh_order_delivery_seconds_count"),
    };
    await cancelOrder({ orderId: order.id, userId });
    expect(await t("paid", "cancelled")).toBe(before.cancelled + 1);
    expect(await t("cancelled", "refunded")).toBe(before.refunded + 1);
    expect(await sampleValue("teh_order_delivery_seconds_count")).toBe(before.latency);
  });
});
