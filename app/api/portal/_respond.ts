import { busyIfDbTimeout, isAppError } from "@/lib/errors";
import { translator } from "@/lib/i18n";
import { localizeError } from "@/app/(portal)/_lib/errors";
import { apiContext } from "@/app/(portal)/_lib/context";

type Ctx = Awaited<ReturnType<typeof apiContext>>;

/**
 * Wraps a portal JSON route: the session's user (401 when signed out, 403 when banned), no caching,
 * and errors as `{ error: { code, message, fields } }` with a localized, user-safe message.
 */
export function portalRoute<P>(fn: (ctx: Ctx, req: Request, params: P) => Promise<unknown>) {
  return async (req: Request, route: { params: Promise<P> }): Promise<Response> => {
    let t = translator("en");
    try {
      const ctx = await apiContext();
      t = ctx.t;
      const body = await fn(ctx, req, await route.params);
      return Response.json(body, { headers: { "cache-control": "no-store" } });
    } catch (thrown) {
      const e = busyIfDbTimeout(thrown);
      const l = localizeError(e, t);
      const status = isAppError(e) ? e.status : 500;
      const headers: Record<string, string> = { "cache-control": "no-store" };
      if (isAppError(e) && e.code === "rate_limited")
        headers["retry-after"] = String(e.details?.retryAfter ?? 60);
      return Response.json(
        {
          error: {
            code: l.code,
            message: l.message,
            fields: l.fields,
            ...(l.maxEnergy ? { maxEnergy: l.maxEnergy } : {}),
          },
        },
        { status, headers },
      );
    }
  };
}
