import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import pino from "pino";
import { env } from "@/lib/env";

/**
 * The app logger: one JSON object per line. Secrets are redacted by key name wherever they appear,
 * and the sink can be swapped in tests (`captureLogs`) so a test can assert that no secret reaches
 * any log line. Every line logged inside `withLogContext` carries that context's ids (`requestId`
 * for every HTTP request the server takes — page, server action, route — `updateId` while the bot
 * handles a Telegram update, `fn` / `runId` / `orderId` / `delegationId` inside an Inngest function
 * run), so one flow's lines can be found together.
 */
const REDACT_KEYS = [
  "privateKey",
  "private_key",
  "encryptedKey",
  "mnemonic",
  "seed",
  "password",
  "secret",
  "token",
  "apiKey",
  "authorization",
];

export type LogContext = {
  requestId?: string;
  /** The Telegram update being handled (webhook or long polling). */
  updateId?: number;
  fn?: string;
  runId?: string;
  orderId?: number;
  delegationId?: number;
};

const g = globalThis as unknown as { __tehLogContext?: AsyncLocalStorage<LogContext> };
g.__tehLogContext ??= new AsyncLocalStorage<LogContext>();
const context = g.__tehLogContext;

/** Runs `fn` with `ctx` (added to the current context) on every log line it writes. */
export function withLogContext<T>(ctx: LogContext, fn: () => T): T {
  const defined = Object.fromEntries(Object.entries(ctx).filter(([, v]) => v !== undefined));
  return context.run({ ...context.getStore(), ...defined }, fn);
}

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/** The caller's `X-Request-Id` when it is a safe token (8–128 of A–Z a–z 0–9 . _ : -), else a new UUID. */
export function requestIdOf(headers: Headers): string {
  const given = headers.get("x-request-id");
  return given && SAFE_REQUEST_ID.test(given) ? given : randomUUID();
}

type IncomingLike = { headers: Record<string, string | string[] | undefined> };
type OutgoingLike = { setHeader(name: string, value: string): unknown };

const gRid = globalThis as unknown as { __tehRequestIds?: () => void };

/**
 * Gives every HTTP request the server takes a request id, before the app sees it: the caller's
 * `X-Request-Id` when it is a safe token, else a new UUID. It is set on the request (so a route
 * reading the header gets the same one), echoed in the response's `X-Request-Id`, and every log
 * line written while the request is handled — pages, server actions and routes alike — carries it
 * as `requestId`. Hooked where node:http announces a request (instrumentation.ts); returns the
 * function that removes it (tests).
 */
export async function installRequestIds(): Promise<() => void> {
  if (gRid.__tehRequestIds) return gRid.__tehRequestIds;
  const dc = await import("node:diagnostics_channel");
  const onStart = (message: unknown) => {
    const { request, response } = message as { request: IncomingLike; response: OutgoingLike };
    const given = request.headers["x-request-id"];
    const id = typeof given === "string" && SAFE_REQUEST_ID.test(given) ? given : randomUUID();
    request.headers["x-request-id"] = id;
    response.setHeader("x-request-id", id);
    // Published synchronously just before the server's "request" event: the handler, and every
    // promise it starts, runs inside this store.
    context.enterWith({ requestId: id });
  };
  dc.subscribe("http.server.request.start", onStart);
  const uninstall = () => {
    dc.unsubscribe("http.server.request.start", onStart);
    gRid.__tehRequestIds = undefined;
  };
  gRid.__tehRequestIds = uninstall;
  return uninstall;
}

let sink: (line: string) => void = (line) => process.stdout.write(line);

const stream = new Writable({
  write(chunk, _enc, cb) {
    sink(chunk.toString());
    cb();
  },
});

export const logger = pino(
  {
    level: env.NODE_ENV === "test" ? (env.LOG_LEVEL === "info" ? "warn" : env.LOG_LEVEL) : env.LOG_LEVEL,
    redact: {
      paths: [...REDACT_KEYS, ...REDACT_KEYS.map((k) => `*.${k}`), ...REDACT_KEYS.map((k) => `*.*.${k}`)],
      censor: "[redacted]",
    },
    base: undefined,
    mixin: () => ({ ...context.getStore() }),
  },
  stream,
);

/** Test helper: collects every log line (at any level) until `stop()` is called. */
export function captureLogs(): { lines: string[]; stop: () => void } {
  const lines: string[] = [];
  const prev = sink;
  const prevLevel = logger.level;
  logger.level = "trace";
  sink = (line) => lines.push(line);
  return {
    lines,
    stop: () => {
      sink = prev;
      logger.level = prevLevel;
    },
  };
}
