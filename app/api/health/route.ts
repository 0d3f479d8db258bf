import { runHealthChecks } from "@/lib/health/checks";

export const dynamic = "force-dynamic";

// GET /api/health — 200 when every check passes, 503 naming the failing ones.
export async function GET() {
  const h = await runHealthChecks();
  return Response.json(h, {
    status: h.status === "ok" ? 200 : 503,
    headers: { "cache-control": "no-store" },
  });
}
