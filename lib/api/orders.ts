import { asc, eq, inArray } from "drizzle-orm";
import { getDb } from "@/db";
import { type Delegation, delegations, type Order, orderEvents, orders } from "@/db/schema";
import { getOrCreateDepositAddress } from "@/lib/deposits";
import { getBalance } from "@/lib/ledger";
import { cancelOrder, createOrder, getOrder, listOrders } from "@/lib/orders";
import { assertCallbackUrl, enqueueOrderCallback } from "./callbacks";
import { apiError } from "./handler";
import type { ApiCaller } from "./keys";
import type { AccountJson, CreateOrderBody, OrderJson, OrderListJson, orderStatuses } from "./schemas";
import { orderToJson } from "./serialize";

/** The reseller API's use cases: thin adapters over lib/orders, lib/ledger and lib/deposits. */

async function delegationsOf(orderIds: number[]): Promise<Delegation[]> {
  if (orderIds.length === 0) return [];
  const db = await getDb();
  return db
    .select()
    .from(delegations)
    .where(inArray(delegations.orderId, orderIds))
    .orderBy(asc(delegations.id));
}

async function orderJsonOf(o: Order): Promise<OrderJson> {
  return orderToJson(o, await delegationsOf([o.id]));
}

/**
 * `order/status.changed` → the order's callback (lib/api/callbacks.ts), for an order placed with a
 * callback URL: one delivery per status change. The body shows the order as it is when this runs,
 * with the status that change set (a later change has its own callback).
 */
export async function enqueueCallbackOfChange(orderId: number, orderEventId: number): Promise<number | null> {
  const db = await getDb();
  const [[order], [event]] = await Promise.all([
    db.select().from(orders).where(eq(orders.id, orderId)),
    db.select().from(orderEvents).where(eq(orderEvents.id, orderEventId)),
  ]);
  if (!order?.callbackUrl || !event?.toStatus || event.orderId !== order.id) return null;
  return enqueueOrderCallback({ ...order, status: event.toStatus }, event, orderJsonOf);
}

/** Idempotency keys are per key owner: `api:<Idempotency-Key>` in the orders' per-user namespace. */
const orderIdempotencyKey = (header: string) => `api:${header}`;

export async function createApiOrder(input: {
  caller: ApiCaller;
  body: CreateOrderBody;
  idempotencyKey: string;
}): Promise<{ order: OrderJson; created: boolean }> {
  const callbackUrl =
    input.body.callback_url === undefined ? undefined : assertCallbackUrl(input.body.callback_url);
  const { order, created } = await createOrder({
    userId: input.caller.userId,
    receiver: input.body.receiver,
    energy: input.body.energy,
    duration: input.body.duration,
    source: "api",
    idempotencyKey: orderIdempotencyKey(input.idempotencyKey),
    apiKeyId: input.caller.keyId,
    callbackUrl,
    quoteToken: input.body.quote_id,
  });
  return { order: created ? orderToJson(order, []) : await orderJsonOf(order), created };
}

export async function getApiOrder(input: { caller: ApiCaller; orderId: string }): Promise<OrderJson> {
  const id = Number(input.orderId);
  if (!Number.isSafeInteger(id) || id <= 0) throw apiError("not_found", "Order not found.");
  const o = await getOrder({ orderId: id, userId: input.caller.userId });
  return orderToJson(o, o.delegations);
}

export async function listApiOrders(input: {
  caller: ApiCaller;
  status?: (typeof orderStatuses)[number];
  cursor?: string;
  limit?: string;
}): Promise<OrderListJson> {
  const r = await listOrders({
    userId: input.caller.userId,
    status: input.status,
    cursor: input.cursor ?? null,
    limit: input.limit ? Number(input.limit) : 20,
  });
  const parts = await delegationsOf(r.orders.map((o) => o.id));
  return { data: r.orders.map((o) => orderToJson(o, parts)), next_cursor: r.nextCursor };
}

export async function cancelApiOrder(input: { caller: ApiCaller; orderId: string }): Promise<OrderJson> {
  const id = Number(input.orderId);
  if (!Number.isSafeInteger(id) || id <= 0) throw apiError("not_found", "Order not found.");
  const o = await cancelOrder({ orderId: id, userId: input.caller.userId, reason: "cancelled via API" });
  return orderJsonOf(o);
}

export async function getApiAccount(caller: ApiCaller): Promise<AccountJson> {
  const [balance, deposit] = await Promise.all([
    getBalance(caller.userId),
    getOrCreateDepositAddress(caller.userId),
  ]);
  return {
    balance_sun: balance.toString(),
    deposit_address: deposit.address,
    api_key: { prefix: caller.prefix, name: caller.name, rate_limit_per_minute: caller.rateLimitPerMinute },
  };
}
