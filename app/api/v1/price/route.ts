import { clientIp, json, parseOr400, queryOf, withPublic } from "@/lib/api/handler";
import { priceWithChecks } from "@/lib/api/price";
import { lookupLimiter, PUBLIC_LOOKUPS_PER_MINUTE } from "@/lib/api/rate-limit";
import { priceQuerySchema } from "./schema";

export const dynamic = "force-dynamic";

// GET /api/v1/price?energy=65000&duration=1h[&address=T…][&usdt_to=T…] — public quote; sun amounts as
// decimal strings. Plain quotes are not rate-limited; ones with chain look-ups are (per IP).
export const GET = withPublic(async ({ req }) => {
  const q = parseOr400(priceQuerySchema, queryOf(req), "Some parameters are missing or invalid.");
  if (q.address !== undefined || q.usdt_to !== undefined)
    await lookupLimiter.hit(`ip:${clientIp(req)}`, PUBLIC_LOOKUPS_PER_MINUTE);
  return json(
    await priceWithChecks({ energy: q.energy, duration: q.duration, address: q.address, usdtTo: q.usdt_to }),
  );
});
