import { serve } from "inngest/next";
import { functions, inngest } from "@/inngest";
import { env } from "@/lib/env";
import { servesFunctions } from "@/lib/roles";
import { withoutStackTraces } from "@/lib/security/inngest-route";

// GET/POST/PUT /api/inngest — the Inngest serve endpoint (signature checked by the SDK in production).
// Syncs always register INNGEST_SERVE_ORIGIN or APP_URL (never the Host a caller sent); thrown
// errors carry no stack trace.
// A web process (APP_ROLE=web) answers 404: the functions run in the worker, which holds their keys.
const served = withoutStackTraces(
  serve({ client: inngest, functions, serveOrigin: env.INNGEST_SERVE_ORIGIN ?? env.APP_URL }),
);
const notServed = async () =>
  Response.json(
    { error: { code: "not_found", message: "Not served by this process (APP_ROLE=web)." } },
    { status: 404 },
  );
const on = servesFunctions();

export const GET = on ? served.GET : notServed;
export const POST = on ? served.POST : notServed;
export const PUT = on ? served.PUT : notServed;
