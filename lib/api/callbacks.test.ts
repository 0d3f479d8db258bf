import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { InngestTestEngine } from "@inngest/test";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { POST as cancelRoute } from "@/app/api/v1/orders/[id]/cancel/route";
import { POST as createRoute } from "@/app/api/v1/orders/route";
import { getDb } from "@/db";
import { callbackAttempts, callbackDeliveries } from "@/db/schema";
import { deliverCallback } from "@/inngest/functions/deliver-callback";
import { capturedEvents } from "@/lib/events";
import { freshReceiver, fundedUser, type OrderKit, startOrderKit } from "@/lib/orders/testing";
import "@/lib/api/hooks";
import {
  assertCallbackUrl,
  CALLBACK_MAX_ATTEMPTS,
  isPrivateIp,
  listCallbackDeliveries,
  signCallback,
  verifyCallbackSignature,
} from "./callbacks";
import { createApiKey, revokeApiKey } from "./keys";
import { keyLimiter } from "./rate-limit";
import { callbackPayloadSchema } from "./schemas";

/** Signed callbacks end to end: order change → delivery row → Inngest function → loopback receiver. */

type Hit = { headers: Record<string, string>; body: string };
let kit: OrderKit;
let server: Server;
let url: string;
let hits: Hit[] = [];
let answers: number[] = [];

beforeAll(async () => {
  kit = await startOrderKit({ autoMine: true });
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      hits.push({ headers: req.headers as Record<string, string>, body });
      res.statusCode = answers.shift() ?? 200;
      res.end("ok");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});
afterAll(async () => {
  await kit?.close();
  await new Promise((r) => server?.close(r));
});
beforeEach(async () => {
  hits = [];
  answers = [];
  await keyLimiter.reset();
});

async function customer() {
  const userId = await fundedUser(10_000_000_000n);
  const k = await createApiKey({ userId, name: "cb" });
  return { userId, key: k.key, keyId: k.apiKey.id, secret: k.callbackSecret };
}

async function orderWithCallback(c: { key: string }) {
  const res = await createRoute(
    new Request("http://localhost/api/v1/orders", {
      method: "POST",
      headers: {
        authorization: `Bearer ${c.key}`,
        "content-type": "application/json",
        "idempotency-key": `cb-${Math.random()}`,
      },
      body: JSON.stringify({
        receiver: await freshReceiver(kit),
        energy: 65_000,
        duration: "1h",
        callback_url: url,
      }),
    }),
  );
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string };
}

function requestedFor(orderId: string) {
  return capturedEvents.filter(
    (e) => e.name === "api/callback.requested" && String(e.data.orderId) === orderId,
  );
}

const sleeps = () =>
  Array.from({ length: CALLBACK_MAX_ATTEMPTS }, (_, i) => ({ id: `backoff-${i + 2}`, handler: () => null }));

function run(deliveryId: number, orderId: number) {
  return new InngestTestEngine({ function: deliverCallback }).execute({
    events: [{ name: "api/callback.requested", data: { deliveryId, orderId } }],
    steps: sleeps(), // a fresh array: the engine records step results into it
  });
}

async function deliveryRow(id: number) {
  const db = await getDb();
  const [d] = await db.select().from(callbackDeliveries).where(eq(callbackDeliveries.id, id));
  const attempts = await db.select().from(callbackAttempts).where(eq(callbackAttempts.deliveryId, id));
  return { d, attempts };
}

describe("order callbacks", () => {
  it("a paid order enqueues one signed delivery that verifies with the documented recipe", async () => {
    const c = await customer();
    const o = await orderWithCallback(c);
    const evs = requestedFor(o.id);
    expect(evs).toHaveLength(1);
    expect(evs[0].id).toBe(`callback-${evs[0].data.deliveryId}`);
    const deliveryId = Number(evs[0].data.deliveryId);

    const r = await run(deliveryId, Number(o.id));
    expect(r.error).toBeUndefined();
    expect(r.result).toMatchObject({ outcome: "delivered", attempt: 1, httpStatus: 200 });
    expect(hits).toHaveLength(1);
    const h = hits[0];
    const ts = h.headers["x-teh-timestamp"];
    const sig = h.headers["x-teh-signature"];
    expect(sig).toMatch(/^v1=[0-9a-f]{64}$/);
    // the recipe: v1=hex(HMAC-SHA256(secret, `${timestamp}.${rawBody}`))
    const { createHmac } = await import("node:crypto");
    expect(sig).toBe(`v1=${createHmac("sha256", c.secret).update(`${ts}.${h.body}`).digest("hex")}`);
    expect(
      verifyCallbackSignature({ secret: c.secret, timestamp: ts, signature: sig, rawBody: h.body }),
    ).toBe(true);
    expect(
      verifyCallbackSignature({ secret: c.secret, timestamp: ts, signature: sig, rawBody: `${h.body} ` }),
    ).toBe(false);
    expect(
      verifyCallbackSignature({ secret: "teh_whsec_other", timestamp: ts, signature: sig, rawBody: h.body }),
    ).toBe(false);
    const old = String(Number(ts) - 301);
    expect(
      verifyCallbackSignature({
        secret: c.secret,
        timestamp: old,
        signature: signCallback(c.secret, old, h.body),
        rawBody: h.body,
      }),
    ).toBe(false);
    const payload = callbackPayloadSchema.parse(JSON.parse(h.body));
    expect(payload).toMatchObject({
      type: "order.updated",
      order: { id: o.id, status: "paid", callback_url: url },
    });
    expect(h.headers["content-type"]).toBe("application/json");

    const { d, attempts } = await deliveryRow(deliveryId);
    expect(d).toMatchObject({ status: "delivered", attempts: 1, lastHttpStatus: 200, orderStatus: "paid" });
    expect(attempts).toHaveLength(1);

    // a re-run of the same event (duplicate) posts nothing more
    const again = await run(deliveryId, Number(o.id));
    expect(again.result).toMatchObject({ outcome: "skipped" });
    expect(hits).toHaveLength(1);
  });

  it("every status change gets its own delivery (cancel → cancelled, refunded)", async () => {
    const c = await customer();
    const o = await orderWithCallback(c);
    const res = await cancelRoute(
      new Request(`http://localhost/api/v1/orders/${o.id}/cancel`, {
        method: "POST",
        headers: { authorization: `Bearer ${c.key}` },
      }),
      { params: Promise.resolve({ id: o.id }) },
    );
    expect(res.status).toBe(200);
    const evs = requestedFor(o.id);
    expect(evs).toHaveLength(3);
    const rows = await listCallbackDeliveries({ userId: c.userId });
    expect(rows.map((r) => r.orderStatus).sort()).toEqual(["cancelled", "paid", "refunded"]);
    const refunded = rows.find((r) => r.orderStatus === "refunded")!;
    expect(JSON.parse(refunded.payload!).order.status).toBe("refunded");
    const other = await customer();
    expect(await listCallbackDeliveries({ userId: other.userId })).toEqual([]);
  });

  it("a failing receiver is retried with backoff, every attempt recorded, then marked failed", async () => {
    const c = await customer();
    const o = await orderWithCallback(c);
    const deliveryId = Number(requestedFor(o.id)[0].data.deliveryId);
    answers = Array(CALLBACK_MAX_ATTEMPTS).fill(500);
    const r = await run(deliveryId, Number(o.id));
    expect(r.error).toBeUndefined();
    expect(r.result).toMatchObject({ outcome: "failed", httpStatus: 500 });
    expect(hits).toHaveLength(CALLBACK_MAX_ATTEMPTS);
    expect(new Set(hits.map((h) => h.body)).size).toBe(1); // same bytes every time
    expect(hits.map((h) => h.headers["x-teh-attempt"])).toEqual(
      Array.from({ length: CALLBACK_MAX_ATTEMPTS }, (_, i) => String(i + 1)),
    );
    const sleepCalls = (r.ctx.step.sleep as any).mock.calls.map((x: unknown[]) => x.slice(0, 2));
    expect(sleepCalls).toEqual([
      ["backoff-2", "10s"],
      ["backoff-3", "30s"],
      ["backoff-4", "2m"],
      ["backoff-5", "10m"],
      ["backoff-6", "30m"],
      ["backoff-7", "1h"],
      ["backoff-8", "3h"],
    ]);
    const { d, attempts } = await deliveryRow(deliveryId);
    expect(d).toMatchObject({
      status: "failed",
      attempts: CALLBACK_MAX_ATTEMPTS,
      lastHttpStatus: 500,
      lastError: "HTTP 500",
    });
    expect(attempts.map((a) => a.httpStatus)).toEqual(Array(CALLBACK_MAX_ATTEMPTS).fill(500));
    const [view] = (await listCallbackDeliveries({ userId: c.userId })).filter((x) => x.id === deliveryId);
    expect(view.attemptLog).toHaveLength(CALLBACK_MAX_ATTEMPTS);
  });

  it("a receiver that recovers gets it on a later attempt; a refused connection is recorded", async () => {
    const c = await customer();
    const o = await orderWithCallback(c);
    const deliveryId = Number(requestedFor(o.id)[0].data.deliveryId);
    answers = [503, 302];
    const r = await run(deliveryId, Number(o.id));
    expect(r.result).toMatchObject({ outcome: "delivered", attempt: 3 });
    const { d, attempts } = await deliveryRow(deliveryId);
    expect(d.status).toBe("delivered");
    expect(attempts.map((a) => a.httpStatus)).toEqual([503, 302, 200]);

    // nobody listening (a port that was just freed)
    const tmp = createServer();
    await new Promise<void>((r) => tmp.listen(0, "127.0.0.1", () => r()));
    const freePort = (tmp.address() as AddressInfo).port;
    await new Promise((r) => tmp.close(r));
    const db = await getDb();
    const [row] = await db
      .insert(callbackDeliveries)
      .values({
        ...d,
        id: undefined,
        orderEventId: null,
        status: "pending",
        attempts: 0,
        url: `http://127.0.0.1:${freePort}/x`,
      } as any)
      .returning();
    const { attemptDelivery } = await import("./callbacks");
    const a = await attemptDelivery(row.id, 1);
    expect(a).toMatchObject({ outcome: "retry", httpStatus: null, error: "connection refused" });
  });

  it("a revoked key's callbacks stop (failed, not posted)", async () => {
    const c = await customer();
    const o = await orderWithCallback(c);
    const deliveryId = Number(requestedFor(o.id)[0].data.deliveryId);
    await revokeApiKey({ userId: c.userId, keyId: c.keyId });
    const r = await run(deliveryId, Number(o.id));
    expect(r.result).toMatchObject({ outcome: "failed", error: "api key revoked" });
    expect(hits).toHaveLength(0);
  });
});

describe("callback URL safety", () => {
  it.each([
    ["127.0.0.1", true],
    ["10.1.2.3", true],
    ["172.16.0.1", true],
    ["172.32.0.1", false],
    ["192.168.1.1", true],
    ["169.254.169.254", true],
    ["100.64.0.1", true],
    ["0.0.0.0", true],
    ["8.8.8.8", false],
    ["::1", true],
    ["fd00::1", true],
    ["fe80::1", true],
    ["::ffff:127.0.0.1", true],
    ["2001:4860:4860::8888", false],
  ])("isPrivateIp(%s) = %s", (ip, expected) => {
    expect(isPrivateIp(ip)).toBe(expected);
  });

  it("refuses loopback and private hosts in production, allows them otherwise", () => {
    expect(assertCallbackUrl("http://127.0.0.1:9/x")).toBe("http://127.0.0.1:9/x");
    for (const u of [
      "http://127.0.0.1/x",
      "http://localhost/x",
      "http://[::1]/x",
      "http://10.0.0.5/x",
      "http://169.254.169.254/",
    ])
      expect(() => assertCallbackUrl(u, { production: true }), u).toThrow(/public address/);
    expect(assertCallbackUrl("https://example.com/hook", { production: true })).toBe(
      "https://example.com/hook",
    );
  });
});
