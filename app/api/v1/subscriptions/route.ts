import { apiError, fieldsOf, json, jsonBodyOf, withApiKey } from "@/lib/api/handler";
import { createSubscriptionBodySchema, idempotencyKeySchema } from "@/lib/api/schemas";
import { createApiSubscription, listApiSubscriptions } from "@/lib/api/subscriptions";

export const dynamic = "force-dynamic";

// POST /api/v1/subscriptions — keep energy on an address; Idempotency-Key required (replay → 200).
export const POST = withApiKey(async ({ req, caller }) => {
  const idem = idempotencyKeySchema.safeParse(req.headers.get("idempotency-key") ?? undefined);
  const body = createSubscriptionBodySchema.safeParse(await jsonBodyOf(req));
  if (!idem.success || !body.success) {
    const fields: Record<string, string> = {};
    if (!idem.success) fields["Idempotency-Key"] = idem.error.issues[0].message;
    if (!body.success) Object.assign(fields, fieldsOf(body.error.issues));
    throw apiError("bad_request", "Some subscription fields are missing or invalid.", fields);
  }
  const { subscription, created } = await createApiSubscription({
    caller,
    body: body.data,
    idempotencyKey: idem.data,
  });
  return json(subscription, created ? 201 : 200, created ? {} : { "idempotent-replayed": "true" });
});

// GET /api/v1/subscriptions — the key owner's subscriptions, newest first.
export const GET = withApiKey(async ({ caller }) => json(await listApiSubscriptions(caller)));
