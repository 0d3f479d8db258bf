import type { z } from "zod";
import { AppError, busyIfDbTimeout, type FieldErrors, isAppError } from "@/lib/errors";
import { readBodyLimited } from "@/lib/http/body";
import { logger, requestIdOf, withLogContext } from "@/lib/log";
import { httpErrors } from "@/lib/metrics";
import { clientIpOf } from "@/lib/security/client-ip";
import { type ApiCaller, verifyApiKey } from "./keys";
import { keyLimiter, type RateState } from "./rate-limit";
import { type ApiErrorCode, apiErrorCodes } from "./schemas";

/**
 * The one wrapper every /api/v1 handler goes through: authenticate (Bearer key) and rate-limit,
 * run the handler, and turn anything thrown into the one error shape
 * `{"error":{"code","message","fields"?}}` with a stable code. Internal errors are logged and
 * answered with a generic message.
 */

const known = new Set<string>(apiErrorCodes);
const NO_STORE = { "cache-control": "no-store" };

/** Maps an error to the API's error response (status, headers, body). */
function apiErrorResponse(e: unknown): Response {
  e = busyIfDbTimeout(e);
  let err: AppError;
  if (isAppError(e) && known.has(e.code)) err = e;
  else if (isAppError(e) && e.code === "chain_error")
    err = new AppError(
      "provider_unavailable",
      "The TRON network is not answering right now. Please try again.",
    );
  else {
    logger.error({ err: e, code: isAppError(e) ? e.code : undefined }, "api: unhandled error");
    err = new AppError("internal", "Something went wrong on our side. Please try again.");
  }
  httpErrors.inc({ code: err.code, status: String(err.status) });
  const headers: Record<string, string> = { ...NO_STORE };
  if (err.code === "rate_limited") headers["retry-after"] = String(err.details?.retryAfter ?? 60);
  if (err.code === "busy") headers["retry-after"] = "1";
  if (err.code === "unauthorized") headers["www-authenticate"] = 'Bearer realm="api"';
  return Response.json(err.toJSON(), { status: err.status, headers });
}

export function apiError(code: ApiErrorCode, message: string, fields?: FieldErrors): AppError {
  return new AppError(code, message, fields ? { fields } : {});
}

/** zod issues → `fields` (unknown body fields are named too). */
export function fieldsOf(issues: z.core.$ZodIssue[]): FieldErrors {
  const out: FieldErrors = {};
  for (const i of issues) {
    if (i.code === "unrecognized_keys") {
      for (const k of i.keys) out[[...i.path.map(String), k].join(".")] ??= "Unknown field.";
      continue;
    }
    const key = i.path.map(String).join(".") || "body";
    out[key] ??= i.message;
  }
  return out;
}

/** Parses with a schema or throws bad_request with fields. */
export function parseOr400<S extends z.ZodType>(schema: S, input: unknown, message: string): z.output<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw apiError("bad_request", message, fieldsOf(r.error.issues));
  return r.data;
}

export const queryOf = (req: Request) => Object.fromEntries(new URL(req.url).searchParams);

/** The largest JSON body the API reads (an order is well under 1 KiB). */
const MAX_BODY_BYTES = 16_384;

/** The JSON body: Content-Type checked, at most `maxBytes` (MAX_BODY_BYTES unless told) read (413 beyond), parsed. */
export async function jsonBodyOf(req: Request, maxBytes = MAX_BODY_BYTES): Promise<unknown> {
  const type = req.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(type))
    throw apiError("bad_request", "Send a JSON body with Content-Type: application/json.", {
      body: "Expected application/json.",
    });
  const text = await readBodyLimited(req, maxBytes);
  try {
    return JSON.parse(text);
  } catch {
    throw apiError("bad_request", "The body is not valid JSON.", { body: "Not valid JSON." });
  }
}

export function json(data: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(data, { status, headers: { ...NO_STORE, ...headers } });
}

type RouteCtx<P> = { params: Promise<P> };
type Handler<P, C> = (args: { req: Request; params: P; caller: C }) => Promise<Response>;

function rateHeaders(r: RateState): Record<string, string> {
  return {
    "x-ratelimit-limit": String(r.limit),
    "x-ratelimit-remaining": String(r.remaining),
    "x-ratelimit-reset": String(r.resetSeconds),
  };
}

/** A route that needs `Authorization: Bearer <key>`; counted against the key's per-minute limit. */
export function withApiKey<P = Record<string, never>>(fn: Handler<P, ApiCaller>) {
  return withRequestId(async (req: Request, ctx?: RouteCtx<P>): Promise<Response> => {
    try {
      const caller = await verifyApiKey(req.headers.get("authorization"));
      const rate = await keyLimiter.hit(`key:${caller.keyId}`, caller.rateLimitPerMinute);
      const res = await fn({ req, params: ((await ctx?.params) ?? {}) as P, caller });
      for (const [k, v] of Object.entries(rateHeaders(rate))) res.headers.set(k, v);
      return res;
    } catch (e) {
      return apiErrorResponse(e);
    }
  });
}

/** A public route (no key). */
export function withPublic<P = Record<string, never>>(fn: Handler<P, null>) {
  return withRequestId(async (req: Request, ctx?: RouteCtx<P>): Promise<Response> => {
    try {
      return await fn({ req, params: ((await ctx?.params) ?? {}) as P, caller: null });
    } catch (e) {
      return apiErrorResponse(e);
    }
  });
}

/**
 * Every log line of the request carries its `requestId` (the caller's `X-Request-Id` when it is a
 * safe token, else a new one), and the response echoes it in `X-Request-Id`.
 */
function withRequestId<C>(
  handler: (req: Request, ctx?: C) => Promise<Response>,
): (req: Request, ctx?: C) => Promise<Response> {
  return (req, ctx) => {
    const requestId = requestIdOf(req.headers);
    return withLogContext({ requestId }, async () => {
      const res = await handler(req, ctx);
      res.headers.set("x-request-id", requestId);
      return res;
    });
  };
}

/** The trusted client IP (the socket's peer, or X-Forwarded-For only from TRUSTED_PROXIES). */
export function clientIp(req: Request): string {
  return clientIpOf(req.headers);
}
