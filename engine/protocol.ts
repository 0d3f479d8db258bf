/**
 * The Inngest SDK's HTTP protocol as this engine speaks it: the shapes the SDK sends (sync bodies,
 * step ops, events, checkpoints), parsed with zod at the boundary, and the request signing the SDK
 * verifies (X-Inngest-Signature over the JSON body, RFC 8785 canonical form) and the bearer token
 * it sends (the signing key's hash). Read from the SDK spec (docs/SDK_SPEC.md in inngest/inngest)
 * and the `inngest` package's serve handler.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import canonicalize from "canonicalize";
import { z } from "zod";

/** Serialised error as the SDK sends it (`{ name, message, stack? }`, sometimes more). */
export const serializedErrorSchema = z
  .object({ name: z.string().optional(), message: z.string().optional(), stack: z.string().optional() })
  .passthrough();
export type SerializedError = z.infer<typeof serializedErrorSchema>;

export const eventTriggerSchema = z
  .object({ event: z.string().min(1), expression: z.string().optional() })
  .strict();
export const cronTriggerSchema = z
  .object({ cron: z.string().min(1), jitter: z.string().optional() })
  .strict();
export const triggerSchema = z.union([eventTriggerSchema, cronTriggerSchema]);
export type Trigger = z.infer<typeof triggerSchema>;

export const concurrencyEntrySchema = z
  .object({
    limit: z.number().int().min(0),
    key: z.string().min(1).optional(),
    scope: z.enum(["fn", "env", "account"]).optional(),
  })
  .strict();
export type ConcurrencyEntry = z.infer<typeof concurrencyEntrySchema>;

export const cancelSchema = z
  .object({ event: z.string().min(1), if: z.string().optional(), timeout: z.string().optional() })
  .strict();

const stepConfigSchema = z
  .object({
    id: z.string(),
    name: z.string().optional(),
    runtime: z.object({ type: z.string(), url: z.string().url() }).passthrough(),
    retries: z.object({ attempts: z.number().int().min(0).max(20) }).optional(),
  })
  .passthrough();

/**
 * Function options this engine implements. Every other option key the SDK can send is refused at
 * sync with the option's name, so a function never runs with a setting silently ignored.
 */
export const IMPLEMENTED_OPTIONS = [
  "id",
  "name",
  "triggers",
  "steps",
  "idempotency",
  "concurrency",
  "cancel",
];

export const functionConfigSchema = z
  .object({
    id: z.string().min(1),
    name: z.string().optional(),
    triggers: z.array(triggerSchema),
    steps: z.record(z.string(), stepConfigSchema),
    idempotency: z.string().min(1).optional(),
    concurrency: z
      .union([z.number().int().min(0), concurrencyEntrySchema, z.array(concurrencyEntrySchema).max(2)])
      .optional(),
    cancel: z.array(cancelSchema).optional(),
  })
  .passthrough();
export type FunctionConfig = z.infer<typeof functionConfigSchema>;

/** Out-of-band sync: POST /fn/register from the SDK. */
export const registerBodySchema = z
  .object({
    url: z.string().url(),
    appName: z.string().min(1),
    sdk: z.string().optional(),
    framework: z.string().optional(),
    functions: z.array(z.unknown()),
  })
  .passthrough();

/** In-band sync: the SDK's answer to our signed PUT with `X-Inngest-Sync-Kind: in_band`. */
export const inBandBodySchema = z
  .object({
    app_id: z.string().min(1),
    url: z.string().url(),
    sdk: z.string().optional(),
    framework: z.string().optional(),
    functions: z.array(z.unknown()),
  })
  .passthrough();

/** One op reported by the SDK (206 responses and checkpoints). */
export const opSchema = z
  .object({
    id: z.string().min(1),
    op: z.string().min(1),
    name: z.string().optional(),
    displayName: z.string().optional(),
    opts: z.record(z.string(), z.unknown()).optional().nullable(),
    data: z.unknown().optional(),
    error: z.unknown().optional(),
  })
  .passthrough();
export type Op = z.infer<typeof opSchema>;
export const opsSchema = z.array(opSchema);

export const checkpointBodySchema = z
  .object({
    run_id: z.string().min(1),
    fn_id: z.string().optional(),
    qi_id: z.string().optional(),
    steps: opsSchema,
  })
  .passthrough();

/** An event as `inngest.send` posts it. */
export const incomingEventSchema = z
  .object({
    name: z.string().min(1, "an event needs a name").max(256),
    data: z.record(z.string(), z.unknown()).optional().nullable(),
    id: z.string().min(1).max(512).optional().nullable(),
    ts: z.number().int().positive().optional().nullable(),
    user: z.record(z.string(), z.unknown()).optional().nullable(),
    v: z.string().optional().nullable(),
  })
  .passthrough();
export type IncomingEvent = z.infer<typeof incomingEventSchema>;

/** The event a function receives. */
export type RunEvent = {
  name: string;
  data: Record<string, unknown>;
  id: string;
  ts: number;
  user?: Record<string, unknown>;
  v?: string;
};

/** JSON in RFC 8785 canonical form: what the SDK hashes when it checks a signature on a parsed body. */
export function canonicalJson(value: unknown): string {
  const out = canonicalize(value);
  if (out === undefined) throw new Error("value cannot be serialised as JSON");
  return out;
}

function keyMaterial(signingKey: string): string {
  return signingKey.replace(/^signkey-[\w]+-/, "");
}

/** `X-Inngest-Signature` for a body: `t=<unix seconds>&s=<hex HMAC-SHA256(body + t)>`. */
export function signBody(body: string, signingKey: string, nowMs = Date.now()): string {
  const t = Math.floor(nowMs / 1000).toString();
  const s = createHmac("sha256", keyMaterial(signingKey))
    .update(body + t)
    .digest("hex");
  return `t=${t}&s=${s}`;
}

/** Checks a signature header over a body (the SDK signs its responses the same way); 5-minute window. */
export function verifySignature(
  body: string,
  header: string | null,
  signingKey: string,
  nowMs = Date.now(),
): boolean {
  if (!header) return false;
  const params = new URLSearchParams(header);
  const t = params.get("t");
  const s = params.get("s");
  if (!t || !s || !/^\d+$/.test(t)) return false;
  if (Math.abs(nowMs - Number(t) * 1000) > 5 * 60_000) return false;
  const want = createHmac("sha256", keyMaterial(signingKey))
    .update(body + t)
    .digest("hex");
  return safeEqual(want, s);
}

/** The bearer token the SDK sends to the API: the key's prefix kept, the rest sha256 of its hex bytes. */
export function hashSigningKey(signingKey: string): string {
  const prefix = signingKey.match(/^signkey-[\w]+-/)?.[0] ?? "";
  return (
    prefix +
    createHash("sha256")
      .update(Buffer.from(keyMaterial(signingKey), "hex"))
      .digest("hex")
  );
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A signing key the SDK can use: `signkey-<env>-<hex>`, the hex part even-length. */
export function isSigningKey(key: string): boolean {
  return /^signkey-[\w]+-([0-9a-f]{2})+$/i.test(key);
}

/** A deterministic UUID for a function (the real server sends its internal function UUID as ctx.fn_id). */
export function functionUuid(appId: string, fnId: string): string {
  const h = createHash("sha256").update(`${appId}\0${fnId}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
