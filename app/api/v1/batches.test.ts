import { eq } from "drizzle-orm";
import { beforeEach, describe, expect } from "vitest";
import { test } from "@/test/fixtures";
import { orderKitWithPoolOnce } from "@/test/order-kit";
import { getDb } from "@/db";
import { batches, ledgerEntries, orders } from "@/db/schema";
import { keyLimiter } from "@/lib/api/rate-limit";
import { batchSchema, errorSchema } from "@/lib/api/schemas";
import { getBalance } from "@/lib/ledger";
import { freshReceiver, newAddress } from "@/lib/orders/testing";
import { resetSettings, updateSettings } from "@/lib/settings";
import { GET as getOne } from "./batches/[id]/route";
import { POST as create } from "./batches/route";

/** Contract tests of /api/v1/batches: handlers called with real Requests, devnet + database. */

const TRX = 1_000_000n;
const PRICE = 65_000n * 45n;
const kit = orderKitWithPoolOnce();
beforeEach(async () => {
  await keyLimiter.reset();
});

const base = "http://localhost/api/v1";
const auth = (key?: string): Record<string, string> => (key ? { authorization: `Bearer ${key}` } : {});

function post(key: string | undefined, body: unknown, idem?: string, raw = false) {
  return create(
    new Request(`${base}/batches`, {
      method: "POST",
      headers: {
        ...auth(key),
        "content-type": "application/json",
        ...(idem === undefined ? {} : { "idempotency-key": idem }),
      },
      body: raw ? (body as string) : JSON.stringify(body),
    }),
  );
}
const get = (key: string | undefined, id: string) =>
  getOne(new Request(`${base}/batches/${id}`, { headers: auth(key) }), { params: Promise.resolve({ id }) });

async function expectError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  const body = await res.json();
  expect(errorSchema.parse(body).error.code).toBe(code);
  return body.error as { code: string; message: string; fields?: Record<string, string> };
}

let n = 0;
const nextIdem = () => `bt-${Date.now()}-${n++}`;

async function stateOf(userId: number) {
  const db = await getDb();
  return {
    balance: await getBalance(userId),
    orders: (await db.select().from(orders).where(eq(orders.userId, userId))).length,
    ledger: (await db.select().from(ledgerEntries).where(eq(ledgerEntries.userId, userId))).length,
    batches: (await db.select().from(batches).where(eq(batches.userId, userId))).length,
  };
}

describe("POST /batches", () => {
  test("creates (201) with per-line results, replays (200, same batch, no new debit), conflicts (409)", async ({
    apiCustomer,
  }) => {
    const c = await apiCustomer();
    const a = await freshReceiver(kit);
    const b = await freshReceiver(kit);
    const key = nextIdem();
    const body = {
      lines: [
        { receiver: a, energy: 65_000, duration: "1h" },
        { receiver: "TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSF", energy: 65_000, duration: "1h" },
        { receiver: b, energy: 65_000, duration: "1h" },
        { receiver: a, energy: 65_000, duration: "1d" },
      ],
    };
    const r1 = await post(c.key, body, key);
    expect(r1.status).toBe(201);
    const b1 = batchSchema.parse(await r1.json());
    expect(b1).toMatchObject({
      status: "placed",
      idempotency_key: key,
      line_count: 4,
      ordered_count: 2,
      rejected_count: 2,
      total_energy: 130_000,
      total_price_sun: String(2n * PRICE),
      refunded_sun: "0",
    });
    expect(b1.lines.map((l) => [l.line, l.status, l.error?.code ?? null])).toEqual([
      [1, "ordered", null],
      [2, "rejected", "invalid_address"],
      [3, "ordered", null],
      [4, "rejected", "duplicate_receiver"],
    ]);
    expect(b1.lines[0].order).toMatchObject({
      receiver: a,
      energy: 65_000,
      status: "paid",
      price_sun: String(PRICE),
    });
    expect(b1.lines[1].error?.message).toMatch(/checksum/i);
    expect(await getBalance(c.userId)).toBe(10_000n * TRX - 2n * PRICE);
    const before = await stateOf(c.userId);

    const r2 = await post(c.key, body, key);
    expect(r2.status).toBe(200);
    expect(r2.headers.get("idempotent-replayed")).toBe("true");
    const b2 = batchSchema.parse(await r2.json());
    expect(b2.id).toBe(b1.id);
    expect(b2.lines.map((l) => l.order?.id ?? null)).toEqual(b1.lines.map((l) => l.order?.id ?? null));

    const e = await expectError(
      await post(c.key, { lines: body.lines.slice(0, 1) }, key),
      409,
      "idempotency_conflict",
    );
    expect(e.message).toMatch(/different batch/);
    expect(await stateOf(c.userId)).toEqual(before);

    // the batch reads back with its lines
    const g = await get(c.key, b1.id);
    expect(g.status).toBe(200);
    expect(batchSchema.parse(await g.json()).lines[2].order?.receiver).toBe(b);
  });

  test("a balance for only some lines: the first lines that fit are ordered, the rest rejected", async ({
    apiCustomer,
  }) => {
    const c = await apiCustomer({ balanceSun: 6n * TRX });
    const rs = await Promise.all([1, 2, 3].map(() => freshReceiver(kit)));
    const res = await post(
      c.key,
      { lines: rs.map((r) => ({ receiver: r, energy: 65_000, duration: "1h" })) },
      nextIdem(),
    );
    expect(res.status).toBe(201);
    const b = batchSchema.parse(await res.json());
    expect(b.lines.map((l) => [l.status, l.error?.code ?? null])).toEqual([
      ["ordered", null],
      ["ordered", null],
      ["rejected", "insufficient_balance"],
    ]);
    expect(await getBalance(c.userId)).toBe(6n * TRX - 2n * PRICE);
  });

  test.for<[string, unknown, string | undefined, string]>([
    ["no Idempotency-Key", { lines: [] }, undefined, "Idempotency-Key"],
    ["no lines", { lines: [] }, "k", "lines"],
    ["lines not a list", { lines: "T…" }, "k", "lines"],
    [
      "energy not a whole number",
      { lines: [{ receiver: "T", energy: 1.5, duration: "1h" }] },
      "k",
      "lines.0.energy",
    ],
    ["a missing duration", { lines: [{ receiver: "T", energy: 65_000 }] }, "k", "lines.0.duration"],
    [
      "an unknown field",
      { lines: [{ receiver: "T", energy: 65_000, duration: "1h", x: 1 }] },
      "k",
      "lines.0.x",
    ],
    [
      "an unknown top-level field",
      { lines: [{ receiver: "T", energy: 65_000, duration: "1h" }], y: 1 },
      "k",
      "y",
    ],
  ])("400 bad_request with %s, nothing stored", async ([, body, idem, field], { apiCustomer }) => {
    const c = await apiCustomer();
    const before = await stateOf(c.userId);
    const e = await expectError(await post(c.key, body, idem && nextIdem()), 400, "bad_request");
    expect(Object.keys(e.fields ?? {})).toContain(field);
    expect(await stateOf(c.userId)).toEqual(before);
  });

  test("more lines than the operator allows → 400 with fields.lines; not JSON → 400; no key → 401", async ({
    apiCustomer,
  }) => {
    const c = await apiCustomer();
    const before = await stateOf(c.userId);
    await updateSettings({ batchMaxLines: 2 });
    try {
      const lines = [1, 2, 3].map(() => ({ receiver: newAddress(), energy: 65_000, duration: "1h" }));
      const e = await expectError(await post(c.key, { lines }, nextIdem()), 400, "bad_request");
      expect(e.fields?.lines).toMatch(/at most 2 lines/);
    } finally {
      await resetSettings();
    }
    await expectError(await post(c.key, "{nope", nextIdem(), true), 400, "bad_request");
    await expectError(await post(undefined, { lines: [] }, nextIdem()), 401, "unauthorized");
    await expectError(await post(c.key, "x".repeat(140_000), nextIdem(), true), 413, "payload_too_large");
    expect(await stateOf(c.userId)).toEqual(before);
  });
});

describe("GET /batches/{id}", () => {
  test("another key owner's batch, or no such batch → 404", async ({ apiCustomer }) => {
    const a = await apiCustomer();
    const b = await apiCustomer();
    const r = await post(
      a.key,
      { lines: [{ receiver: await freshReceiver(kit), energy: 65_000, duration: "1h" }] },
      nextIdem(),
    );
    const batch = batchSchema.parse(await r.json());
    await expectError(await get(b.key, batch.id), 404, "not_found");
    await expectError(await get(a.key, "999999999"), 404, "not_found");
    await expectError(await get(a.key, "abc"), 404, "not_found");
    expect((await get(a.key, batch.id)).status).toBe(200);
  });
});
