import { randomUUID } from "node:crypto";
import { InngestTestEngine } from "@inngest/test";
import { asc, eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { callbackDeliveries, type OrderEvent, orderEvents } from "@/db/schema";
import { safetySweep } from "@/inngest/functions/safety-sweep";
import { cancelOrderAction } from "@/lib/admin/actions";
import { createAdmin } from "@/lib/admin/auth";
import { createApiKey } from "@/lib/api/keys";
import { capturedEvents, captureSender, setEventSender } from "@/lib/events";
import { consumerErrors, deliveringSender } from "@/test/domain-events";
import { orderKitWithPool } from "@/test/order-kit";
import { cancelOrder } from "./cancel";
import { createOrder } from "./create";
import { orderOutboxConfig, resendUnsentOrderEvents } from "./safety-sweep";
import { transitionIn } from "./transitions";
import { freshReceiver, fundedUser } from "./testing";

/**
 * Order status changes leave the process as `order/status.changed` events from their
 * `order_events` row (the outbox), whichever process made them; the consumers (the bot card, the
 * API callbacks) are Inngest functions, run here in-process as Inngest would run them.
 */

const kit = orderKitWithPool([1, 2, 3]);
const TRX = 1_000_000n;
beforeEach(async () => {
  // status changes other suites left unsent are sent now, so the sweeps below see only this test's
  setEventSender(captureSender);
  orderOutboxConfig.resendAfterMs = 0;
  while ((await resendUnsentOrderEvents()) > 0);
  capturedEvents.length = 0;
  consumerErrors.length = 0;
});
afterEach(() => {
  orderOutboxConfig.resendAfterMs = 30_000;
  setEventSender(captureSender);
});

async function apiOrder() {
  const userId = await fundedUser(100n * TRX);
  const { apiKey } = await createApiKey({ userId, name: "outbox" });
  const { order } = await createOrder({
    userId,
    receiver: await freshReceiver(kit),
    energy: 65_000,
    duration: "1h",
    source: "api",
    idempotencyKey: `api:${randomUUID()}`,
    apiKeyId: apiKey.id,
    callbackUrl: "http://127.0.0.1:9/hook",
  });
  return order;
}

async function eventsOf(orderId: number): Promise<OrderEvent[]> {
  const db = await getDb();
  return db.select().from(orderEvents).where(eq(orderEvents.orderId, orderId)).orderBy(asc(orderEvents.id));
}

async function deliveriesOf(orderId: number) {
  const db = await getDb();
  return db
    .select()
    .from(callbackDeliveries)
    .where(eq(callbackDeliveries.orderId, orderId))
    .orderBy(asc(callbackDeliveries.id));
}

const statusEventsOf = (orderId: number) =>
  capturedEvents.filter((e) => e.name === "order/status.changed" && e.data.orderId === orderId);

const sweep = () => new InngestTestEngine({ function: safetySweep }).execute({});

describe("order status changes as events", () => {
  it("a new order sends order/paid and its status change in one send, and marks the row sent", async () => {
    const order = await apiOrder();
    const [paid] = await eventsOf(order.id);
    expect(paid.sentAt).toBeInstanceOf(Date);
    expect(capturedEvents).toEqual([
      {
        name: "order/status.changed",
        data: {
          orderId: order.id,
          orderEventId: paid.id,
          type: "paid",
          from: null,
          to: "paid",
          card: false,
          callback: true,
        },
        id: `order-event-${paid.id}`,
      },
      { name: "order/paid", data: { orderId: order.id }, id: `order-paid-${order.id}` },
    ]);
  });

  it("an operator's cancel of an API order queues the reseller's callback for every change", async () => {
    setEventSender(deliveringSender);
    const order = await apiOrder();
    const { admin } = await createAdmin({
      email: `op-${randomUUID()}@test.example`,
      role: "operator",
      password: "correct horse battery staple",
    });
    await cancelOrderAction({ admin, ip: null }, { orderId: order.id, reason: "customer asked" });
    expect(consumerErrors).toEqual([]);
    const deliveries = await deliveriesOf(order.id);
    expect(deliveries.map((d) => d.orderStatus)).toEqual(["paid", "cancelled", "refunded"]);
    const requested = capturedEvents.filter((e) => e.name === "api/callback.requested");
    expect(requested.map((e) => e.id)).toEqual(deliveries.map((d) => `callback-${d.id}`));
    expect(JSON.parse(deliveries[1].payload!).order.status).toBe("cancelled");
  });

  it("a change committed but never sent (the process stopped) is sent by the sweep, once, under its id", async () => {
    setEventSender(deliveringSender);
    const order = await apiOrder();
    capturedEvents.length = 0;
    const db = await getDb();
    // the transaction of a cancel, and then nothing: no send, no mark
    const c = await db.transaction((tx) => transitionIn(tx, order.id, ["paid"], "cancelled", "cancelled"));
    expect(c).not.toBeNull();
    expect((await eventsOf(order.id)).at(-1)).toMatchObject({ id: c!.event.id, sentAt: null });
    expect(statusEventsOf(order.id)).toEqual([]);

    orderOutboxConfig.resendAfterMs = 60_000;
    expect((await sweep()).error).toBeUndefined();
    expect(statusEventsOf(order.id)).toEqual([]); // too fresh: its own process may still send it

    orderOutboxConfig.resendAfterMs = 0;
    const first = await sweep();
    expect(first.error).toBeUndefined();
    expect(first.result).toMatchObject({ statusChanges: 1 });
    expect(statusEventsOf(order.id)).toEqual([
      {
        name: "order/status.changed",
        data: {
          orderId: order.id,
          orderEventId: c!.event.id,
          type: "cancelled",
          from: "paid",
          to: "cancelled",
          card: false,
          callback: true,
        },
        id: `order-event-${c!.event.id}`,
      },
    ]);
    expect((await eventsOf(order.id)).at(-1)!.sentAt).toBeInstanceOf(Date);
    expect((await sweep()).result).toMatchObject({ statusChanges: 0 });
    expect(statusEventsOf(order.id)).toHaveLength(1);
    expect(consumerErrors).toEqual([]);
    expect((await deliveriesOf(order.id)).map((d) => d.orderStatus)).toEqual(["paid", "cancelled"]);
  });

  it("changes made while Inngest is unreachable stay unsent and the sweep sends them", async () => {
    const order = await apiOrder();
    capturedEvents.length = 0;
    setEventSender(async () => {
      throw new Error("connect ECONNREFUSED 127.0.0.1:8288");
    });
    await cancelOrder({ orderId: order.id });
    const rows = (await eventsOf(order.id)).filter((e) => e.toStatus && e.toStatus !== "paid");
    expect(rows.map((e) => [e.toStatus, e.sentAt])).toEqual([
      ["cancelled", null],
      ["refunded", null],
    ]);
    setEventSender(captureSender);
    expect((await sweep()).result).toMatchObject({ statusChanges: 2 });
    expect(statusEventsOf(order.id).map((e) => e.id)).toEqual(rows.map((e) => `order-event-${e.id}`));
  });
});
