import { json, withApiKey } from "@/lib/api/handler";
import { getApiSubscription } from "@/lib/api/subscriptions";

export const dynamic = "force-dynamic";

// GET /api/v1/subscriptions/{id} — one of the key owner's subscriptions with its latest top-ups.
export const GET = withApiKey<{ id: string }>(async ({ caller, params }) =>
  json(await getApiSubscription(caller, params.id)),
);
