import { eq } from "drizzle-orm";
import { utils } from "tronweb";
import { beforeEach, describe, expect } from "vitest";
import { getDb } from "@/db";
import { energySubscriptions } from "@/db/schema";
import { keyLimiter } from "@/lib/api/rate-limit";
import { errorSchema, subscriptionListSchema, subscriptionSchema } from "@/lib/api/schemas";
import { freshReceiver } from "@/lib/orders/testing";
import { checkAndTopUp } from "@/lib/subscriptions";
import { test } from "@/test/fixtures";
import { orderKitWithPoolOnce } from "@/test/order-kit";
import { POST as cancel } from "./[id]/cancel/route";
import { POST as pause } from "./[id]/pause/route";
import { POST as resume } from "./[id]/resume/route";
import { GET as getOne } from "./[id]/route";
import { GET as list, POST as create } from "./route";

/** Contract tests of /api/v1/subscriptions: real Requests, devnet + database. */

const kit = orderKitWithPoolOnce();
beforeEach(async () => {
  await keyLimiter.reset();
});

const base = "http://localhost/api/v1";
const auth = (key: string) => ({ authorization: `Bearer ${key}` });
const params = (id: string) => ({ params: Promise.resolve({ id }) });
let n = 0;

function post(key: string, body: unknown, idem: string | undefined = `sub-${Date.now()}-${n++}`) {
  return create(
    new Request(`${base}/subscriptions`, {
      method: "POST",
      headers: {
        ...auth(key),
        "content-type": "application/json",
        ...(idem ? { "idempotency-key": idem } : {}),
      },
      body: JSON.stringify(body),
    }),
  );
}
const act = (fn: typeof pause, key: string, id: string) =>
  fn(new Request(`${base}/subscriptions/${id}/x`, { method: "POST", headers: auth(key) }), params(id));

async function expectError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  const body = await res.json();
  expect(errorSchema.parse(body).error.code).toBe(code);
  return body.error as { fields?: Record<string, string> };
}

describe("/api/v1/subscriptions", () => {
  test("create (idempotent), list, get with its top-ups, pause, resume, cancel", async ({ apiCustomer }) => {
    const c = await apiCustomer();
    const address = await freshReceiver(kit);
    const body = { address, min_energy: 65_000, days: 7, budget_sun: "50000000" };
    const res = await post(c.key, body, "sub-one");
    expect(res.status).toBe(201);
    const s = subscriptionSchema.parse(await res.json());
    expect(s).toMatchObject({ status: "active", address, min_energy: 65_000, spent_sun: "0", topups: 0 });
    const again = await post(c.key, body, "sub-one");
    expect(again.status).toBe(200);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect((await again.json()).id).toBe(s.id);

    await checkAndTopUp(); // the address has no energy: one top-up
    const one = await getOne(
      new Request(`${base}/subscriptions/${s.id}`, { headers: auth(c.key) }),
      params(s.id),
    );
    const got = subscriptionSchema.parse(await one.json());
    expect(got.topups).toBe(1);
    expect(got.recent_topups).toHaveLength(1);
    expect(got.recent_topups![0]).toMatchObject({ energy: 65_000, status: "paid" });
    expect(BigInt(got.spent_sun)).toBe(BigInt(got.recent_topups![0].price_sun));

    const l = subscriptionListSchema.parse(
      await (await list(new Request(`${base}/subscriptions`, { headers: auth(c.key) }))).json(),
    );
    expect(l.data.map((x) => x.id)).toEqual([s.id]);

    expect((await (await act(pause, c.key, s.id)).json()).status).toBe("paused");
    expect((await (await act(resume, c.key, s.id)).json()).status).toBe("active");
    expect((await (await act(cancel, c.key, s.id)).json()).status).toBe("cancelled");
    await expectError(await act(resume, c.key, s.id), 409, "invalid_state");
  });

  test("bad input: a clear error, nothing created", async ({ apiCustomer }) => {
    const c = await apiCustomer();
    const address = await freshReceiver(kit);
    const ok = { address, min_energy: 65_000, days: 7, budget_sun: "50000000" };
    await expectError(await post(c.key, ok, ""), 400, "bad_request");
    const cases: [Record<string, unknown>, number, string, string][] = [
      [{ ...ok, address: "nope" }, 400, "invalid_address", "address"],
      [{ ...ok, address: utils.accounts.generateAccount().address.base58 }, 400, "not_activated", "address"],
      [{ ...ok, min_energy: 10 }, 400, "energy_out_of_range", "minEnergy"],
      [{ ...ok, min_energy: "65000" }, 400, "bad_request", "min_energy"],
      [{ ...ok, days: 0 }, 400, "bad_request", "days"],
      [{ ...ok, budget_sun: 5 }, 400, "bad_request", "budget_sun"],
      [{ ...ok, budget_sun: "1" }, 400, "invalid_amount", "budget"],
      [{ ...ok, extra: 1 }, 400, "bad_request", ""],
    ];
    for (const [body, status, code, field] of cases) {
      const e = await expectError(await post(c.key, body), status, code);
      if (field) expect(Object.keys(e.fields ?? {})).toContain(field);
    }
    const db = await getDb();
    expect(
      await db.select().from(energySubscriptions).where(eq(energySubscriptions.userId, c.userId)),
    ).toEqual([]);
    expect((await post(c.key, ok)).status).toBe(201);
    await expectError(await post(c.key, ok), 409, "conflict");
  });

  test("someone else's subscription is not found, and changes nothing", async ({ apiCustomer }) => {
    const a = await apiCustomer();
    const b = await apiCustomer();
    const address = await freshReceiver(kit);
    const s = await (
      await post(a.key, { address, min_energy: 65_000, days: 3, budget_sun: "50000000" })
    ).json();
    await expectError(
      await getOne(new Request(`${base}/subscriptions/${s.id}`, { headers: auth(b.key) }), params(s.id)),
      404,
      "not_found",
    );
    await expectError(await act(cancel, b.key, s.id), 404, "not_found");
    await expectError(await act(pause, b.key, "abc"), 404, "not_found");
    const db = await getDb();
    const [row] = await db
      .select()
      .from(energySubscriptions)
      .where(eq(energySubscriptions.id, Number(s.id)));
    expect(row.status).toBe("active");
  });
});
