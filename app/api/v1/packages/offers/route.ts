import { json, withApiKey } from "@/lib/api/handler";
import { apiPackageOffers } from "@/lib/api/packages";

export const dynamic = "force-dynamic";

// GET /api/v1/packages/offers — package sizes and prices, validity and refund rule.
export const GET = withApiKey(async () => json(await apiPackageOffers()));
