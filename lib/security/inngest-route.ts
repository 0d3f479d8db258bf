import { logger } from "@/lib/log";

// biome-ignore lint/suspicious/noExplicitAny: the SDK's handler signature is passed through unchanged
type Handler = (...args: any[]) => Promise<Response>;

const GENERIC = () => Response.json({ code: "internal_server_error" }, { status: 500 });

/**
 * Wraps the Inngest serve handlers so a caller whose request was not validly signed never reads
 * internals: a request the SDK cannot even parse (malformed JSON makes it throw before the
 * signature check) and any 5xx reply the SDK builds for an unsigned request (it serializes errors
 * with their stack) become a plain 500 `{"code":"internal_server_error"}`, the error only in our
 * log. The SDK signs its replies to validly signed calls (X-Inngest-Signature): those reach the
 * Inngest server untouched, as its signature covers the body.
 */
export function withoutStackTraces<H extends { GET: Handler; POST: Handler; PUT: Handler }>(
  handlers: H,
): Pick<H, "GET" | "POST" | "PUT"> {
  const out: Record<string, Handler> = {};
  for (const method of ["GET", "POST", "PUT"] as const) {
    const h = handlers[method];
    out[method] = async (...args) => {
      let res: Response;
      try {
        res = await h(...args);
      } catch (e) {
        logger.warn({ err: e instanceof Error ? e.message : String(e), method }, "inngest: request failed");
        return GENERIC();
      }
      if (res.status >= 500 && !res.headers.get("x-inngest-signature")) {
        const body = await res.text().catch(() => "");
        logger.warn(
          { status: res.status, method, body: body.slice(0, 500) },
          "inngest: unsigned request failed",
        );
        return GENERIC();
      }
      return res;
    };
  }
  return out as Pick<H, "GET" | "POST" | "PUT">;
}
