import { json, withApiKey } from "@/lib/api/handler";
import { getApiOrder } from "@/lib/api/orders";

export const dynamic = "force-dynamic";

// GET /api/v1/orders/{id} — one of the key owner's orders (anyone else's → 404).
export const GET = withApiKey<{ id: string }>(async ({ caller, params }) =>
  json(await getApiOrder({ caller, orderId: params.id })),
);
