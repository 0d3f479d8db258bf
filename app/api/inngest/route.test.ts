import { createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { orderKitWithPoolOnce } from "@/test/order-kit";
import { getDb, rowsOf } from "@/db";
import { createOrder } from "@/lib/orders";
import { freshReceiver, fundedUser } from "@/lib/orders/testing";
import { freshProductionSecrets } from "@/lib/security/testing";

/**
 * /api/inngest as production serves it (NODE_ENV=production, a signing key, no INNGEST_DEV): the
 * route module is imported fresh under that environment, so lib/env's refusals, the Inngest
 * client's mode and the SDK's signature check are all the real ones. Before, production ran with
 * INNGEST_DEV=1 and these unsigned calls ran jobs.
 */
type Route = typeof import("@/app/api/inngest/route");
let route: Route;
const kit = orderKitWithPoolOnce(); // orders are only taken when the pool can cover them
let api: Server;
const registered: { url: string }[] = [];
const saved = { ...process.env };
const secrets = freshProductionSecrets();
const APP = "https://energy.example";

async function tables(): Promise<string> {
  const db = await getDb();
  const [r] = rowsOf(
    await db.execute(sql`select
      (select coalesce(string_agg(id || ':' || status, ',' order by id), '') from orders) as orders,
      (select count(*)::int from delegations) as delegations,
      (select count(*)::int from order_events) as events,
      (select count(*)::int from ledger_entries) as ledger`),
  );
  return JSON.stringify(r);
}

const call = (body: unknown, fnId: string, headers: Record<string, string> = {}) =>
  route.POST(
    new Request(`${APP}/api/inngest?fnId=tron-energy-helper-${fnId}&stepId=step`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: typeof body === "string" ? body : canonical(body),
    }) as never,
    undefined as never,
  );

const runOf = (event: { name: string; data: Record<string, unknown> }) => ({
  ctx: { attempt: 0, run_id: "01FORGED", stack: { current: 0, stack: [] } },
  event,
  events: [event],
  steps: {},
  version: 2,
});

/** JSON with sorted keys (RFC 8785 for these plain values): the form the SDK verifies. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object")
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(v);
}

/** X-Inngest-Signature as the Inngest server makes it (SDK_SPEC §4.1): HMAC over body + t. */
function sign(body: string, key: string, t = Math.floor(Date.now() / 1000)): string {
  const hex = key.replace(/^signkey-\w+-/, "");
  return `t=${t}&s=${createHmac("sha256", hex)
    .update(body + t)
    .digest("hex")}`;
}

async function noStack(res: Response) {
  const text = await res.text();
  expect(text).not.toMatch(/stack|\n\s+at |node_modules/);
  return text;
}

beforeAll(async () => {
  // As Next's server runtime does before any route runs (its request storage needs it).
  const g = globalThis as { AsyncLocalStorage?: unknown };
  g.AsyncLocalStorage ??= (await import("node:async_hooks")).AsyncLocalStorage;
  api = createServer((req, res) => {
    let b = "";
    req.on("data", (c) => {
      b += c;
    });
    req.on("end", () => {
      if (req.url?.startsWith("/fn/register")) registered.push(JSON.parse(b));
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ ok: true, modified: false }));
    });
  });
  await new Promise<void>((r) => api.listen(0, "127.0.0.1", () => r()));
  Object.assign(process.env, {
    ...secrets,
    NODE_ENV: "production",
    APP_URL: APP,
    INNGEST_BASE_URL: `http://127.0.0.1:${(api.address() as AddressInfo).port}`,
  });
  delete process.env.INNGEST_DEV;
  vi.resetModules();
  route = await import("@/app/api/inngest/route");
});

afterAll(async () => {
  process.env = { ...saved };
  vi.resetModules();
  await new Promise((r) => api?.close(r));
});

describe("/api/inngest in production", () => {
  it("refuses unsigned job calls: a forged order/paid, delegation/expired or bot look-up runs nothing", async () => {
    const userId = await fundedUser(10_000_000_000n);
    const { order } = await createOrder({
      userId,
      receiver: await freshReceiver(kit),
      energy: 65_000,
      duration: "1h",
      source: "api",
      idempotencyKey: `forged-${Math.random()}`,
    });
    const before = await tables();
    const forged = [
      call(runOf({ name: "order/paid", data: { orderId: order.id } }), "fulfil-order"),
      call(runOf({ name: "delegation/expired", data: { orderId: order.id } }), "reclaim-delegation"),
      call(
        runOf({
          name: "bot/lookup.requested",
          data: { chatId: 1, messageId: 2, userId, address: "<a href='https://evil.example'>x</a>" },
        }),
        "bot-lookup",
      ),
    ];
    for (const res of await Promise.all(forged)) {
      const text = await noStack(res);
      expect(res.status, text).toBe(401);
    }
    // a wrong key, and a right signature that has expired, are refused too
    const body = canonical(runOf({ name: "order/paid", data: { orderId: order.id } }));
    const other = freshProductionSecrets().INNGEST_SIGNING_KEY;
    expect((await call(body, "fulfil-order", { "x-inngest-signature": sign(body, other) })).status).toBe(401);
    const old = Math.floor(Date.now() / 1000) - 3600;
    expect(
      (
        await call(body, "fulfil-order", {
          "x-inngest-signature": sign(body, secrets.INNGEST_SIGNING_KEY, old),
        })
      ).status,
    ).toBe(401);
    expect(await tables()).toBe(before);
  });

  it("a correctly signed call gets past the signature check (control)", async () => {
    const body = canonical(runOf({ name: "x/none", data: {} }));
    const res = await call(body, "no-such-function", {
      "x-inngest-signature": sign(body, secrets.INNGEST_SIGNING_KEY),
    });
    expect(res.status).not.toBe(401);
  });

  it("a body it cannot parse answers a bare 500, without a stack trace", async () => {
    const res = await call("{not json", "fulfil-order");
    expect(res.status).toBe(500);
    expect(await noStack(res)).toBe('{"code":"internal_server_error"}');
  });

  it("an error the SDK reports to an unsigned caller reaches it without its stack", async () => {
    // An in-band sync request without a body: the SDK answers 500 with the error serialized,
    // stack included, before it checks any signature.
    const res = await route.PUT(
      new Request(`${APP}/api/inngest`, {
        method: "PUT",
        headers: { "x-inngest-sync-kind": "in_band" },
      }) as never,
      undefined as never,
    );
    expect(res.status).toBe(500);
    expect(await noStack(res)).toBe('{"code":"internal_server_error"}');
  });

  it("an unsigned sync registers APP_URL, never the Host the caller named", async () => {
    registered.length = 0;
    const res = await route.PUT(
      new Request("http://evil.example/api/inngest", {
        method: "PUT",
        headers: { host: "evil.example" },
      }) as never,
      undefined as never,
    );
    expect(res.status).toBe(200);
    expect(registered).toHaveLength(1);
    expect(registered[0].url).toBe(`${APP}/api/inngest`);
  });
});
