import { createHash, timingSafeEqual } from "node:crypto";
import { env } from "@/lib/env";
// Registers every check: db, inngest (the job queue), scanner (deposits), chain (the TRON node).
import { runHealthChecks } from "@/lib/health/checks";

export const dynamic = "force-dynamic";

const digest = (s: string) => createHash("sha256").update(s).digest();

/** The failure details (which may name internal hosts and URLs) only for the metrics token's holder. */
function mayReadDetails(req: Request | undefined): boolean {
  const token = env.METRICS_TOKEN;
  if (!token || !req) return false;
  const given = /^Bearer (.+)$/.exec(req.headers.get("authorization") ?? "")?.[1] ?? "";
  return timingSafeEqual(digest(given), digest(token));
}

// GET /api/health — 200 when every check passes, 503 naming the failing ones ("fail"); with
// `Authorization: Bearer <METRICS_TOKEN>` each failure says why.
export async function GET(req?: Request) {
  const full = await runHealthChecks();
  const h = mayReadDetails(req)
    ? full
    : {
        ...full,
        checks: Object.fromEntries(
          Object.entries(full.checks).map(([k, v]) => [k, v === "ok" ? "ok" : "fail"]),
        ),
      };
  return Response.json(h, {
    status: h.status === "ok" ? 200 : 503,
    headers: { "cache-control": "no-store" },
  });
}
