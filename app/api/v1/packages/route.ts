import { apiError, fieldsOf, json, jsonBodyOf, withApiKey } from "@/lib/api/handler";
import { buyApiPackage, listApiPackages } from "@/lib/api/packages";
import { buyPackageBodySchema, idempotencyKeySchema } from "@/lib/api/schemas";

export const dynamic = "force-dynamic";

// POST /api/v1/packages — buy N USDT transfers for an address; Idempotency-Key required (replay → 200).
export const POST = withApiKey(async ({ req, caller }) => {
  const idem = idempotencyKeySchema.safeParse(req.headers.get("idempotency-key") ?? undefined);
  const body = buyPackageBodySchema.safeParse(await jsonBodyOf(req));
  if (!idem.success || !body.success) {
    const fields: Record<string, string> = {};
    if (!idem.success) fields["Idempotency-Key"] = idem.error.issues[0].message;
    if (!body.success) Object.assign(fields, fieldsOf(body.error.issues));
    throw apiError("bad_request", "Some package fields are missing or invalid.", fields);
  }
  const r = await buyApiPackage({ caller, body: body.data, idempotencyKey: idem.data });
  return json(r.package, r.created ? 201 : 200, r.created ? {} : { "idempotent-replayed": "true" });
});

// GET /api/v1/packages — the key owner's packages, newest first.
export const GET = withApiKey(async ({ caller }) => json(await listApiPackages(caller)));
