import { json, withApiKey } from "@/lib/api/handler";
import { changeApiSubscription } from "@/lib/api/subscriptions";

export const dynamic = "force-dynamic";

// POST /api/v1/subscriptions/{id}/cancel
export const POST = withApiKey<{ id: string }>(async ({ caller, params }) =>
  json(await changeApiSubscription(caller, params.id, "cancel")),
);
