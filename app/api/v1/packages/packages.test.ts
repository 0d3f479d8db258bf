import { eq } from "drizzle-orm";
import { utils } from "tronweb";
import { beforeEach, describe, expect } from "vitest";
import { getDb } from "@/db";
import { transferPackages } from "@/db/schema";
import { keyLimiter } from "@/lib/api/rate-limit";
import { errorSchema, packageListSchema, packageOffersSchema, packageSchema } from "@/lib/api/schemas";
import { setScanCursor } from "@/lib/deposits";
import { getBalance } from "@/lib/ledger";
import { freshReceiver } from "@/lib/orders/testing";
import { scanAll, sendUsdt, usdtSender } from "@/lib/packages/testing";
import { test } from "@/test/fixtures";
import { orderKitWithPoolOnce } from "@/test/order-kit";
import { GET as getOne } from "./[id]/route";
import { GET as offers } from "./offers/route";
import { GET as list, POST as buy } from "./route";

/** Contract tests of /api/v1/packages: real Requests, devnet + database. */

const kit = orderKitWithPoolOnce();
beforeEach(async () => {
  await keyLimiter.reset();
});

const base = "http://localhost/api/v1";
const auth = (key: string) => ({ authorization: `Bearer ${key}` });
const params = (id: string) => ({ params: Promise.resolve({ id }) });
let n = 0;

function post(key: string, body: unknown, idem: string | undefined = `pkg-${Date.now()}-${n++}`) {
  return buy(
    new Request(`${base}/packages`, {
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

async function expectError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  const body = await res.json();
  expect(errorSchema.parse(body).error.code).toBe(code);
  return body.error as { fields?: Record<string, string> };
}

describe("/api/v1/packages", () => {
  test("offers, buy (idempotent, charged once), list, get with each counted transfer", async ({
    apiCustomer,
  }) => {
    const c = await apiCustomer();
    const o = packageOffersSchema.parse(
      await (await offers(new Request(`${base}/packages/offers`, { headers: auth(c.key) }))).json(),
    );
    expect(o.data.map((x) => x.transfers)).toEqual([10, 50, 100]);
    const price = BigInt(o.data[0].price_sun);

    const acct = await usdtSender(kit);
    await setScanCursor(null);
    await scanAll(kit);
    const before = await getBalance(c.userId);
    const res = await post(c.key, { address: acct.base58, transfers: 10 }, "pkg-one");
    expect(res.status).toBe(201);
    const p = packageSchema.parse(await res.json());
    expect(p).toMatchObject({
      status: "active",
      address: acct.base58,
      transfers: 10,
      used: 0,
      remaining: 10,
    });
    const again = await post(c.key, { address: acct.base58, transfers: 10 }, "pkg-one");
    expect(again.status).toBe(200);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect((await again.json()).id).toBe(p.id);
    expect(await getBalance(c.userId)).toBe(before - price);

    const txid = await sendUsdt(kit, acct);
    await scanAll(kit);
    const got = packageSchema.parse(
      await (
        await getOne(new Request(`${base}/packages/${p.id}`, { headers: auth(c.key) }), params(p.id))
      ).json(),
    );
    expect([got.used, got.remaining]).toEqual([1, 9]);
    expect(got.uses?.map((u) => u.txid)).toEqual([txid]);
    const l = packageListSchema.parse(
      await (await list(new Request(`${base}/packages`, { headers: auth(c.key) }))).json(),
    );
    expect(l.data.map((x) => x.id)).toEqual([p.id]);
  });

  test("bad input: a clear error, nothing bought, nothing charged", async ({ apiCustomer }) => {
    const c = await apiCustomer({ balanceSun: 50_000_000n });
    const address = await freshReceiver(kit);
    const ok = { address, transfers: 10 };
    await expectError(await post(c.key, ok, ""), 400, "bad_request");
    const cases: [Record<string, unknown>, number, string, string][] = [
      [{ ...ok, address: "nope" }, 400, "invalid_address", "address"],
      [{ ...ok, address: utils.accounts.generateAccount().address.base58 }, 400, "not_activated", "address"],
      [{ ...ok, transfers: 11 }, 400, "bad_request", "transfers"],
      [{ ...ok, transfers: "10" }, 400, "bad_request", "transfers"],
      [{ ...ok, transfers: 100 }, 402, "insufficient_balance", ""],
      [{ ...ok, extra: 1 }, 400, "bad_request", ""],
    ];
    for (const [body, status, code, field] of cases) {
      const e = await expectError(await post(c.key, body), status, code);
      if (field) expect(Object.keys(e.fields ?? {})).toContain(field);
    }
    const db = await getDb();
    expect(await db.select().from(transferPackages).where(eq(transferPackages.userId, c.userId))).toEqual([]);
    expect(await getBalance(c.userId)).toBe(50_000_000n);
    expect((await post(c.key, ok)).status).toBe(201);
    await expectError(await post(c.key, ok), 409, "conflict");
  });

  test("someone else's package is not found", async ({ apiCustomer }) => {
    const a = await apiCustomer();
    const b = await apiCustomer();
    const p = await (await post(a.key, { address: await freshReceiver(kit), transfers: 10 })).json();
    await expectError(
      await getOne(new Request(`${base}/packages/${p.id}`, { headers: auth(b.key) }), params(p.id)),
      404,
      "not_found",
    );
    await expectError(
      await getOne(new Request(`${base}/packages/x`, { headers: auth(b.key) }), params("x")),
      404,
      "not_found",
    );
  });
});
