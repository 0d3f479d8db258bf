import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { InngestTestEngine } from "@inngest/test";
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { POST as cancelRoute } from "@/app/api/v1/orders/[id]/cancel/route";
import { POST as createRoute } from "@/app/api/v1/orders/route";
import { getDb } from "@/db";
import { callbackAttempts, callbackDeliveries } from "@/db/schema";
import { deliverCallback } from "@/inngest/functions/deliver-callback";
import { safetySweep } from "@/inngest/functions/safety-sweep";
import { capturedEvents, setEventSender } from "@/lib/events";
import { deliveringSender } from "@/test/domain-events";
import { type ApiCustomer, test } from "@/test/fixtures";
import { orderKitWithPoolOnce } from "@/test/order-kit";
import { freshReceiver } from "@/lib/orders/testing";
import {
  assertCallbackUrl,
  attemptDelivery,
  CALLBACK_MAX_ATTEMPTS,
  CALLBACK_TIMEOUT_MS,
  callbackNetwork,
  isPrivateIp,
  listCallbackDeliveries,
  signCallback,
  verifyCallbackSignature,
} from "./callbacks";
import { revokeApiKey } from "./keys";
import { keyLimiter } from "./rate-limit";
import { callbackPayloadSchema } from "./schemas";

/** Signed callbacks end to end: order change → delivery row → Inngest function → loopback receiver. */

type Hit = { headers: Record<string, string>; body: string };
const kit = orderKitWithPoolOnce(); // orders are only taken when the pool can cover them
let server: Server;
let url: string;
let hits: Hit[] = [];
let answers: number[] = [];

beforeAll(async () => {
  setEventSender(deliveringSender); // order changes reach the order-callback function, as in the worker
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
  await new Promise((r) => server?.close(r));
});
beforeEach(async () => {
  hits = [];
  answers = [];
  await keyLimiter.reset();
});

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
  test("a paid order enqueues one signed delivery that verifies with the documented recipe", async ({
    apiCustomer,
  }) => {
    const c = await apiCustomer();
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

  test("every status change gets its own delivery (cancel → cancelled, refunded)", async ({
    apiCustomer,
  }) => {
    const c = await apiCustomer();
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
    const other = await apiCustomer();
    expect(await listCallbackDeliveries({ userId: other.userId })).toEqual([]);
  });

  test("a failing receiver is retried with backoff, every attempt recorded, then marked failed", async ({
    apiCustomer,
  }) => {
    const c = await apiCustomer();
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

  test("a receiver that recovers gets it on a later attempt; a refused connection is recorded", async ({
    apiCustomer,
  }) => {
    const c = await apiCustomer();
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
    const a = await attemptDelivery(row.id, 1);
    expect(a).toMatchObject({ outcome: "retry", httpStatus: null, error: "connection refused" });
  });

  test("a revoked key's callbacks stop (failed, not posted)", async ({ apiCustomer }) => {
    const c = await apiCustomer();
    const o = await orderWithCallback(c);
    const deliveryId = Number(requestedFor(o.id)[0].data.deliveryId);
    await revokeApiKey({ userId: c.userId, keyId: c.keyId });
    const r = await run(deliveryId, Number(o.id));
    expect(r.result).toMatchObject({ outcome: "failed", error: "api key revoked" });
    expect(hits).toHaveLength(0);
  });
});

describe("callbacks whose event never reached Inngest", () => {
  const sweep = () => new InngestTestEngine({ function: safetySweep }).execute({});
  const resentFor = (deliveryId: number) =>
    capturedEvents.filter((e) => e.name === "api/callback.requested" && e.data.deliveryId === deliveryId);

  test("are sent again by the safety sweep under the same event id, once no attempt was made for 2 minutes", async ({
    apiCustomer,
  }) => {
    const c = await apiCustomer();
    // Inngest goes down between the delivery's write and its api/callback.requested
    setEventSender(async (events) => {
      if (events.some((e) => e.name === "api/callback.requested")) throw new Error("Inngest is down");
      await deliveringSender(events);
    });
    let o: { id: string };
    try {
      o = await orderWithCallback(c);
    } finally {
      setEventSender(deliveringSender);
    }
    expect(requestedFor(o.id)).toHaveLength(0);
    const [row] = await listCallbackDeliveries({ userId: c.userId });
    expect(row).toMatchObject({ orderId: Number(o.id), status: "pending", attempts: 0 });

    // written just now: the first event may still be on its way, so the sweep leaves it
    let r = await sweep();
    expect(r.error).toBeUndefined();
    expect(resentFor(row.id)).toHaveLength(0);

    const db = await getDb();
    await db
      .update(callbackDeliveries)
      .set({ createdAt: new Date(Date.now() - 3 * 60_000) })
      .where(eq(callbackDeliveries.id, row.id));
    r = await sweep();
    expect(r.error).toBeUndefined();
    const resent = resentFor(row.id);
    expect(resent).toHaveLength(1);
    expect(resent[0]).toMatchObject({ id: `callback-${row.id}`, data: { orderId: Number(o.id) } });
    expect((r.result as { callbacks: number[] }).callbacks).toContain(row.id);

    const delivered = await run(row.id, Number(o.id));
    expect(delivered.result).toMatchObject({ outcome: "delivered", attempt: 1 });
    expect(hits).toHaveLength(1);

    // attempted (delivered): never sent again
    capturedEvents.length = 0;
    await sweep();
    expect(resentFor(row.id)).toHaveLength(0);
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
    // every form that embeds an IPv4 address is judged by that address
    ["::ffff:7f00:1", true], // the URL parser's spelling of [::ffff:127.0.0.1]
    ["::ffff:a9fe:a9fe", true], // cloud metadata 169.254.169.254
    ["::7f00:1", true], // IPv4-compatible
    ["::ffff:0:7f00:1", true], // SIIT
    ["64:ff9b::a9fe:a9fe", true], // NAT64 well-known prefix
    ["64:ff9b:1::7f00:1", true], // NAT64 local-use prefix
    ["2002:7f00:1::1", true], // 6to4 of 127.0.0.1
    ["2001:0:4136:e378:8000:63bf:3fff:fdd2", true], // Teredo: refused outright
    ["::ffff:8.8.8.8", false],
    ["64:ff9b::808:808", false],
    ["198.18.0.1", true],
    ["192.0.2.1", true],
    ["255.255.255.255", true],
    ["2001:db8::1", true],
    ["not an ip", true],
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
      "http://[::ffff:127.0.0.1]:8080/",
      "http://[::ffff:a9fe:a9fe]/",
      "http://[::7f00:1]/",
      "http://[64:ff9b::a9fe:a9fe]/",
      "http://2130706433/",
      "http://0x7f.1/",
      "http://metadata.google.internal/",
      "http://intranet/",
    ])
      expect(() => assertCallbackUrl(u, { production: true }), u).toThrow(/public address/);
    expect(assertCallbackUrl("https://example.com/hook", { production: true })).toBe(
      "https://example.com/hook",
    );
  });
});

describe("callback delivery refuses private targets (production rules)", () => {
  let target: Server;
  let targetPort: number;
  let targetHits = 0;
  beforeAll(async () => {
    target = createServer((_req, res) => {
      targetHits++;
      res.end("internal");
    });
    await new Promise<void>((r) => target.listen(0, "127.0.0.1", () => r()));
    targetPort = (target.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((r) => target.close(r)));
  beforeEach(() => {
    targetHits = 0;
    callbackNetwork.allowPrivate = false;
  });
  afterEach(() => {
    callbackNetwork.allowPrivate = true;
    callbackNetwork.resolver = undefined;
    callbackNetwork.isPublic = undefined;
    callbackNetwork.timeoutMs = CALLBACK_TIMEOUT_MS;
  });

  /** A pending delivery to `to` (as an order created before the rules, or a name that resolves later). */
  async function deliveryTo(c: ApiCustomer, to: string) {
    const rules = callbackNetwork.allowPrivate;
    callbackNetwork.allowPrivate = true;
    const o = await orderWithCallback(c);
    callbackNetwork.allowPrivate = rules;
    const deliveryId = Number(requestedFor(o.id)[0].data.deliveryId);
    const db = await getDb();
    await db.update(callbackDeliveries).set({ url: to }).where(eq(callbackDeliveries.id, deliveryId));
    return deliveryId;
  }

  test.for([
    ["http://[::ffff:127.0.0.1]:PORT/scan"],
    ["http://[::7f00:1]:PORT/scan"],
    ["http://[::ffff:0:7f00:1]:PORT/scan"],
    ["http://[64:ff9b::7f00:1]:PORT/scan"],
    ["http://127.0.0.1:PORT/scan"],
    ["http://localhost:PORT/scan"],
    ["http://[::ffff:a9fe:a9fe]/latest/meta-data/"],
  ])("%s is refused: nothing sent, not recorded as delivered", async ([raw], { apiCustomer }) => {
    const url = raw.replace("PORT", String(targetPort));
    const id = await deliveryTo(await apiCustomer(), url);
    const r = await attemptDelivery(id, 1);
    expect(r.outcome).toBe("retry");
    expect(r.error).toBe("host is not public");
    expect(r.httpStatus).toBeNull();
    expect(targetHits).toBe(0);
    const { d } = await deliveryRow(id);
    expect(d.status).toBe("pending");
    expect(d.deliveredAt).toBeNull();
  });

  test("only the exact host:port pairs an operator lists in CALLBACK_PRIVATE_RECEIVERS are let through", async ({
    apiCustomer,
  }) => {
    const { env } = await import("@/lib/env");
    const saved = env.CALLBACK_PRIVATE_RECEIVERS;
    try {
      env.CALLBACK_PRIVATE_RECEIVERS = `127.0.0.1:${targetPort + 1}, 10.0.0.5:8080`;
      const other = await deliveryTo(await apiCustomer(), `http://127.0.0.1:${targetPort}/hook`);
      expect((await attemptDelivery(other, 1)).error).toBe("host is not public");
      expect(() => assertCallbackUrl(`http://127.0.0.1:${targetPort}/hook`, { production: true })).toThrow(
        /public address/,
      );
      env.CALLBACK_PRIVATE_RECEIVERS = `127.0.0.1:${targetPort}`;
      expect(assertCallbackUrl(`http://127.0.0.1:${targetPort}/hook`, { production: true })).toContain(
        "127.0.0.1",
      );
      expect(() =>
        assertCallbackUrl(`http://[::ffff:127.0.0.1]:${targetPort}/`, { production: true }),
      ).toThrow();
      const listed = await deliveryTo(await apiCustomer(), `http://127.0.0.1:${targetPort}/hook`);
      const r = await attemptDelivery(listed, 1);
      expect(r.outcome).toBe("delivered");
      expect(targetHits).toBe(1);
    } finally {
      env.CALLBACK_PRIVATE_RECEIVERS = saved;
    }
  });

  test("a name that resolves to a private address is refused, checked once inside the connection", async ({
    apiCustomer,
  }) => {
    let calls = 0;
    callbackNetwork.resolver = async () => {
      calls++;
      return [{ address: "127.0.0.1", family: 4 }];
    };
    const id = await deliveryTo(await apiCustomer(), `http://hooks.example.com:${targetPort}/x`);
    const r = await attemptDelivery(id, 1);
    expect(r.error).toBe("host resolves to a private address");
    expect(calls).toBe(1);
    expect(targetHits).toBe(0);
  });

  test("DNS rebinding: the connection goes to exactly the address that was checked", async ({
    apiCustomer,
  }) => {
    // Two loopback listeners stand for "a public receiver" (127.0.0.2, deemed public here) and
    // "an internal service" (127.0.0.1). The name answers public first and internal after.
    let publicHits = 0;
    const pub = createServer((_q, res) => {
      publicHits++;
      res.end("ok");
    });
    await new Promise<void>((r) => pub.listen(targetPort, "127.0.0.2", () => r()));
    try {
      const answers = ["127.0.0.2", "127.0.0.1"];
      let calls = 0;
      callbackNetwork.resolver = async () => [{ address: answers[Math.min(calls++, 1)], family: 4 }];
      callbackNetwork.isPublic = (ip) => ip === "127.0.0.2";
      const id = await deliveryTo(await apiCustomer(), `http://rebind.example.com:${targetPort}/x`);
      const r = await attemptDelivery(id, 1);
      expect(r).toMatchObject({ outcome: "delivered", httpStatus: 200 });
      expect(calls).toBe(1);
      expect(publicHits).toBe(1);
      expect(targetHits).toBe(0);
    } finally {
      await new Promise((r) => pub.close(r));
    }
  });

  test("a redirect is not followed (into private space or anywhere), a huge or endless reply is cut off", async ({
    apiCustomer,
  }) => {
    callbackNetwork.allowPrivate = true; // the receiver itself is on loopback in this test
    let sent = 0;
    const tricky = createServer((req, res) => {
      if (req.url === "/redirect") {
        res.writeHead(307, { location: `http://127.0.0.1:${targetPort}/internal` });
        res.end();
        return;
      }
      if (req.url === "/slow") return; // never answers
      res.writeHead(200);
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      const pump = () => {
        while (sent < 100 * 1024 * 1024 && res.write(chunk)) sent += chunk.length;
        if (sent < 100 * 1024 * 1024) res.once("drain", pump);
        else res.end();
      };
      res.on("close", () => {});
      pump();
    });
    await new Promise<void>((r) => tricky.listen(0, "127.0.0.1", () => r()));
    const base = `http://127.0.0.1:${(tricky.address() as AddressInfo).port}`;
    try {
      const redirected = await attemptDelivery(await deliveryTo(await apiCustomer(), `${base}/redirect`), 1);
      expect(redirected).toMatchObject({ outcome: "retry", httpStatus: 307 });
      expect(redirected.error).toMatch(/redirects are not followed/);
      expect(targetHits).toBe(0);

      const started = Date.now();
      const big = await attemptDelivery(await deliveryTo(await apiCustomer(), `${base}/big`), 1);
      expect(big).toMatchObject({ outcome: "delivered", httpStatus: 200 });
      expect(sent).toBeLessThan(10 * 1024 * 1024); // stopped reading long before 100 MB
      expect(Date.now() - started).toBeLessThan(5_000);

      callbackNetwork.timeoutMs = 300;
      const t0 = Date.now();
      const slow = await attemptDelivery(await deliveryTo(await apiCustomer(), `${base}/slow`), 1);
      expect(slow).toMatchObject({ outcome: "retry", error: "timed out", httpStatus: null });
      expect(Date.now() - t0).toBeLessThan(3_000);
    } finally {
      tricky.closeAllConnections();
      await new Promise((r) => tricky.close(r));
    }
  });
});
