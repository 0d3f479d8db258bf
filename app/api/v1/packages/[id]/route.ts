import { json, withApiKey } from "@/lib/api/handler";
import { getApiPackage } from "@/lib/api/packages";

export const dynamic = "force-dynamic";

// GET /api/v1/packages/{id} — one of the key owner's packages with its counted transfers.
export const GET = withApiKey<{ id: string }>(async ({ caller, params }) =>
  json(await getApiPackage(caller, params.id)),
);
