import { getApiBatch } from "@/lib/api/batches";
import { json, withApiKey } from "@/lib/api/handler";

export const dynamic = "force-dynamic";

// GET /api/v1/batches/{id} — one of the key owner's batches with its lines (anyone else's → 404).
export const GET = withApiKey<{ id: string }>(async ({ caller, params }) =>
  json(await getApiBatch({ caller, batchId: params.id })),
);
