import { Writable } from "node:stream";
import pino from "pino";
import { env } from "@/lib/env";

/**
 * The app logger. Secrets are redacted by key name wherever they appear, and the sink can be
 * swapped in tests (`captureLogs`) so a test can assert that no secret reaches any log line.
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
