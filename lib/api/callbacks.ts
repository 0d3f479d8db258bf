import { createHmac, timingSafeEqual } from "node:crypto";
import { and, asc, desc, eq, inArray, lte, sql } from "drizzle-orm";
import { getDb } from "@/db";
import {
  type CallbackAttempt,
  type CallbackDelivery,
  callbackAttempts,
  callbackDeliveries,
  type Order,
  type OrderEvent,
} from "@/db/schema";
import { callbackRequested } from "@/inngest/events";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { type OutgoingEvent, sendEvent } from "@/lib/events";
import { logger } from "@/lib/log";
import {
  isPrivateHostLiteral,
  isPublicIp,
  type OutboundPost,
  OutboundRefused,
  postOutbound,
} from "@/lib/security/outbound";
import { getCallbackSecret } from "./keys";
import type { CallbackPayload } from "./schemas";

/**
 * Signed order callbacks. On every status change of an order that has a callback URL, one
 * `callback_deliveries` row (unique per order event, holding the exact body) is written and
 * `api/callback.requested` is sent; the `deliver-callback` Inngest function POSTs it with backoff
 * and records every attempt in `callback_attempts`.
 *
 * Signature recipe (also in the OpenAPI document and the docs page):
 *   X-TEH-Timestamp: <unix seconds>
 *   X-TEH-Signature: v1=<hex HMAC-SHA256(callback secret, "<timestamp>.<raw body>")>
 * Receivers recompute it over the raw body bytes, compare in constant time, and reject timestamps
 * more than 5 minutes old.
 */

export const SIGNATURE_HEADER = "x-teh-signature";
export const TIMESTAMP_HEADER = "x-teh-timestamp";
const SIGNATURE_TOLERANCE_SECONDS = 300;

/** Waits between attempts (attempt n+1 waits BACKOFF[n-1]); 8 attempts over about 4.7 hours. */
export const CALLBACK_BACKOFF = ["10s", "30s", "2m", "10m", "30m", "1h", "3h"] as const;
export const CALLBACK_MAX_ATTEMPTS = CALLBACK_BACKOFF.length + 1;
export const CALLBACK_TIMEOUT_MS = 10_000;

export function signCallback(secret: string, timestamp: number | string, rawBody: string): string {
  return `v1=${createHmac("sha256", secret).update(`${timestamp}.${rawBody}`).digest("hex")}`;
}

/** The receiver's side of the recipe (what integrators implement; our tests use it too). */
export function verifyCallbackSignature(input: {
  secret: string;
  timestamp: string | null;
  signature: string | null;
  rawBody: string;
  nowSeconds?: number;
}): boolean {
  const { timestamp, signature } = input;
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return false;
  const now = input.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - Number(timestamp)) > SIGNATURE_TOLERANCE_SECONDS) return false;
  const expected = Buffer.from(signCallback(input.secret, timestamp, input.rawBody));
  const got = Buffer.from(signature);
  return expected.length === got.length && timingSafeEqual(expected, got);
}

// ------------------------------------------------------------------------------- URL safety

/** Loopback, private, link-local, CGNAT, multicast, reserved — in any IPv4 or IPv6 form. */
export const isPrivateIp = (ip: string): boolean => !isPublicIp(ip);

/**
 * Where deliveries may go: production refuses every non-public address (lib/security/outbound);
 * development and tests deliver to loopback receivers. Tests switch `allowPrivate` off to see the
 * production rules.
 */
export const callbackNetwork: {
  allowPrivate: boolean;
  timeoutMs: number;
  resolver?: OutboundPost["resolver"];
  isPublic?: OutboundPost["isPublic"];
} = { allowPrivate: env.NODE_ENV !== "production", timeoutMs: CALLBACK_TIMEOUT_MS };

/**
 * The operator's explicit exceptions (CALLBACK_PRIVATE_RECEIVERS): exact host:port pairs a callback
 * may reach although they are private. Compared on the URL's host and effective port as written.
 */
function isAllowedPrivateReceiver(u: URL, list = env.CALLBACK_PRIVATE_RECEIVERS): boolean {
  const port = u.port || (u.protocol === "https:" ? "443" : "80");
  const here = `${u.hostname.toLowerCase()}:${port}`;
  return list
    .split(",")
    .map((x) => x.trim().toLowerCase())
    .some((x) => x !== "" && x === here);
}

/** Bytes of a receiver's reply read at most (only its status matters). */
const CALLBACK_MAX_RESPONSE_BYTES = 64 * 1024;

function badUrl(message: string): AppError {
  return new AppError("bad_request", message, { fields: { callback_url: message } });
}

/**
 * Validates a callback URL when an order is created: http(s), no credentials, and (in production)
 * no loopback/private host in any notation. Returns the normalized URL. Names are resolved and
 * checked again at every delivery, inside the connection.
 */
export function assertCallbackUrl(raw: string, opts: { production?: boolean } = {}): string {
  const production = opts.production ?? !callbackNetwork.allowPrivate;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw badUrl("Callback URL must be an absolute http(s) URL.");
  }
  if (u.protocol !== "http:" && u.protocol !== "https:")
    throw badUrl("Callback URL must be an absolute http(s) URL.");
  if (u.username || u.password) throw badUrl("Callback URL must not contain a user name or password.");
  if (production && isPrivateHostLiteral(u.hostname) && !isAllowedPrivateReceiver(u))
    throw badUrl("Callback URL must point at a public address.");
  return u.toString();
}

// ------------------------------------------------------------------------------- enqueue

const callbackEventId = (deliveryId: number) => `callback-${deliveryId}`;

/**
 * Called for every order status change (the `order-callback` Inngest function, on
 * `order/status.changed`): a status change of an API order with a callback URL becomes one delivery
 * (unique per order event, so a repeated event adds nothing).
 */
export async function enqueueOrderCallback(
  order: Order,
  event: OrderEvent,
  orderJson: (o: Order) => Promise<CallbackPayload["order"]>,
): Promise<number | null> {
  if (!order.callbackUrl || !order.apiKeyId || !event.toStatus) return null;
  const payload: CallbackPayload = {
    id: `evt_${event.id}`,
    type: "order.updated",
    created_at: event.createdAt.toISOString(),
    order: await orderJson(order),
  };
  const db = await getDb();
  const [row] = await db
    .insert(callbackDeliveries)
    .values({
      orderId: order.id,
      orderEventId: event.id,
      userId: order.userId,
      apiKeyId: order.apiKeyId,
      url: order.callbackUrl,
      orderStatus: event.toStatus,
      payload: JSON.stringify(payload),
      nextAttemptAt: new Date(),
    })
    .onConflictDoNothing()
    .returning({ id: callbackDeliveries.id });
  if (!row) return null;
  await sendEvent(
    callbackRequested.create({ deliveryId: row.id, orderId: order.id }, { id: callbackEventId(row.id) }),
  );
  return row.id;
}

/** How long a written delivery may wait for its first attempt before the sweep sends it again. */
const CALLBACK_RESEND_AFTER_MS = 2 * 60_000;

/**
 * Deliveries still pending with no attempt made, written more than CALLBACK_RESEND_AFTER_MS ago
 * (oldest first): their `api/callback.requested` may never have reached Inngest (it was down when
 * the order changed, and nothing else sends it). The safety sweep sends them again with the same
 * event id, which Inngest deduplicates, as does deliver-callback's idempotency on the delivery,
 * when the first one did arrive and the run is only waiting its turn behind the order's others.
 */
export async function findUnsentCallbacks(limit = 100): Promise<OutgoingEvent[]> {
  const db = await getDb();
  const rows = await db
    .select({ id: callbackDeliveries.id, orderId: callbackDeliveries.orderId })
    .from(callbackDeliveries)
    .where(
      and(
        eq(callbackDeliveries.status, "pending"),
        eq(callbackDeliveries.attempts, 0),
        lte(callbackDeliveries.createdAt, new Date(Date.now() - CALLBACK_RESEND_AFTER_MS)),
      ),
    )
    .orderBy(asc(callbackDeliveries.id))
    .limit(limit);
  return rows.map((r) =>
    callbackRequested.create({ deliveryId: r.id, orderId: r.orderId }, { id: callbackEventId(r.id) }),
  );
}

// ------------------------------------------------------------------------------- deliver

export type AttemptResult = {
  outcome: "delivered" | "retry" | "failed" | "skipped";
  attempt: number;
  httpStatus: number | null;
  error: string | null;
};

function describeFailure(e: unknown): string {
  const err = e as { name?: string; cause?: { code?: string }; message?: string };
  if (err?.name === "TimeoutError" || err?.name === "AbortError") return "timed out";
  const code = err?.cause?.code;
  if (code === "ECONNREFUSED") return "connection refused";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "host not found";
  if (code === "ECONNRESET") return "connection reset";
  if (e instanceof OutboundRefused) return e.message;
  const own = (err as { code?: string })?.code;
  if (own === "ECONNREFUSED") return "connection refused";
  if (own === "ENOTFOUND" || own === "EAI_AGAIN") return "host not found";
  if (own === "ECONNRESET") return "connection reset";
  return "request failed";
}

/**
 * One POST of a pending delivery, numbered `attempt` (1-based), under the outbound rules of
 * lib/security/outbound (public addresses only, resolved once, no redirects, reply size and time
 * capped). 2xx → delivered; anything else → retry, or failed when it was the last attempt.
 * Re-running the same attempt number (a replayed step) does not POST twice.
 */
export async function attemptDelivery(deliveryId: number, attempt: number): Promise<AttemptResult> {
  const db = await getDb();
  const [d] = await db.select().from(callbackDeliveries).where(eq(callbackDeliveries.id, deliveryId));
  if (d?.status !== "pending" || !d.payload)
    return { outcome: "skipped", attempt, httpStatus: null, error: d ? `already ${d.status}` : "missing" };
  const [done] = await db
    .select()
    .from(callbackAttempts)
    .where(and(eq(callbackAttempts.deliveryId, deliveryId), eq(callbackAttempts.attempt, attempt)));
  if (done) return { outcome: "retry", attempt, httpStatus: done.httpStatus, error: done.error };

  const last = attempt >= CALLBACK_MAX_ATTEMPTS;
  const secret = d.apiKeyId ? await getCallbackSecret(d.apiKeyId) : null;
  let httpStatus: number | null = null;
  let error: string | null = null;
  const started = Date.now();
  if (!secret || secret.revoked) {
    error = "api key revoked";
  } else {
    try {
      const ts = Math.floor(Date.now() / 1000);
      const res = await postOutbound({
        url: d.url,
        maxResponseBytes: CALLBACK_MAX_RESPONSE_BYTES,
        headers: {
          "content-type": "application/json",
          "user-agent": "TRON-Energy-Helper-Callbacks/1",
          [TIMESTAMP_HEADER]: String(ts),
          [SIGNATURE_HEADER]: signCallback(secret.secret, ts, d.payload),
          "x-teh-delivery": String(d.id),
          "x-teh-attempt": String(attempt),
        },
        body: d.payload,
        ...callbackNetwork,
        allowPrivate: callbackNetwork.allowPrivate || isAllowedPrivateReceiver(new URL(d.url)),
      });
      httpStatus = res.status;
      if (res.status >= 300 && res.status < 400) error = `HTTP ${res.status} (redirects are not followed)`;
      else if (res.status < 200 || res.status >= 300) error = `HTTP ${res.status}`;
    } catch (e) {
      error = describeFailure(e);
    }
  }
  const durationMs = Date.now() - started;
  const revoked = error === "api key revoked";
  const outcome: AttemptResult["outcome"] = !error ? "delivered" : last || revoked ? "failed" : "retry";
  await db.transaction(async (tx) => {
    await tx
      .insert(callbackAttempts)
      .values({ deliveryId, attempt, httpStatus, error, durationMs })
      .onConflictDoNothing();
    await tx
      .update(callbackDeliveries)
      .set({
        attempts: sql`greatest(${callbackDeliveries.attempts}, ${attempt})`,
        lastHttpStatus: httpStatus,
        lastError: error,
        status: outcome === "delivered" ? "delivered" : outcome === "failed" ? "failed" : "pending",
        deliveredAt: outcome === "delivered" ? new Date() : null,
        nextAttemptAt: outcome === "retry" ? new Date(Date.now() + backoffMs(attempt)) : null,
      })
      .where(and(eq(callbackDeliveries.id, deliveryId), eq(callbackDeliveries.status, "pending")));
  });
  if (outcome !== "delivered")
    logger.info({ deliveryId, attempt, httpStatus, error, outcome }, "callback delivery not accepted");
  return { outcome, attempt, httpStatus, error };
}

function backoffMs(attempt: number): number {
  const s = CALLBACK_BACKOFF[attempt - 1];
  if (!s) return 0;
  const n = Number.parseInt(s, 10);
  return n * (s.endsWith("h") ? 3_600_000 : s.endsWith("m") ? 60_000 : 1000);
}

/** Gives up on a delivery that is still pending (after the last attempt). */
export async function markDeliveryFailed(deliveryId: number): Promise<void> {
  const db = await getDb();
  await db
    .update(callbackDeliveries)
    .set({ status: "failed", nextAttemptAt: null })
    .where(and(eq(callbackDeliveries.id, deliveryId), eq(callbackDeliveries.status, "pending")));
}

// ------------------------------------------------------------------------------- reads (portal)

type DeliveryView = CallbackDelivery & { attemptLog: CallbackAttempt[] };

/** The user's latest deliveries with their attempts (newest first). */
export async function listCallbackDeliveries(input: {
  userId: number;
  limit?: number;
}): Promise<DeliveryView[]> {
  const db = await getDb();
  const rows = await db
    .select()
    .from(callbackDeliveries)
    .where(eq(callbackDeliveries.userId, input.userId))
    .orderBy(desc(callbackDeliveries.id))
    .limit(Math.min(Math.max(input.limit ?? 50, 1), 200));
  const attempts = rows.length
    ? await db
        .select()
        .from(callbackAttempts)
        .where(
          inArray(
            callbackAttempts.deliveryId,
            rows.map((r) => r.id),
          ),
        )
        .orderBy(callbackAttempts.deliveryId, callbackAttempts.attempt)
    : [];
  return rows.map((r) => ({ ...r, attemptLog: attempts.filter((a) => a.deliveryId === r.id) }));
}
