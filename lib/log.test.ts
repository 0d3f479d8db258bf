import { beforeEach, describe, expect, it } from "vitest";
import { freshOrderKitPerTest } from "@/test/order-kit";
import { POST as createViaApi } from "@/app/api/v1/orders/route";
import { createApiKey } from "@/lib/api/keys";
import { keyLimiter } from "@/lib/api/rate-limit";
import { captureLogs, logger, requestIdOf, withLogContext } from "@/lib/log";
import { freshReceiver, fundedUser, importPool, runFulfil } from "@/lib/orders/testing";

const TRX = 1_000_000n;

const kit = freshOrderKitPerTest();
beforeEach(async () => {
  await keyLimiter.reset();
});

const parsed = (lines: string[]) => lines.map((l) => JSON.parse(l) as Record<string, unknown>);

describe("log context", () => {
  it("requestIdOf honours a safe X-Request-Id and replaces anything else", () => {
    const h = (v?: string) => new Headers(v === undefined ? {} : { "x-request-id": v });
    expect(requestIdOf(h("req-01J9ZQ8W4T:abc.def_1"))).toBe("req-01J9ZQ8W4T:abc.def_1");
    for (const bad of [undefined, "", "short", "a b c d e f g h", '{"x":1}-aaaaaaaa', "x".repeat(129)]) {
      const id = requestIdOf(h(bad));
      expect(id).not.toBe(bad);
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it("nested contexts add to each other; lines outside carry none", () => {
    const cap = captureLogs();
    try {
      withLogContext({ requestId: "outer-request-1" }, () =>
        withLogContext({ orderId: 7, delegationId: undefined }, () => logger.info("inner")),
      );
      logger.info("outside");
    } finally {
      cap.stop();
    }
    const [inner, outside] = parsed(cap.lines);
    expect(inner).toMatchObject({ requestId: "outer-request-1", orderId: 7, msg: "inner" });
    expect(inner).not.toHaveProperty("delegationId");
    expect(outside).not.toHaveProperty("requestId");
    expect(outside).not.toHaveProperty("orderId");
  });

  it("an /api/v1 order request: every line carries the request id the response echoes", async () => {
    await importPool([1, 2]);
    const userId = await fundedUser(10_000n * TRX);
    const { key } = await createApiKey({ userId, name: "log-test" });
    const body = { receiver: await freshReceiver(kit), energy: 65_000, duration: "1h" };
    const req = (requestId?: string) =>
      new Request("http://localhost/api/v1/orders", {
        method: "POST",
        headers: {
          authorization: `Bearer ${key}`,
          "content-type": "application/json",
          "idempotency-key": `log-${Math.random()}`,
          ...(requestId ? { "x-request-id": requestId } : {}),
        },
        body: JSON.stringify(body),
      });

    let cap = captureLogs();
    let res: Response;
    try {
      res = await createViaApi(req("client-chosen-id-0001"));
    } finally {
      cap.stop();
    }
    expect(res.status).toBe(201);
    expect(res.headers.get("x-request-id")).toBe("client-chosen-id-0001");
    let lines = parsed(cap.lines);
    expect(lines.map((l) => l.msg)).toContain("order status changed");
    for (const l of lines) expect(l, JSON.stringify(l)).toMatchObject({ requestId: "client-chosen-id-0001" });

    cap = captureLogs();
    try {
      res = await createViaApi(req("<script>alert(1)</script>"));
    } finally {
      cap.stop();
    }
    const generated = res.headers.get("x-request-id");
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    lines = parsed(cap.lines);
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(l, JSON.stringify(l)).toMatchObject({ requestId: generated });
  });

  it("a fulfil-order run: every line carries the function, the run and the order id", async () => {
    await importPool([1, 2]);
    const userId = await fundedUser(10_000n * TRX);
    const { key } = await createApiKey({ userId, name: "log-test" });
    const res = await createViaApi(
      new Request("http://localhost/api/v1/orders", {
        method: "POST",
        headers: {
          authorization: `Bearer ${key}`,
          "content-type": "application/json",
          "idempotency-key": `log-${Math.random()}`,
        },
        body: JSON.stringify({ receiver: await freshReceiver(kit), energy: 65_000, duration: "1h" }),
      }),
    );
    const orderId = Number(((await res.json()) as { id: string }).id);
    const cap = captureLogs();
    try {
      const run = await runFulfil(kit, orderId);
      expect(run.error).toBeUndefined();
    } finally {
      cap.stop();
    }
    const lines = parsed(cap.lines);
    expect(lines.filter((l) => l.msg === "order status changed").map((l) => l.to)).toEqual([
      "delegating",
      "active",
    ]);
    for (const l of lines)
      expect(l, JSON.stringify(l)).toMatchObject({ fn: "fulfil-order", orderId, runId: expect.any(String) });
  });
});
