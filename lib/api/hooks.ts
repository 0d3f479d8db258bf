import { onOrderChanged } from "@/lib/orders";
import { enqueueOrderCallback } from "./callbacks";
import { orderJsonOf } from "./orders";

/**
 * The reseller API subscribes to order changes here: every status change of an order placed with
 * a callback URL becomes a signed callback delivery (see lib/api/callbacks.ts). Imported for its
 * side effect by lib/hooks.ts (Inngest functions, scripts) and by the /api/v1 order routes (the
 * `paid` change happens in the request). A second subscription (a dev reload) is harmless: a
 * delivery is unique per order event.
 */
onOrderChanged(async (order, event) => {
  await enqueueOrderCallback(order, event, orderJsonOf);
});
