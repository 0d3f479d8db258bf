/**
 * Orders: create (quote + ledger debit + order + first event in one transaction, then order/paid),
 * cancel, refund, retry, read, and the guarded status changes they are made of. Every status
 * change is a guarded `UPDATE … WHERE status IN (expected)` plus an `order_events` row in the same
 * transaction; that row is the outbox of the change (./publish sends it after the commit, the
 * safety sweep whatever stayed unsent). Fulfilment and reclaim steps: ./fulfil, ./reclaim.
 *
 * This file only re-exports, for the surfaces; modules inside lib/orders import each other directly.
 */
export type { Order, OrderStatus } from "@/db/schema";
export { cancelOrder } from "./cancel";
export { createOrder } from "./create";
export { orderPaidEventId } from "./publish";
export { getOrder, listOrders, type OrderDetail } from "./read";
export { reclaimOrderNow } from "./reclaim-now";
export { refundInTx, refundOrder } from "./refund";
export { retryOrder } from "./retry";
