import { AppError, errorResponse, fieldErrorsFromZod } from "@/lib/errors";
import { quote, quoteToJson } from "@/lib/pricing";
import { priceQuerySchema } from "./schema";

export const dynamic = "force-dynamic";

// GET /api/v1/price?energy=65000&duration=1h — public quote, sun amounts as decimal strings.
export async function GET(req: Request) {
  try {
    const params = Object.fromEntries(new URL(req.url).searchParams);
    const parsed = priceQuerySchema.safeParse(params);
    if (!parsed.success)
      throw new AppError("bad_request", "Some parameters are missing or invalid.", {
        fields: fieldErrorsFromZod(parsed.error.issues),
      });
    const q = await quote({ energy: parsed.data.energy, duration: parsed.data.duration });
    return Response.json(quoteToJson(q), { headers: { "cache-control": "no-store" } });
  } catch (e) {
    return errorResponse(e);
  }
}
