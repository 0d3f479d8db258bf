import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { ledgerEntries, orders, users } from "@/db/schema";
import { capturedEvents, eventSendStatus, setEventSender } from "@/lib/events";
import { runHealthChecks } from "@/lib/health";
import { getBalance, listLedgerEntries } from "@/lib/ledger";
import { updateSettings } from "@/lib/settings";
import { cancelOrder } from "./cancel";
import { createOrder } from "./create";
import { setOrderMessage } from "./message";
import { getOrder, listOrders } from "./read";
import { refundOrder } from "./refund";
import { retryOrder } from "./retry";
import { startFulfilment } from "./fulfil/start";
import { captureSender } from "@/lib/events";
import { orderKitWithPool } from "@/test/order-kit";
import { freshReceiver, fundedUser } from "./testing";

const kit = orderKitWithPool([1, 2, 3]);
const TRX = 1_000_000n;

async function counts(userId: number) {
  const db = await getDb();
  const l = await db.select().from(ledgerEntries).where(eq(ledgerEntries.userId, userId));
  const o = await db.select().from(orders).where(eq(orders.userId, userId));
  return { ledger: l.length, orders: o.length };
}

const base = (userId: number, receiver: string, over: Record<string, unknown> = {}) => ({
  userId,
  receiver,
  energy: 65_000,
  duration: "1h",
  source: "bot" as const,
  idempotencyKey: `k-${Math.random()}`,
  ...over,
});

describe("createOrder", () => {
  it("debits once, writes the order and its first event, sends order/paid with the order id", async () => {
    const userId = await fundedUser(100n * TRX);
    const receiver = await freshReceiver(kit);
    const key = "same-key";
    const { order, created } = await createOrder(
      base(userId, receiver, { idempotencyKey: key, energy: "65k" }),
    );
    expect(created).toBe(true);
    expect(order.status).toBe("paid");
    expect(order.energy).toBe(65_000n);
    expect(order.priceSun).toBe(65_000n * 45n);
    const changes = capturedEvents.filter(
      (e) => e.name === "order/status.changed" && e.data.orderId === order.id,
    );
    expect(changes.map((e) => e.data.type)).toEqual(["paid"]);
    expect(capturedEvents).toContainEqual({
      name: "order/paid",
      data: { orderId: order.id },
      id: `order-paid-${order.id}`,
    });
    expect(await getBalance(userId)).toBe(100n * TRX - order.priceSun);
    // same key + same body → same order; same key + other body → conflict
    const again = await createOrder(base(userId, receiver, { idempotencyKey: key }));
    expect(again).toMatchObject({ created: false, order: { id: order.id } });
    await expect(
      createOrder(base(userId, receiver, { idempotencyKey: key, energy: 70_000 })),
    ).rejects.toMatchObject({
      code: "idempotency_conflict",
    });
    expect(await counts(userId)).toEqual({ ledger: 2, orders: 1 });
    const d = await getOrder({ orderId: order.id, userId });
    expect(d.events.map((e) => e.type)).toEqual(["paid"]);
    // what createOrder returned and announced is exactly what was stored
    const { events, delegations: _d, ...stored } = d;
    expect(order).toEqual(stored);
    expect(changes[0]).toMatchObject({
      id: `order-event-${events[0].id}`,
      data: { orderEventId: events[0].id },
    });
    const [pay] = await listLedgerEntries({ userId, limit: 1 });
    expect(pay).toMatchObject({
      type: "order_payment",
      amountSun: -order.priceSun,
      referenceId: String(order.id),
    });
    expect(events[0].details).toEqual({
      priceSun: String(order.priceSun),
      source: order.source,
      ledgerEntryId: pay.id,
      // the market it was priced in (the price simulation replays it)
      utilisationBps: expect.any(Number),
      multiplierBps: 10_000,
    });
    await expect(getOrder({ orderId: order.id, userId: userId + 1 })).rejects.toMatchObject({
      code: "not_found",
    });
  });

  it.each([
    ["bad address", { receiver: "0x1234" }, "invalid_address"],
    ["energy out of range", { energy: 10 }, "energy_out_of_range"],
    ["energy not a number", { energy: "lots" }, "energy_out_of_range"],
    ["unknown duration", { duration: "2h" }, "unknown_duration"],
    ["insufficient balance", { energy: 1_000_000 }, "insufficient_balance"],
  ])("bad input (%s) → typed error, no ledger row, no order", async (_n, over, code) => {
    const userId = await fundedUser(10n * TRX);
    const receiver = await freshReceiver(kit);
    await expect(createOrder(base(userId, receiver, over))).rejects.toMatchObject({ code });
    expect(await counts(userId)).toEqual({ ledger: 1, orders: 0 }); // only the test credit
  });

  it("an unactivated receiver → not_activated, nothing written", async () => {
    const userId = await fundedUser(10n * TRX);
    const { utils } = await import("tronweb");
    const receiver = utils.accounts.generateAccount().address.base58;
    await expect(createOrder(base(userId, receiver))).rejects.toMatchObject({ code: "not_activated" });
    expect(await counts(userId)).toEqual({ ledger: 1, orders: 0 });
  });

  it("a smart-contract receiver → invalid_address (reason contract), nothing written", async () => {
    const userId = await fundedUser(10n * TRX);
    const usdt = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t"; // a contract on the devnet, as on mainnet
    await expect(createOrder(base(userId, usdt))).rejects.toMatchObject({
      code: "invalid_address",
      details: { reason: "contract" },
      fields: { receiver: expect.stringContaining("contract") },
    });
    expect(await counts(userId)).toEqual({ ledger: 1, orders: 0 });
  });

  it("a rental the chain cannot lock for its time is refused before paying", async () => {
    const userId = await fundedUser(100n * TRX);
    const receiver = await freshReceiver(kit);
    // a chain whose max lock period is 3 days ignores lock_period: every lock is 3 days
    kit.dn.chain.params.getMaxDelegateLockPeriod = 86_400;
    kit.client.clearCache();
    try {
      await expect(createOrder(base(userId, receiver, { duration: "1h" }))).rejects.toMatchObject({
        code: "unknown_duration",
        details: { reason: "unsupported" },
      });
      await expect(createOrder(base(userId, receiver, { duration: "30d" }))).rejects.toMatchObject({
        code: "unknown_duration",
      });
      expect(await counts(userId)).toEqual({ ledger: 1, orders: 0 });
      const { order } = await createOrder(base(userId, receiver, { duration: "3d" }));
      expect(order.status).toBe("paid");
    } finally {
      kit.dn.chain.params.getMaxDelegateLockPeriod = 864_000;
      kit.client.clearCache();
    }
  });

  it("maintenance → maintenance error; banned user → forbidden", async () => {
    const userId = await fundedUser(10n * TRX);
    const receiver = await freshReceiver(kit);
    await updateSettings({ maintenance: { enabled: true, message: "Back soon" } });
    try {
      await expect(createOrder(base(userId, receiver))).rejects.toMatchObject({ code: "maintenance" });
    } finally {
      await updateSettings({ maintenance: { enabled: false, message: "" } });
    }
    const db = await getDb();
    await db.update(users).set({ status: "banned" }).where(eq(users.id, userId));
    await expect(createOrder(base(userId, receiver))).rejects.toMatchObject({ code: "forbidden" });
    expect(await counts(userId)).toEqual({ ledger: 1, orders: 0 });
  });

  it("keeps taking orders when Inngest is unreachable; health reports it; the order waits in paid", async () => {
    const userId = await fundedUser(10n * TRX);
    const receiver = await freshReceiver(kit);
    setEventSender(async () => {
      throw new Error("connect ECONNREFUSED 127.0.0.1:8288");
    });
    try {
      const { order } = await createOrder(base(userId, receiver));
      expect(order.status).toBe("paid");
      expect(eventSendStatus().ok).toBe(false);
      const h = await runHealthChecks();
      expect(h.checks.inngest).toMatch(/^fail/);
    } finally {
      setEventSender(captureSender);
    }
    const { sendEvent } = await import("@/lib/events");
    await sendEvent({ name: "x/y", data: {} });
    expect((await runHealthChecks()).checks.inngest).toBe("ok");
  });
});

describe("cancel, refund, retry, list", () => {
  it("cancel while paid refunds in full, once", async () => {
    const userId = await fundedUser(10n * TRX);
    const receiver = await freshReceiver(kit);
    const { order } = await createOrder(base(userId, receiver));
    const c = await cancelOrder({ orderId: order.id, userId });
    expect(c.status).toBe("refunded");
    expect(await getBalance(userId)).toBe(10n * TRX);
    await expect(cancelOrder({ orderId: order.id, userId })).rejects.toMatchObject({ code: "invalid_state" });
    await expect(refundOrder({ orderId: order.id, reason: "again" })).rejects.toMatchObject({
      code: "invalid_state",
    });
    const db = await getDb();
    const l = await db.select().from(ledgerEntries).where(eq(ledgerEntries.userId, userId));
    expect(l.filter((x) => x.type === "refund")).toHaveLength(1);
    expect((await getOrder({ orderId: order.id })).events.map((e) => e.type)).toEqual([
      "paid",
      "cancelled",
      "refunded",
      "refund_completed",
    ]);
  });

  it("cancel after delivery started is refused and changes nothing; other users cannot cancel", async () => {
    const userId = await fundedUser(10n * TRX);
    const receiver = await freshReceiver(kit);
    const { order } = await createOrder(base(userId, receiver));
    await expect(cancelOrder({ orderId: order.id, userId: userId + 1 })).rejects.toMatchObject({
      code: "not_found",
    });
    await startFulfilment(order.id);
    const before = await getOrder({ orderId: order.id });
    const bal = await getBalance(userId);
    await expect(cancelOrder({ orderId: order.id, userId })).rejects.toMatchObject({ code: "invalid_state" });
    const after = await getOrder({ orderId: order.id });
    expect(after.status).toBe("delegating");
    expect(after.events).toHaveLength(before.events.length);
    expect(await getBalance(userId)).toBe(bal);
  });

  it("admin refund of a paid order; retry re-sends order/paid; set message; list pages", async () => {
    const userId = await fundedUser(100n * TRX);
    const receiver = await freshReceiver(kit);
    const made = [];
    for (let i = 0; i < 3; i++) made.push((await createOrder(base(userId, receiver))).order);
    capturedEvents.length = 0;
    expect(await retryOrder({ orderId: made[0].id })).toEqual({ sent: true, attempt: 1 });
    expect(capturedEvents[0]).toMatchObject({ name: "order/paid", id: `order-paid-${made[0].id}-retry-1` });
    await setOrderMessage({ orderId: made[0].id, chatId: 42, messageId: 7 });
    expect((await getOrder({ orderId: made[0].id })).telegramMessageId).toBe(7);
    const r = await refundOrder({ orderId: made[1].id, reason: "operator" });
    expect(r.status).toBe("refunded");
    expect(r.refundedSun).toBe(made[1].priceSun);
    const p1 = await listOrders({ userId, limit: 2 });
    expect(p1.orders.map((o) => o.id)).toEqual([made[2].id, made[1].id]);
    const p2 = await listOrders({ userId, limit: 2, cursor: p1.nextCursor });
    expect(p2.orders.map((o) => o.id)).toEqual([made[0].id]);
    expect(p2.nextCursor).toBeNull();
    expect((await listOrders({ userId, status: "refunded" })).orders.map((o) => o.id)).toEqual([made[1].id]);
  });
});
