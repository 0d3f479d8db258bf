import { openApiDocument } from "@/lib/api/openapi";

// GET /api/v1/openapi.json — the OpenAPI 3.1 document of the reseller API.
export function GET() {
  return Response.json(openApiDocument(), { headers: { "cache-control": "public, max-age=300" } });
}
