import { eq, sql } from "drizzle-orm";
import { utils } from "tronweb";
import { beforeEach, describe, expect, it } from "vitest";
import { getDb, rowsOf } from "@/db";
import { energySubscriptions, orders, watchedAddresses } from "@/db/schema";
import { subscriptionBalanceLow, watchCheckRequested } from "@/inngest/events";
import { scanOnce, setScanCursor } from "@/lib/deposits";
import { devSigner } from "@/lib/deposits/testing";
import { capturedEvents } from "@/lib/events";
import { credit, getBalance } from "@/lib/ledger";
import { getOrder } from "@/lib/orders";
import { freshReceiver, fundedUser, importPool, runFulfil } from "@/lib/orders/testing";
import { getSettings } from "@/lib/settings";
import { broadcast, buildUsdtTransfer } from "@/lib/tron/tx";
import { freshOrderKitPerTest } from "@/test/order-kit";
import {
  changeSubscription,
  checkAndTopUp,
  createSubscription,
  endExpiredSubscriptions,
  getSubscription,
  topupEnergy,
  topupQuote,
} from "./index";

/**
 * Keep-energy subscriptions on the devnet through the real tronweb client: the scanner marks an
 * address that sent a USDT transfer, the check cycle re-reads it and tops it up through the order
 * engine, charged once per top-up, within the budget.
 */

const TRX = 1_000_000n;
const kit = freshOrderKitPerTest();

beforeEach(async () => {
  // each test's chain is new: what earlier tests watched is gone from it
  const db = await getDb();
  await db.execute(sql`update energy_subscriptions set status = 'cancelled' where status <> 'cancelled'`);
  await db.execute(sql`delete from watched_addresses`);
  await setScanCursor(null);
  await importPool([1, 2]);
  capturedEvents.length = 0;
});

/** A fresh activated account with its key, holding TRX and USDT (so it can send USDT). */
async function sender() {
  const a = utils.accounts.generateAccount();
  await kit.ctl("fund", { address: a.address.base58, trx: 50 });
  await kit.ctl("fund-usdt", { address: a.address.base58, amount: "100000000" });
  return { base58: a.address.base58, privateKey: a.privateKey };
}

/** The address sends 1 USDT to a USDT holder (about 64k energy on the devnet). */
async function spendOnUsdt(from: { base58: string; privateKey: string }) {
  const to = await freshReceiver(kit);
  await kit.ctl("fund-usdt", { address: to, amount: "1" });
  const s = await buildUsdtTransfer(
    kit.client,
    { from: from.base58, to, amount: 1_000_000n },
    devSigner(kit.client, from.privateKey),
  );
  await broadcast(kit.client, s.signedTx);
  await kit.mine(4);
  return s.txid;
}

async function scanAll() {
  let watched = 0;
  for (let i = 0; i < 50; i++) {
    const r = await scanOnce({ client: kit.client });
    watched += r.watched ?? 0;
    if (r.caughtUp) return watched;
  }
  throw new Error("scanner did not catch up");
}

async function subOrders(subscriptionId: number) {
  const db = await getDb();
  return db.select().from(orders).where(eq(orders.subscriptionId, subscriptionId)).orderBy(orders.id);
}

async function start(opts: { balance?: bigint; budget?: bigint; minEnergy?: number } = {}) {
  const userId = await fundedUser(opts.balance ?? 1_000n * TRX);
  const acct = await sender();
  const { subscription } = await createSubscription({
    userId,
    address: acct.base58,
    minEnergy: opts.minEnergy ?? 65_000,
    days: 7,
    budgetSun: opts.budget ?? 100n * TRX,
    source: "portal",
    idempotencyKey: `s-${Math.random()}`,
  });
  return { userId, acct, sub: subscription };
}

async function deliver(orderId: number) {
  expect((await runFulfil(kit, orderId)).error).toBeUndefined();
  expect((await getOrder({ orderId })).status).toBe("active");
}

describe("keep-energy subscriptions", () => {
  it("a USDT transfer spends the energy → the scanner marks the address → the check delegates more, charged once", async () => {
    const { userId, acct, sub } = await start();
    await scanAll(); // the scanner's cursor starts here
    const before = await getBalance(userId);

    // first check: the new address is read (no energy) and topped up
    const first = await checkAndTopUp();
    expect(first.cycle.requests).toBe(1);
    expect(first.topups).toEqual([expect.objectContaining({ subscriptionId: sub.id, result: "ordered" })]);
    const [o1] = await subOrders(sub.id);
    expect(o1.energy).toBe(65_000n);
    await deliver(o1.id);
    expect((await kit.client.getAccountResources(acct.base58)).energyLimit).toBeGreaterThanOrEqual(65_000n);

    // nothing sent: the next cycle reads nothing from the chain and orders nothing
    const idle = await checkAndTopUp();
    expect(idle.cycle.requests).toBe(0);
    expect(await subOrders(sub.id)).toHaveLength(1);

    // the address spends its energy on a USDT transfer; the scanner sees it sent something
    await spendOnUsdt(acct);
    expect(await scanAll()).toBe(1);
    const second = await checkAndTopUp();
    expect(second.cycle.changed).toBe(1);
    expect(second.topups[0].result).toBe("ordered");
    // a repeated cycle (the address marked again, the top-up still being delivered) orders nothing
    const db = await getDb();
    await db.update(watchedAddresses).set({ dirty: true }).where(eq(watchedAddresses.address, acct.base58));
    expect((await checkAndTopUp()).topups[0].result).toBe("pending");
    const list = await subOrders(sub.id);
    expect(list).toHaveLength(2);
    // charged exactly the two top-ups, each through the ledger once
    expect(await getBalance(userId)).toBe(before - list[0].priceSun - list[1].priceSun);
    const keys = rowsOf<{ n: number }>(
      await db.execute(
        sql`select count(*)::int as n from ledger_entries where idempotency_key like ${`order:${userId}:sub:${sub.id}:%`}`,
      ),
    );
    expect(Number(keys[0].n)).toBe(2);
    const view = await getSubscription(userId, sub.id);
    expect(view.topups).toBe(2);
    expect(view.spentSun).toBe(list[0].priceSun + list[1].priceSun);
  });

  it("the budget stops it: a top-up that would exceed the budget is not placed (exhausted, the user told once)", async () => {
    const s = await getSettings();
    const one = topupQuote(s, 65_000n).priceSun;
    const { userId, acct, sub } = await start({ budget: one });
    await scanAll();
    await checkAndTopUp();
    const [o1] = await subOrders(sub.id);
    await deliver(o1.id);
    await spendOnUsdt(acct);
    await scanAll();
    const r = await checkAndTopUp();
    expect(r.topups[0].result).toBe("exhausted");
    expect(await subOrders(sub.id)).toHaveLength(1);
    expect((await getSubscription(userId, sub.id)).status).toBe("exhausted");
    expect(capturedEvents.filter((e) => e.name === subscriptionBalanceLow.name)).toEqual([
      expect.objectContaining({
        data: expect.objectContaining({ subscriptionId: sub.id, kind: "exhausted" }),
      }),
    ]);
    // an exhausted subscription is not active: nothing more is tried
    const db = await getDb();
    await db.update(watchedAddresses).set({ dirty: true }).where(eq(watchedAddresses.address, acct.base58));
    expect((await checkAndTopUp()).topups).toEqual([]);
  });

  it("pause stops top-ups, resume brings them back, cancel ends it and stops watching the address", async () => {
    const { userId, acct, sub } = await start();
    // a new subscription asks for a check at once
    expect(capturedEvents.filter((e) => e.name === watchCheckRequested.name)).toHaveLength(1);
    expect((await changeSubscription(userId, sub.id, "pause")).status).toBe("paused");
    expect((await checkAndTopUp()).topups).toEqual([]);
    expect(await subOrders(sub.id)).toHaveLength(0);
    // pausing twice is a no-op; a paused one cannot be paused into anything else
    expect((await changeSubscription(userId, sub.id, "pause")).status).toBe("paused");
    expect((await changeSubscription(userId, sub.id, "resume")).status).toBe("active");
    expect(capturedEvents.filter((e) => e.name === watchCheckRequested.name)).toHaveLength(2);
    const r = await checkAndTopUp();
    expect(r.topups[0].result).toBe("ordered");
    expect((await changeSubscription(userId, sub.id, "cancel")).status).toBe("cancelled");
    const db = await getDb();
    expect(await db.select().from(watchedAddresses).where(eq(watchedAddresses.address, acct.base58))).toEqual(
      [],
    );
    // a cancelled subscription cannot be resumed, and someone else's is not found
    await expect(changeSubscription(userId, sub.id, "resume")).rejects.toMatchObject({
      code: "invalid_state",
    });
    const other = await fundedUser(0n);
    await expect(changeSubscription(other, sub.id, "pause")).rejects.toMatchObject({ code: "not_found" });
    expect((await getSubscription(userId, sub.id)).status).toBe("cancelled");
  });

  it("short balance: the top-up is not placed, the user is warned once, and it goes on after a top-up", async () => {
    const { userId, sub } = await start({ balance: 1n * TRX });
    const r1 = await checkAndTopUp();
    expect(r1.topups[0].result).toBe("failed");
    const r2 = await checkAndTopUp({});
    expect(r2.topups).toEqual([]); // not marked again until the retry sweep marks it
    const warned = () =>
      capturedEvents.filter(
        (e) => e.name === subscriptionBalanceLow.name && e.data.subscriptionId === sub.id,
      );
    expect(warned()).toHaveLength(1);
    expect(warned()[0].data.kind).toBe("empty");
    const { markRetries } = await import("./index");
    expect(await markRetries()).toBeGreaterThanOrEqual(1);
    expect((await checkAndTopUp()).topups[0].result).toBe("failed");
    expect(warned()).toHaveLength(1); // same low episode: no second warning
    await credit({ userId, amountSun: 100n * TRX, idempotencyKey: `top-up:${userId}`, memo: "test" });
    await markRetries();
    expect((await checkAndTopUp()).topups[0].result).toBe("ordered");
    expect((await getSubscription(userId, sub.id)).lastError).toBeNull();
  });

  it("ends at its end time and the address is no longer watched", async () => {
    const { acct, sub, userId } = await start();
    expect(await endExpiredSubscriptions(new Date(Date.now() + 8 * 86_400_000))).toBeGreaterThanOrEqual(1);
    expect((await getSubscription(userId, sub.id)).status).toBe("ended");
    const db = await getDb();
    expect(await db.select().from(watchedAddresses).where(eq(watchedAddresses.address, acct.base58))).toEqual(
      [],
    );
  });

  it("bad input is refused with a clear error and creates nothing", async () => {
    const userId = await fundedUser(100n * TRX);
    const acct = await sender();
    const s = await getSettings();
    const base = {
      userId,
      address: acct.base58,
      minEnergy: 65_000,
      days: 7,
      budgetSun: 100n * TRX,
      source: "portal" as const,
    };
    const cases: [Record<string, unknown>, string][] = [
      [{ address: "not-an-address" }, "invalid_address"],
      [{ address: utils.accounts.generateAccount().address.base58 }, "not_activated"],
      [{ minEnergy: 1 }, "energy_out_of_range"],
      [{ days: s.subscriptions.maxDays + 1 }, "bad_request"],
      [{ days: 0 }, "bad_request"],
      [{ budgetSun: 1n }, "invalid_amount"],
      [{ idempotencyKey: "" }, "bad_request"],
    ];
    for (const [patch, code] of cases)
      await expect(
        createSubscription({ ...base, idempotencyKey: `bad-${Math.random()}`, ...patch } as never),
      ).rejects.toMatchObject({ code });
    const db = await getDb();
    expect(await db.select().from(energySubscriptions).where(eq(energySubscriptions.userId, userId))).toEqual(
      [],
    );
    // the same request id replays the same subscription; a second one for the address is a conflict
    const a = await createSubscription({ ...base, idempotencyKey: "one" });
    const b = await createSubscription({ ...base, idempotencyKey: "one" });
    expect([a.created, b.created, b.subscription.id]).toEqual([true, false, a.subscription.id]);
    await expect(createSubscription({ ...base, idempotencyKey: "two" })).rejects.toMatchObject({
      code: "conflict",
    });
    expect(
      await db.select().from(energySubscriptions).where(eq(energySubscriptions.userId, userId)),
    ).toHaveLength(1);
  });

  it("sizes a top-up from the chain: the shortfall, at least the minimum order", async () => {
    const s = await getSettings();
    expect(topupEnergy(s, 65_000n, 700n)).toBe(65_000n);
    expect(topupEnergy(s, 131_000n, 100_000n)).toBe(BigInt(s.energyMin));
    expect(topupEnergy(s, 131_000n, 50_500n)).toBe(81_000n);
  });
});
