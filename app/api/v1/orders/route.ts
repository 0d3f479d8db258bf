import { apiError, fieldsOf, json, jsonBodyOf, parseOr400, queryOf, withApiKey } from "@/lib/api/handler";
import { createApiOrder, listApiOrders } from "@/lib/api/orders";
import { createOrderBodySchema, idempotencyKeySchema, listOrdersQuerySchema } from "@/lib/api/schemas";

export const dynamic = "force-dynamic";

// POST /api/v1/orders — order energy; Idempotency-Key required (replay → 200 same order, other body → 409).
export const POST = withApiKey(async ({ req, caller }) => {
  const idem = idempotencyKeySchema.safeParse(req.headers.get("idempotency-key") ?? undefined);
  const body = createOrderBodySchema.safeParse(await jsonBodyOf(req));
  if (!idem.success || !body.success) {
    const fields: Record<string, string> = {};
    if (!idem.success) fields["Idempotency-Key"] = idem.error.issues[0].message;
    if (!body.success) Object.assign(fields, fieldsOf(body.error.issues));
    throw apiError("bad_request", "Some order fields are missing or invalid.", fields);
  }
  const { order, created } = await createApiOrder({ caller, body: body.data, idempotencyKey: idem.data });
  return json(order, created ? 201 : 200, created ? {} : { "idempotent-replayed": "true" });
});

// GET /api/v1/orders?status=&cursor=&limit= — the key owner's orders, newest first.
export const GET = withApiKey(async ({ req, caller }) => {
  const q = parseOr400(listOrdersQuerySchema, queryOf(req), "Some parameters are invalid.");
  return json(await listApiOrders({ caller, ...q }));
});
