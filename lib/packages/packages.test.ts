import { eq, sql } from "drizzle-orm";
import { utils } from "tronweb";
import { beforeEach, describe, expect, it } from "vitest";
import { getDb, rowsOf } from "@/db";
import { orders, packageUses, transferPackages, watchedAddresses } from "@/db/schema";
import { setScanCursor } from "@/lib/deposits";
import { capturedEvents } from "@/lib/events";
import { getBalance } from "@/lib/ledger";
import { createOrder, getOrder, refundOrder } from "@/lib/orders";
import { freshReceiver, fundedUser, importPool, runFulfil } from "@/lib/orders/testing";
import { getSettings, resetSettings, updateSettings } from "@/lib/settings";
import { checkCycle } from "@/lib/watch";
import { freshOrderKitPerTest } from "@/test/order-kit";
import {
  buyPackage,
  expirePackages,
  expiryRefund,
  getPackage,
  listAllPackages,
  markPackageRetries,
  packageUsesOf,
  supplyChecked,
  supplyEnergy,
  supplyTarget,
} from "./index";
import { scanAll as scanAllBlocks, sendUsdt as sendUsdtFrom, type UsdtSender, usdtSender } from "./testing";

/**
 * Per-transfer packages on the devnet through the real tronweb client: bought once from the
 * balance, the address supplied with one transfer's energy by prepaid orders (no second debit),
 * each outgoing USDT transfer counted once from the scanned blocks, ending at N or at expiry.
 */

const TRX = 1_000_000n;
const kit = freshOrderKitPerTest();

beforeEach(async () => {
  const db = await getDb();
  await db.execute(sql`update transfer_packages set status = 'expired' where status = 'active'`);
  await db.execute(sql`update energy_subscriptions set status = 'cancelled' where status <> 'cancelled'`);
  await db.execute(sql`delete from watched_addresses`);
  await setScanCursor(null);
  await importPool([1, 2]);
  await resetSettings(["packages"]);
  capturedEvents.length = 0;
});

const sender = () => usdtSender(kit);
const sendUsdt = (from: UsdtSender) => sendUsdtFrom(kit, from);
const scanAll = () => scanAllBlocks(kit);

async function cycle() {
  const c = await checkCycle({ client: kit.client });
  return supplyChecked(c.checked, { client: kit.client });
}

async function supplies(packageId: number) {
  const db = await getDb();
  return db.select().from(orders).where(eq(orders.packageId, packageId)).orderBy(orders.id);
}

async function deliver(orderId: number) {
  expect((await runFulfil(kit, orderId)).error).toBeUndefined();
  expect((await getOrder({ orderId })).status).toBe("active");
}

describe("per-transfer packages", () => {
  it("buy → supplied → each USDT transfer counted once (even scanned twice) → next supply → ends at N; paid once", async () => {
    await updateSettings({
      packages: { ...(await packagesSetting()), offers: [{ transfers: 2, priceSun: "9000000" }] },
    });
    const userId = await fundedUser(100n * TRX);
    const acct = await sender();
    await scanAll();
    const { package: p, created } = await buyPackage({
      userId,
      address: acct.base58,
      transfers: 2,
      source: "portal",
      idempotencyKey: "buy-1",
    });
    expect(created).toBe(true);
    expect([p.transfers, p.priceSun, p.remaining, p.status]).toEqual([2, 9n * TRX, 2, "active"]);
    expect(await getBalance(userId)).toBe(91n * TRX);
    // the same request id replays the package and charges nothing more
    const again = await buyPackage({
      userId,
      address: acct.base58,
      transfers: 2,
      source: "portal",
      idempotencyKey: "buy-1",
    });
    expect([again.created, again.package.id]).toEqual([false, p.id]);

    // first supply: one transfer's energy, a prepaid order (price recorded, nothing debited)
    const first = await cycle();
    expect(first).toEqual([expect.objectContaining({ packageId: p.id, result: "ordered" })]);
    const [s1] = await supplies(p.id);
    expect(s1.energy).toBe(65_000n);
    expect(s1.priceSun).toBeGreaterThan(0n);
    await deliver(s1.id);
    expect(await getBalance(userId)).toBe(91n * TRX);
    // while energy is there and nothing was sent: nothing more
    expect((await cycle()).map((o) => o.result)).toEqual([]);

    // the address spends it on a USDT transfer; the scanner counts it
    const tx1 = await sendUsdt(acct);
    await scanAll();
    expect((await packageUsesOf(userId, p.id)).map((u) => u.txid)).toEqual([tx1]);
    // the same blocks scanned again count nothing twice
    const db = await getDb();
    const [u1] = await db.select().from(packageUses).where(eq(packageUses.packageId, p.id));
    await setScanCursor(u1.blockNumber - 1);
    await scanAll();
    expect(await db.select().from(packageUses).where(eq(packageUses.packageId, p.id))).toHaveLength(1);
    expect((await getPackage(userId, p.id)).remaining).toBe(1);

    // the next supply, sized from what the transfer cost on the chain
    const second = await cycle();
    expect(second[0].result).toBe("ordered");
    const list = await supplies(p.id);
    expect(list).toHaveLength(2);
    await deliver(list[1].id);
    const uses = await packageUsesOf(userId, p.id);
    expect(uses[0].energyUsed).toBeGreaterThan(0n);

    // the second transfer ends the package
    const tx2 = await sendUsdt(acct);
    await scanAll();
    const done = await getPackage(userId, p.id);
    expect([done.status, done.used, done.remaining]).toEqual(["completed", 2, 0]);
    expect((await packageUsesOf(userId, p.id)).map((u) => u.txid)).toEqual([tx2, tx1]);
    // no more supplies, and the address is no longer watched
    expect(await cycle()).toEqual([]);
    expect(await db.select().from(watchedAddresses).where(eq(watchedAddresses.address, acct.base58))).toEqual(
      [],
    );

    // the balance was debited exactly once, for the package
    expect(await getBalance(userId)).toBe(91n * TRX);
    const debits = rowsOf<{ n: number }>(
      await db.execute(
        sql`select count(*)::int as n from ledger_entries where user_id = ${userId} and amount_sun < 0`,
      ),
    );
    expect(debits[0].n).toBe(1);
    // the console sees the margin: price − the supplies' cost
    const row = (await listAllPackages()).find((x) => x.id === p.id);
    expect(row?.marginSun).toBe(9n * TRX - list[0].priceSun - list[1].priceSun);
  });

  it("expiry refunds the unused share by the rule, once", async () => {
    await updateSettings({
      packages: {
        ...(await packagesSetting()),
        refundPercent: 50,
        offers: [{ transfers: 10, priceSun: "30000000" }],
      },
    });
    const userId = await fundedUser(100n * TRX);
    const acct = await sender();
    const { package: p } = await buyPackage({
      userId,
      address: acct.base58,
      transfers: 10,
      source: "bot",
      idempotencyKey: "e1",
    });
    expect(await getBalance(userId)).toBe(70n * TRX);
    const later = new Date(Date.now() + 31 * 86_400_000);
    expect(await expirePackages(later)).toBe(1);
    expect(await expirePackages(later)).toBe(0);
    const e = await getPackage(userId, p.id);
    expect([e.status, e.refundedSun]).toEqual(["expired", 15n * TRX]);
    expect(await getBalance(userId)).toBe(85n * TRX);
    expect(expiryRefund({ priceSun: 30n * TRX, transfers: 10, refundPercent: 50 }, 4)).toBe(9n * TRX);
    expect(expiryRefund({ priceSun: 30n * TRX, transfers: 10, refundPercent: 0 }, 0)).toBe(0n);
  });

  it("bad inputs change nothing; a prepaid order needs the user's active package for that receiver", async () => {
    const userId = await fundedUser(10n * TRX);
    const acct = await sender();
    const base = { userId, address: acct.base58, transfers: 10, source: "api" as const };
    const cases: [Record<string, unknown>, string][] = [
      [{ address: "not-an-address" }, "invalid_address"],
      [{ address: utils.accounts.generateAccount().address.base58 }, "not_activated"],
      [{ transfers: 7 }, "bad_request"],
      [{ transfers: -1 }, "bad_request"],
      [{ idempotencyKey: "" }, "bad_request"],
      [{ transfers: 50 }, "insufficient_balance"],
    ];
    for (const [patch, code] of cases)
      await expect(
        buyPackage({ ...base, idempotencyKey: `bad-${Math.random()}`, ...patch } as never),
      ).rejects.toMatchObject({
        code,
      });
    const db = await getDb();
    expect(await db.select().from(transferPackages).where(eq(transferPackages.userId, userId))).toEqual([]);
    expect(await getBalance(userId)).toBe(10n * TRX);

    // a prepaid order for someone else's package (or another receiver) is refused and debits nothing
    const owner = await fundedUser(100n * TRX);
    const { package: p } = await buyPackage({ ...base, userId: owner, idempotencyKey: "own" });
    for (const [uid, receiver] of [
      [userId, acct.base58],
      [owner, await freshReceiver(kit)],
    ] as const)
      await expect(
        createOrder({
          userId: uid,
          receiver,
          energy: 65_000,
          duration: "1h",
          source: "api",
          idempotencyKey: `x-${Math.random()}`,
          packageId: p.id,
        }),
      ).rejects.toMatchObject({ code: "invalid_state" });
    expect(await supplies(p.id)).toEqual([]);
    expect(await getBalance(userId)).toBe(10n * TRX);
    // a second active package for the same address is a conflict
    await expect(buyPackage({ ...base, userId: owner, idempotencyKey: "own-2" })).rejects.toMatchObject({
      code: "conflict",
    });
  });

  it("a supply refunded (undelivered) gives nothing back to the balance: the package paid for it", async () => {
    const userId = await fundedUser(100n * TRX);
    const acct = await sender();
    const { package: p } = await buyPackage({
      userId,
      address: acct.base58,
      transfers: 10,
      source: "api",
      idempotencyKey: "r1",
    });
    expect(await getBalance(userId)).toBe(70n * TRX);
    await cycle();
    const [s1] = await supplies(p.id);
    const refunded = await refundOrder({ orderId: s1.id, reason: "test: undelivered" });
    expect([refunded.status, refunded.refundedSun]).toEqual(["refunded", s1.priceSun]);
    expect(await getBalance(userId)).toBe(70n * TRX);
    // its cost no longer counts against the package; the ended supply marks the address for a
    // re-read (once), and the next cycle supplies again
    expect((await getPackage(userId, p.id)).supplyCostSun).toBe(0n);
    expect(await markPackageRetries()).toBe(1);
    expect((await cycle())[0].result).toBe("ordered");
    expect(await markPackageRetries()).toBe(0);
    expect(await getBalance(userId)).toBe(70n * TRX);
  });

  it("sizes a supply from the chain: one transfer's energy, at least the minimum order", async () => {
    const s = await getSettings();
    expect(supplyTarget(s, [])).toBe(BigInt(s.usdtEnergyHolder));
    expect(supplyTarget(s, [129_500n])).toBe(130_000n);
    expect(supplyTarget(s, [900_000n])).toBe(BigInt(s.usdtEnergyEmpty));
    expect(supplyEnergy(s, 65_000n, 0n)).toBe(65_000n);
    expect(supplyEnergy(s, 65_000n, 60_000n)).toBe(BigInt(s.energyMin));
  });
});

async function packagesSetting() {
  const s = await getSettings();
  return {
    offers: s.packages.offers.map((o) => ({ transfers: o.transfers, priceSun: o.priceSun.toString() })),
    validityDays: s.packages.validityDays,
    refundPercent: s.packages.refundPercent,
    supplyDuration: s.packages.supplyDuration,
  };
}
