import { logger } from "@/lib/log";

// biome-ignore lint/suspicious/noExplicitAny: the SDK's handler signature is passed through unchanged
type Handler = (...args: any[]) => Promise<Response>;

/**
 * Wraps the Inngest serve handlers so nothing they throw reaches the caller as text: a request
 * the SDK cannot even parse (malformed JSON makes it throw before the signature check) answers a
 * plain 500 `{"code":"internal_server_error"}`, the error only in our log. Signed calls from the
 * Inngest server keep the SDK's own replies.
 */
export function withoutStackTraces<H extends { GET: Handler; POST: Handler; PUT: Handler }>(
  handlers: H,
): Pick<H, "GET" | "POST" | "PUT"> {
  const out: Record<string, Handler> = {};
  for (const method of ["GET", "POST", "PUT"] as const) {
    const h = handlers[method];
    out[method] = async (...args) => {
      try {
        return await h(...args);
      } catch (e) {
        logger.warn({ err: e instanceof Error ? e.message : String(e), method }, "inngest: request failed");
        return Response.json({ code: "internal_server_error" }, { status: 500 });
      }
    };
  }
  return out as Pick<H, "GET" | "POST" | "PUT">;
}
