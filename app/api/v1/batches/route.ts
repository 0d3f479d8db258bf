import { createApiBatch } from "@/lib/api/batches";
import { apiError, fieldsOf, json, jsonBodyOf, withApiKey } from "@/lib/api/handler";
import { createBatchBodySchema, idempotencyKeySchema } from "@/lib/api/schemas";

export const dynamic = "force-dynamic";

/** A batch of up to 500 lines is well under this. */
const MAX_BATCH_BODY_BYTES = 131_072;

// POST /api/v1/batches — many orders in one request; Idempotency-Key required (replay → 200 same
// batch, other body → 409). Per-line results in the answer.
export const POST = withApiKey(async ({ req, caller }) => {
  const idem = idempotencyKeySchema.safeParse(req.headers.get("idempotency-key") ?? undefined);
  const body = createBatchBodySchema.safeParse(await jsonBodyOf(req, MAX_BATCH_BODY_BYTES));
  if (!idem.success || !body.success) {
    const fields: Record<string, string> = {};
    if (!idem.success) fields["Idempotency-Key"] = idem.error.issues[0].message;
    if (!body.success) Object.assign(fields, fieldsOf(body.error.issues));
    throw apiError("bad_request", "Some batch fields are missing or invalid.", fields);
  }
  const { batch, created } = await createApiBatch({ caller, body: body.data, idempotencyKey: idem.data });
  return json(batch, created ? 201 : 200, created ? {} : { "idempotent-replayed": "true" });
});
