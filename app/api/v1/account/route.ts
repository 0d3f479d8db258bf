import { json, withApiKey } from "@/lib/api/handler";
import { getApiAccount } from "@/lib/api/orders";

export const dynamic = "force-dynamic";

// GET /api/v1/account — the key owner's balance and deposit address.
export const GET = withApiKey(async ({ caller }) => json(await getApiAccount(caller)));
