import { getOrder } from "@/lib/orders";
import { parseOrderId } from "@/app/(portal)/_lib/ids";
import { orderLive } from "@/app/(portal)/_lib/views";
import { portalRoute } from "../../_respond";

export const dynamic = "force-dynamic";

// GET /api/portal/orders/:id — the signed-in user's order, live (status, countdown, txs); another
// user's id → 404 like a missing one.
export const GET = portalRoute<{ id: string }>(async (ctx, _req, { id }) => {
  const order = await getOrder({ orderId: parseOrderId(id), userId: ctx.user.id });
  return orderLive(order, ctx);
});
