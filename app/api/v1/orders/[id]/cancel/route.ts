import { json, withApiKey } from "@/lib/api/handler";
import { cancelApiOrder } from "@/lib/api/orders";

export const dynamic = "force-dynamic";

// POST /api/v1/orders/{id}/cancel — cancels and refunds an order that is still `paid`.
export const POST = withApiKey<{ id: string }>(async ({ caller, params }) =>
  json(await cancelApiOrder({ caller, orderId: params.id })),
);
