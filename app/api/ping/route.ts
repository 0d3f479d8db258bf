export const dynamic = "force-dynamic";

// GET /api/ping — liveness only: a constant answer, no database (also the benchmarks' baseline route).
export function GET() {
  return Response.json({ ok: true });
}
