import { financeByDay, financeCsv } from "@/lib/admin/finance";
import { requireAdmin } from "@/lib/admin/guard";
import { AppError, errorResponse, fieldErrorsFromZod } from "@/lib/errors";
import { getSettings } from "@/lib/settings";
import { financeRangeSchema } from "@/lib/admin/finance";

export const dynamic = "force-dynamic";

// GET /admin/finance/export?from=YYYY-MM-DD&to=YYYY-MM-DD — finance per day as CSV (finance.export).
export async function GET(req: Request) {
  try {
    await requireAdmin("finance.export");
    const p = financeRangeSchema.safeParse(Object.fromEntries(new URL(req.url).searchParams));
    if (!p.success)
      throw new AppError("bad_request", "Choose a valid date range.", {
        fields: fieldErrorsFromZod(p.error.issues),
      });
    const days = await financeByDay(p.data, (await getSettings()).delegatedAprBps);
    return new Response(financeCsv(days), {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="finance-${p.data.from}-${p.data.to}.csv"`,
        "cache-control": "no-store",
      },
    });
  } catch (e) {
    return errorResponse(e);
  }
}
