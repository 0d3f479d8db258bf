import { serve } from "inngest/next";
import { functions, inngest } from "@/inngest";
import { env } from "@/lib/env";
import { withoutStackTraces } from "@/lib/security/inngest-route";

// GET/POST/PUT /api/inngest — the Inngest serve endpoint (signature checked by the SDK in production).
// Syncs always register APP_URL (never the Host a caller sent); thrown errors carry no stack trace.
export const { GET, POST, PUT } = withoutStackTraces(
  serve({ client: inngest, functions, serveOrigin: env.APP_URL }),
);
