import { createHash, timingSafeEqual } from "node:crypto";
import "@/lib/admin/metrics";
import { env } from "@/lib/env";
import { errorResponse } from "@/lib/errors";
import { registry } from "@/lib/metrics";

export const dynamic = "force-dynamic";

const digest = (s: string) => createHash("sha256").update(s).digest();

// GET /api/metrics — Prometheus text format; 404 unless METRICS_TOKEN is set, 401 without `Bearer <token>`.
export async function GET(req: Request) {
  const token = env.METRICS_TOKEN;
  if (!token) return new Response("Not found\n", { status: 404 });
  const given = /^Bearer (.+)$/.exec(req.headers.get("authorization") ?? "")?.[1] ?? "";
  if (!timingSafeEqual(digest(given), digest(token)))
    return new Response("Unauthorized\n", { status: 401, headers: { "www-authenticate": "Bearer" } });
  try {
    const body = await registry.metrics();
    return new Response(body, {
      headers: { "content-type": registry.contentType, "cache-control": "no-store" },
    });
  } catch (e) {
    return errorResponse(e);
  }
}
