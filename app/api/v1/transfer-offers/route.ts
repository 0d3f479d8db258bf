import { json, parseOr400, queryOf, withPublic } from "@/lib/api/handler";
import { transferOffersQuerySchema } from "@/lib/api/schemas";
import { transferOffersJson } from "@/lib/api/transfer-offers";

export const dynamic = "force-dynamic";

// GET /api/v1/transfer-offers[?lang=zh] — public: the rental address and what each amount buys.
export const GET = withPublic(async ({ req }) => {
  const q = parseOr400(transferOffersQuerySchema, queryOf(req), "Some parameters are invalid.");
  return json(await transferOffersJson(q.lang));
});
