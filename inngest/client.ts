import { Inngest } from "inngest";
import { env } from "@/lib/env";
import { ObserveMiddleware } from "./middleware";

/**
 * The one Inngest client. Locally `INNGEST_DEV=1` talks to an Inngest dev server (INNGEST_BASE_URL,
 * default http://localhost:8288); in production Inngest Cloud or a self-hosted server with
 * INNGEST_EVENT_KEY and INNGEST_SIGNING_KEY. Tests run functions in-process with @inngest/test.
 */
export const inngest = new Inngest({
  id: "tron-energy-helper",
  middleware: [ObserveMiddleware],
  isDev: env.INNGEST_DEV || env.NODE_ENV === "test",
  ...(env.INNGEST_BASE_URL ? { baseUrl: env.INNGEST_BASE_URL } : {}),
  ...(env.INNGEST_EVENT_KEY ? { eventKey: env.INNGEST_EVENT_KEY } : {}),
  ...(env.INNGEST_SIGNING_KEY ? { signingKey: env.INNGEST_SIGNING_KEY } : {}),
});
