import { logger } from "@/lib/log";
import { httpErrors } from "@/lib/metrics";

/**
 * One error model for every surface. `code` is stable (API clients and tests match on it),
 * `message` is safe to show a user, `status` is the HTTP status, `fields` names bad inputs.
 * Anything that is not an AppError is internal: logged, never shown.
 */
export type ErrorCode =
  | "bad_request"
  | "invalid_amount"
  | "invalid_address"
  | "not_activated"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "idempotency_conflict"
  | "insufficient_balance"
  | "rate_limited"
  | "maintenance"
  | "energy_out_of_range"
  | "unknown_duration"
  | "invalid_state"
  | "no_capacity"
  | "quote_expired"
  | "quote_invalid"
  | "chain_error"
  | "provider_unavailable"
  | "payload_too_large"
  | "busy"
  | "internal";

const statusByCode: Record<ErrorCode, number> = {
  bad_request: 400,
  invalid_amount: 400,
  invalid_address: 400,
  not_activated: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  idempotency_conflict: 409,
  insufficient_balance: 402,
  rate_limited: 429,
  maintenance: 503,
  energy_out_of_range: 400,
  unknown_duration: 400,
  invalid_state: 409,
  no_capacity: 503,
  quote_expired: 409,
  quote_invalid: 409,
  chain_error: 502,
  provider_unavailable: 503,
  payload_too_large: 413,
  busy: 503,
  internal: 500,
};

/** Every code, for checks that each one is handled (the error catalogue's completeness test). */
export const errorCodes = Object.keys(statusByCode) as ErrorCode[];

export type FieldErrors = Record<string, string>;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly fields?: FieldErrors;
  readonly details?: Record<string, unknown>;

  constructor(
    code: ErrorCode,
    message: string,
    opts: { fields?: FieldErrors; details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = "AppError";
    this.code = code;
    this.status = statusByCode[code];
    this.fields = opts.fields;
    this.details = opts.details;
  }

  toJSON() {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.fields ? { fields: this.fields } : {}),
        // a refused held quote answers with the fresh quote to confirm instead (lib/pricing redeemQuote)
        ...(this.details?.quote ? { quote: this.details.quote } : {}),
      },
    };
  }

  toResponse(init: ResponseInit = {}): Response {
    return Response.json(this.toJSON(), { ...init, status: this.status });
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

/**
 * SQLSTATEs (and postgres.js codes) of a database wait that ran out: a statement timeout
 * (57014), a lock wait (55P03), a transaction ended for idling (25P03), no free connection slot
 * (53300), a connection that could not be opened in time. Looked for through `cause` chains.
 */
const DB_TIMEOUT_CODES = new Set(["57014", "55P03", "25P03", "53300", "CONNECT_TIMEOUT"]);

export function isDbTimeout(e: unknown): boolean {
  let cur: any = e;
  for (let i = 0; i < 5 && cur; i++) {
    if (typeof cur.code === "string" && DB_TIMEOUT_CODES.has(cur.code)) return true;
    cur = cur.cause;
  }
  return false;
}

/** A database timeout as the `busy` AppError (503, safe to retry); other values unchanged. */
export function busyIfDbTimeout(e: unknown): unknown {
  if (isAppError(e) || !isDbTimeout(e)) return e;
  logger.warn({ err: e instanceof Error ? e.message : String(e) }, "database wait timed out");
  return new AppError("busy", "The service is busy right now. Please try again in a moment.", { cause: e });
}

/** Turns any thrown value into a response that never leaks internal text (internal errors are logged). */
export function errorResponse(e: unknown): Response {
  e = busyIfDbTimeout(e);
  const err = isAppError(e)
    ? e
    : new AppError("internal", "Something went wrong on our side. Please try again.");
  if (!isAppError(e)) logger.error({ err: e }, "unhandled error");
  httpErrors.inc({ code: err.code, status: String(err.status) });
  return err.toResponse();
}

/** zod issues → `{ field: message }` (first message per field). */
export function fieldErrorsFromZod(issues: { path: PropertyKey[]; message: string }[]): FieldErrors {
  const out: FieldErrors = {};
  for (const i of issues) {
    const key = i.path.map(String).join(".") || "_";
    if (!(key in out)) out[key] = i.message;
  }
  return out;
}
