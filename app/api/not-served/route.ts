import { env } from "@/lib/env";

export const dynamic = "force-dynamic";

// Where lib/roles sends a request for a path this process's APP_ROLE does not serve.
function notServed(): Response {
  return Response.json(
    { error: { code: "not_found", message: `Not served by this process (APP_ROLE=${env.APP_ROLE}).` } },
    { status: 404, headers: { "cache-control": "no-store" } },
  );
}

export const GET = notServed;
export const POST = notServed;
export const PUT = notServed;
export const PATCH = notServed;
export const DELETE = notServed;
export const HEAD = notServed;
export const OPTIONS = notServed;
