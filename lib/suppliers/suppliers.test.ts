import { InngestTestEngine } from "@inngest/test";
import { randomBytes } from "node:crypto";
import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { devnetAccount } from "@/devnet/genesis";
import {
  delegations,
  ledgerEntries,
  supplierEarnings,
  supplierProfiles,
  supplierWallets,
  walletTxCosts,
} from "@/db/schema";
import { supplierEarningsFn } from "@/inngest/functions/supplier-earnings";
import { AppError } from "@/lib/errors";
import { capturedEvents } from "@/lib/events";
import { findLedgerMismatches, getBalance } from "@/lib/ledger";
import { createOrder, getOrder } from "@/lib/orders";
import {
  creditOpeningBalance,
  freshReceiver,
  fundedUser,
  importPool,
  runFulfil,
  runReclaim,
} from "@/lib/orders/testing";
import { rentalAddress } from "@/lib/transfers/address";
import { newAdmin } from "@/test/admins";
import { paySupplier } from "@/inngest/functions/supplier-payouts";
import { supplierPayoutApproved } from "@/inngest/events";
import {
  candidateTiers,
  permissionSetup,
  priceMeetsMinimum,
  recordWalletTxCost,
  refreshWallet,
  setWalletDailyCaps,
} from "@/lib/pool";
import { orderCapacity } from "@/lib/pool/capacity";
import { updateSettings } from "@/lib/settings";
import { findOrCreateTelegramUser } from "@/lib/users";
import { freshOrderKitPerTest } from "@/test/order-kit";
import {
  decidePayout,
  earningKey,
  feeRefundKey,
  getSupplierProfile,
  recordOwnerTxCost,
  listPayouts,
  payoutKey,
  payoutReturnKey,
  requestPayout,
  signPayout,
  withdrawableSun,
  listSupplierWallets,
  ownershipMessage,
  registerSupplierWallet,
  saveSupplierProfile,
  setSupplierWalletCaps,
  settleSupplierEarnings,
  supplierDashboard,
  supplierShareOf,
} from ".";

/**
 * Third-party suppliers on the devnet through tronweb: devnet account 3 is a supplier's wallet in
 * permission mode (granted as the console/portal shows it, registered with a signed message),
 * devnet account 1 the operator's own key-mode wallet.
 */

const TRX = 1_000_000n;
const kit = freshOrderKitPerTest();
const owner = devnetAccount(3);
let tgId = 7_200_000_000 + Math.floor(Math.random() * 100_000_000);

const newTxid = () => randomBytes(32).toString("hex");

/** The TRX burned for our transactions that was repaid to `userId` (the grant can leave the wallet no free bandwidth). */
async function feesRepaid(userId: number): Promise<bigint> {
  const db = await getDb();
  return (await db.select().from(ledgerEntries).where(eq(ledgerEntries.userId, userId)))
    .filter((e) => e.type === "supplier_fee_refund")
    .reduce((a, e) => a + e.amountSun, 0n);
}

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (x) => x,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

/** A supplier (a Telegram user with a profile) whose wallet is devnet account 3 in permission mode. */
async function supplierWithWallet(minPriceSunPerEnergyDay: bigint, available = true) {
  const { user } = await findOrCreateTelegramUser({ id: ++tgId, first_name: "Sam" });
  await saveSupplierProfile(user.id, {
    minPriceSunPerEnergyDay,
    available,
    energyCap: null,
    payoutAddress: devnetAccount(4).base58,
  });
  const tw = kit.client.tronWeb;
  const setup = await permissionSetup(owner.base58);
  const r = await tw.trx.sendRawTransaction(await tw.trx.sign(setup.transaction as never, owner.privateKey));
  expect(r.result, JSON.stringify(r)).toBe(true);
  await kit.mine();
  const signature = tw.trx.signMessageV2(ownershipMessage(user.id, owner.base58), owner.privateKey);
  const w = await registerSupplierWallet(user.id, { address: owner.base58, signature });
  expect(w).toMatchObject({ mode: "permission", supplierUserId: user.id, permissionError: null });
  const db = await getDb();
  await db.update(supplierWallets).set({ status: "enabled" }).where(eq(supplierWallets.id, w.id));
  return { userId: user.id, walletId: w.id };
}

async function order(userId: number) {
  return (
    await createOrder({
      userId,
      receiver: await freshReceiver(kit),
      energy: 65_001,
      duration: "1h",
      source: "portal",
      idempotencyKey: `sup-${Math.random()}`,
    })
  ).order;
}

function changeEvents(orderId: number, to: string) {
  return capturedEvents.filter(
    (e) => e.name === "order/status.changed" && e.data.orderId === orderId && e.data.to === to,
  );
}

async function earningEntries(userId: number) {
  const db = await getDb();
  return (await db.select().from(ledgerEntries).where(eq(ledgerEntries.userId, userId))).filter(
    (e) => e.type === "supplier_earning",
  );
}

async function setSuppliers(s: {
  selection: "own_first" | "suppliers_first" | "cheapest";
  commissionBps: number;
}) {
  await updateSettings({
    suppliers: { ...s, payoutAutoMaxSun: "0", payoutAutoAboveSun: "0", payoutMinSun: "10000000" },
  } as never);
}

afterAll(async () => {
  await setSuppliers({ selection: "own_first", commissionBps: 2_000 });
  // the wallet goes back to being nobody's for other suites sharing the database
  const db = await getDb();
  await db
    .update(supplierWallets)
    .set({ supplierUserId: null })
    .where(eq(supplierWallets.address, owner.base58));
});

describe("third-party suppliers", () => {
  beforeEach(async () => {
    // each test's supplier registers the wallet afresh (the chain is fresh too)
    const db = await getDb();
    await db
      .update(supplierWallets)
      .set({ removedAt: new Date() })
      .where(eq(supplierWallets.address, owner.base58));
  });

  it("suppliers_first: the supplier's permission wallet delivers the order; earnings credited once, minus the commission", async () => {
    await setSuppliers({ selection: "suppliers_first", commissionBps: 2_000 });
    await importPool([1]);
    const { userId: supplier, walletId } = await supplierWithWallet(1_000n); // 1h at 45 sun = 1,080 / energy-day
    const buyer = await fundedUser(1_000n * TRX);
    const o0 = await order(buyer);
    expect((await runFulfil(kit, o0.id)).error).toBeUndefined();
    const o = await getOrder({ orderId: o0.id });
    expect(o.status).toBe("active");
    expect(o.delegations.map((d) => d.supplierWalletId)).toEqual([walletId]);
    const [event] = changeEvents(o.id, "active");
    expect(event).toBeDefined();
    const fn = () =>
      new InngestTestEngine({ function: supplierEarningsFn }).execute({ events: [event as never] });
    await Promise.all([fn(), fn(), ...Array.from({ length: 6 }, () => settleSupplierEarnings(o.id))]);
    // 65,001 × 45 sun, all delivered: 2,925,045; 80 % rounded down
    expect(o.priceSun).toBe(2_925_045n);
    const expected = supplierShareOf(o.priceSun, 2_000);
    expect(expected).toBe(2_340_036n);
    const credits = await earningEntries(supplier);
    expect(credits).toHaveLength(1);
    expect(credits[0]).toMatchObject({
      amountSun: expected,
      idempotencyKey: earningKey(o.delegations[0].id),
      referenceType: "delegation",
    });
    // the delegate burned the owner's TRX (the grant used their free bandwidth): repaid beside the earning
    const fee = o.delegations[0].feeSun;
    expect(await feesRepaid(supplier)).toBe(fee);
    expect(await getBalance(supplier)).toBe(expected + fee);
    const db = await getDb();
    const [row] = await db.select().from(supplierEarnings).where(eq(supplierEarnings.orderId, o.id));
    expect(row).toMatchObject({
      supplierUserId: supplier,
      supplierWalletId: walletId,
      grossSun: o.priceSun,
      commissionBps: 2_000,
      earningSun: expected,
      commissionSun: o.priceSun - expected,
    });
    // a later change of the commission does not touch what was credited
    await setSuppliers({ selection: "suppliers_first", commissionBps: 5_000 });
    await settleSupplierEarnings(o.id);
    expect(await getBalance(supplier)).toBe(expected + fee);
    expect(await findLedgerMismatches()).toEqual([]);
    expect((await listSupplierWallets(supplier)).map((w) => w.id)).toEqual([walletId]);
  });

  it("the TRX a supplier's wallet burns for our delegate and undelegate is repaid, once per transaction, and can be paid out", async () => {
    await setSuppliers({ selection: "suppliers_first", commissionBps: 2_000 });
    const { userId: supplier, walletId } = await supplierWithWallet(1_000n);
    // no free bandwidth on this chain (and the owner stakes none): every byte of ours burns TRX,
    // which the owner allows (this wallet's costs of the other tests today count against the cap)
    await kit.ctl("params", { getFreeNetLimit: 0 });
    await setSupplierWalletCaps(supplier, walletId, { dailyBandwidthCap: 1_500n, dailyTrxCapSun: 50n * TRX });
    await refreshWallet(walletId);
    const buyer = await fundedUser(1_000n * TRX);
    const o0 = await order(buyer);
    expect((await runFulfil(kit, o0.id)).error).toBeUndefined();
    const part = (await getOrder({ orderId: o0.id })).delegations[0];
    expect(part.supplierWalletId).toBe(walletId);
    expect(part.feeSun).toBeGreaterThan(0n);
    await settleSupplierEarnings(o0.id);
    await kit.ctl("advance-time", { ms: 3600_000 + 10_000 });
    expect((await runReclaim(kit, part.id)).result).toMatchObject({ status: "reclaimed" });

    const db = await getDb();
    const costs = await db.select().from(walletTxCosts).where(eq(walletTxCosts.delegationId, part.id));
    expect(costs.map((c) => c.kind).sort()).toEqual(["delegate", "undelegate"]);
    const [reclaimed] = await db.select().from(delegations).where(eq(delegations.id, part.id));
    expect(costs.find((c) => c.kind === "delegate")?.feeSun).toBe(part.feeSun);
    expect(costs.find((c) => c.kind === "undelegate")?.feeSun).toBe(reclaimed.reclaimFeeSun);
    for (const c of costs) {
      expect(c.feeSun).toBeGreaterThan(0n);
      expect(c.supplierUserId).toBe(supplier);
      expect(c.repaidEntryId).not.toBeNull();
    }
    const repaid = (await db.select().from(ledgerEntries).where(eq(ledgerEntries.userId, supplier))).filter(
      (e) => e.type === "supplier_fee_refund",
    );
    const fees = repaid.reduce((a, e) => a + e.amountSun, 0n);
    // every fee this supplier's wallet paid for us: the order's two, and the ones before it (the
    // grant left no free bandwidth, so none were free)
    for (const c of costs)
      expect(repaid.find((e) => e.idempotencyKey === feeRefundKey(c.txid))?.amountSun).toBe(c.feeSun);

    // recorded again (a retried confirmation): nothing more
    const again = costs[0];
    await db.transaction((tx) =>
      recordOwnerTxCost(tx, {
        walletId,
        delegationId: again.delegationId,
        kind: again.kind,
        txid: again.txid,
        info: {
          fee: again.feeSun,
          blockTimeStamp: again.at.getTime(),
          receipt: { netUsage: again.netUsage },
        } as never,
      }),
    );
    expect(
      (await db.select().from(ledgerEntries).where(eq(ledgerEntries.userId, supplier))).filter(
        (e) => e.type === "supplier_fee_refund",
      ),
    ).toHaveLength(repaid.length);

    // the earning and the fees are what the supplier may withdraw, and what their page shows
    const earned = (await earningEntries(supplier)).reduce((a, e) => a + e.amountSun, 0n);
    expect(earned).toBeGreaterThan(0n);
    expect(await getBalance(supplier)).toBe(earned + fees);
    expect(await withdrawableSun(supplier)).toBe(earned + fees);
    const page = await supplierDashboard(supplier);
    expect(page.feesRepaidSun).toBe(fees);
    expect(page.earnedSun).toBe(earned);
    expect(page.earningsByDay.reduce((a, d) => a + d.feesRepaidSun, 0n)).toBe(fees);
    expect(await findLedgerMismatches()).toEqual([]);
    await setSupplierWalletCaps(supplier, walletId, { dailyBandwidthCap: 1_500n, dailyTrxCapSun: 5n * TRX });
  });

  it("the operator's own permission-mode wallet: its owner's fees are recorded, not repaid to anyone", async () => {
    const { walletId } = await supplierWithWallet(1_000n);
    const db = await getDb();
    await db.update(supplierWallets).set({ supplierUserId: null }).where(eq(supplierWallets.id, walletId));
    const [t1, t2] = [newTxid(), newTxid()];
    const row = await db.transaction((tx) =>
      recordWalletTxCost(tx, {
        walletId,
        delegationId: null,
        kind: "delegate",
        txid: t1,
        info: { fee: 280_000n, blockTimeStamp: Date.now(), receipt: { netUsage: 0n } } as never,
      }),
    );
    expect(row).toMatchObject({ supplierUserId: null, repaidEntryId: null, feeSun: 280_000n });
    await db.transaction((tx) =>
      recordOwnerTxCost(tx, {
        walletId,
        delegationId: null,
        kind: "undelegate",
        txid: t2,
        info: { fee: 280_000n, blockTimeStamp: Date.now(), receipt: { netUsage: 0n } } as never,
      }),
    );
    const rows = await db
      .select()
      .from(walletTxCosts)
      .where(inArray(walletTxCosts.txid, [t1, t2]));
    expect(rows.map((r) => [r.supplierUserId, r.repaidEntryId])).toEqual([
      [null, null],
      [null, null],
    ]);
    const keys = (await db.select().from(ledgerEntries)).map((e) => e.idempotencyKey);
    expect(keys).not.toContain(feeRefundKey(t1));
    expect(keys).not.toContain(feeRefundKey(t2));
  });

  it("a supplier sets their own wallet's daily caps; nobody else can, and bad caps change nothing", async () => {
    const { userId: supplier, walletId } = await supplierWithWallet(1_000n);
    const w = await setSupplierWalletCaps(supplier, walletId, {
      dailyBandwidthCap: 900n,
      dailyTrxCapSun: 2n * TRX,
    });
    expect(w).toMatchObject({ id: walletId, dailyBandwidthCap: 900n, dailyTrxCapSun: 2n * TRX });
    const { user: other } = await findOrCreateTelegramUser({ id: ++tgId, first_name: "Eve" });
    for (const [who, id] of [
      [other.id, walletId],
      [supplier, walletId + 1_000_000],
      [supplier, Number.NaN],
    ] as const)
      expect(
        (await refusal(setSupplierWalletCaps(who, id, { dailyBandwidthCap: 1n, dailyTrxCapSun: 1n }))).code,
      ).toBe("not_found");
    for (const bad of [
      { dailyBandwidthCap: -1n, dailyTrxCapSun: 0n },
      { dailyBandwidthCap: 0n, dailyTrxCapSun: 10n ** 13n },
    ])
      expect((await refusal(setSupplierWalletCaps(supplier, walletId, bad))).code).toBe("bad_request");
    const [after] = await listSupplierWallets(supplier);
    expect(after).toMatchObject({ dailyBandwidthCap: 900n, dailyTrxCapSun: 2n * TRX });
    // the wallet leaves the pool and another supplier registers it: their wallet starts from the
    // defaults, not from the previous owner's caps
    const db = await getDb();
    await db.update(supplierWallets).set({ removedAt: new Date() }).where(eq(supplierWallets.id, walletId));
    const { userId: next, walletId: again } = await supplierWithWallet(1_000n);
    expect(next).not.toBe(supplier);
    expect(again).toBe(walletId);
    const [fresh] = await listSupplierWallets(next);
    expect(fresh).toMatchObject({ dailyBandwidthCap: 1_500n, dailyTrxCapSun: 5n * TRX });
  });

  it("own_first: the operator's own wallet is used and the supplier earns nothing", async () => {
    await setSuppliers({ selection: "own_first", commissionBps: 2_000 });
    const [own] = await importPool([1]);
    const { userId: supplier } = await supplierWithWallet(0n);
    const buyer = await fundedUser(1_000n * TRX);
    const o0 = await order(buyer);
    expect((await runFulfil(kit, o0.id)).error).toBeUndefined();
    const o = await getOrder({ orderId: o0.id });
    expect(o.status).toBe("active");
    expect(o.delegations.map((d) => d.supplierWalletId)).toEqual([own.id]);
    expect(await settleSupplierEarnings(o.id)).toEqual({ status: "none", reason: "no_supplier_parts" });
    expect(await getBalance(supplier)).toBe(0n);
  });

  it("never uses a supplier's wallet below their minimum price (or while unavailable): refused up front; changed after the order was taken, the order is refunded and earns nothing", async () => {
    await setSuppliers({ selection: "suppliers_first", commissionBps: 2_000 });
    const { userId: supplier, walletId } = await supplierWithWallet(2_000n); // above 1,080
    const buyer = await fundedUser(1_000n * TRX);
    // the pool's capacity counts the wallet only for orders it may serve (lib/pool/capacity)
    expect((await refusal(order(buyer))).code).toBe("no_capacity");
    const terms = (minPriceSunPerEnergyDay: bigint, available: boolean) =>
      saveSupplierProfile(supplier, {
        minPriceSunPerEnergyDay,
        available,
        energyCap: null,
        payoutAddress: null,
      });
    // taken while 1,080 met the minimum; raised to 2,000 before it is planned
    await terms(1_000n, true);
    const o0 = await order(buyer);
    await terms(2_000n, true);
    await runFulfil(kit, o0.id);
    const o = await getOrder({ orderId: o0.id });
    expect(o.status).toBe("refunded");
    expect(o.delegations.filter((d) => d.supplierWalletId === walletId && d.status !== "failed")).toEqual([]);
    expect(await settleSupplierEarnings(o.id)).toEqual({ status: "none", reason: "not_delivered" });
    expect(await getBalance(supplier)).toBe(0n);
    expect(await getBalance(buyer)).toBe(1_000n * TRX);

    // at the price, but switched off after the order was taken
    await terms(0n, true);
    const o1 = await order(buyer);
    await terms(0n, false);
    await runFulfil(kit, o1.id);
    expect((await getOrder({ orderId: o1.id })).status).toBe("refunded");
    const db = await getDb();
    const parts = await db.select().from(delegations).where(eq(delegations.supplierWalletId, walletId));
    expect(parts.filter((d) => d.orderId === o0.id || d.orderId === o1.id)).toEqual([]);
    expect(await earningEntries(supplier)).toEqual([]);
    expect(await findLedgerMismatches()).toEqual([]);
  });

  it("refuses bad profiles and unproven wallets, storing nothing", async () => {
    const { user } = await findOrCreateTelegramUser({ id: ++tgId, first_name: "Eve" });
    expect(
      (await refusal(registerSupplierWallet(user.id, { address: owner.base58, signature: "00" }))).code,
    ).toBe("invalid_state");
    for (const bad of [
      { minPriceSunPerEnergyDay: -1n, available: true, energyCap: null, payoutAddress: null },
      { minPriceSunPerEnergyDay: 10n, available: true, energyCap: 0n, payoutAddress: null },
      { minPriceSunPerEnergyDay: 10n, available: true, energyCap: null, payoutAddress: "0x1234" },
    ])
      await refusal(saveSupplierProfile(user.id, bad));
    expect(await getSupplierProfile(user.id)).toBeNull();
    await saveSupplierProfile(user.id, {
      minPriceSunPerEnergyDay: 10n,
      available: true,
      energyCap: null,
      payoutAddress: null,
    });
    const tw = kit.client.tronWeb;
    // signed by another key, or for another user: refused
    const other = tw.trx.signMessageV2(ownershipMessage(user.id, owner.base58), devnetAccount(4).privateKey);
    expect(
      (await refusal(registerSupplierWallet(user.id, { address: owner.base58, signature: other }))).code,
    ).toBe("forbidden");
    const wrongUser = tw.trx.signMessageV2(ownershipMessage(user.id + 1, owner.base58), owner.privateKey);
    expect(
      (await refusal(registerSupplierWallet(user.id, { address: owner.base58, signature: wrongUser }))).code,
    ).toBe("forbidden");
    expect((await refusal(registerSupplierWallet(user.id, { address: "nope", signature: other }))).code).toBe(
      "invalid_address",
    );
    // proven but not granted (a fresh chain): the pool's grant check refuses
    const proof = tw.trx.signMessageV2(ownershipMessage(user.id, owner.base58), owner.privateKey);
    expect(
      (await refusal(registerSupplierWallet(user.id, { address: owner.base58, signature: proof }))).code,
    ).toBe("invalid_state");
    expect(await listSupplierWallets(user.id)).toEqual([]);
    const db = await getDb();
    const [p] = await db.select().from(supplierProfiles).where(eq(supplierProfiles.userId, user.id));
    expect(p.minPriceSunPerEnergyDay).toBe(10n);
  });

  it("payouts: debited at request, rejected ones returned once, an approved one stored before broadcast, confirmed and paid once", async () => {
    await setSuppliers({ selection: "suppliers_first", commissionBps: 2_000 });
    await updateSettings({
      suppliers: {
        selection: "suppliers_first",
        commissionBps: 2_000,
        payoutAutoMaxSun: "0",
        payoutAutoAboveSun: "0",
        payoutMinSun: "1000000",
      },
    } as never);
    const { userId: supplier } = await supplierWithWallet(0n);
    const buyer = await fundedUser(1_000n * TRX);
    const o0 = await order(buyer);
    expect((await runFulfil(kit, o0.id)).error).toBeUndefined();
    await settleSupplierEarnings(o0.id);
    // what they earned: the delivery's share and the TRX our delegate burned from their wallet
    const earned = supplierShareOf(2_925_045n, 2_000) + (await feesRepaid(supplier));
    // their own money is never paid out: only what they earned
    await creditOpeningBalance(supplier, 100n * TRX);
    expect(await withdrawableSun(supplier)).toBe(earned);
    const before = await getBalance(supplier);
    expect((await refusal(requestPayout(supplier, { amountSun: 0n }))).code).toBe("invalid_amount");
    expect((await refusal(requestPayout(supplier, { amountSun: 999_999n }))).code).toBe("invalid_amount");
    expect((await refusal(requestPayout(supplier, { amountSun: earned + 1n }))).code).toBe(
      "insufficient_balance",
    );
    expect(await getBalance(supplier)).toBe(before);
    expect(await listPayouts({ userId: supplier })).toEqual([]);

    const admin = (await newAdmin("operator")).id;
    const p1 = await requestPayout(supplier, { amountSun: TRX });
    expect(p1.status).toBe("pending");
    expect(await getBalance(supplier)).toBe(before - TRX);
    expect((await refusal(decidePayout({ payoutId: p1.id, approve: false, adminId: admin }))).code).toBe(
      "bad_request",
    );
    const r1 = await decidePayout({
      payoutId: p1.id,
      approve: false,
      reason: "check the address",
      adminId: admin,
    });
    expect(r1.status).toBe("rejected");
    expect((await refusal(decidePayout({ payoutId: p1.id, approve: true, adminId: admin }))).code).toBe(
      "invalid_state",
    );
    expect(await getBalance(supplier)).toBe(before);

    const p2 = await requestPayout(supplier, { amountSun: 2n * TRX });
    const a2 = await decidePayout({ payoutId: p2.id, approve: true, adminId: admin });
    expect(a2.status).toBe("approved");
    expect(
      capturedEvents.filter((e) => e.name === "supplier/payout.approved" && e.data.payoutId === p2.id),
    ).toHaveLength(1);
    await kit.ctl("fund", { address: rentalAddress(), trx: 100 });
    const to = devnetAccount(4).base58;
    const toBefore = (await kit.client.getAccount(to)).trxSun;
    // stored before broadcast: signed and on the row, nothing on chain yet
    expect(await signPayout(p2.id)).toEqual({ state: "signed" });
    const [stored] = await listPayouts({ userId: supplier, status: ["signed"] });
    expect(stored.txid).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.signedTx).toBeTruthy();
    expect((await kit.client.getAccount(to)).trxSun).toBe(toBefore);
    const run = () =>
      new InngestTestEngine({ function: paySupplier }).execute({
        events: [supplierPayoutApproved.create({ payoutId: p2.id })],
        steps: Array.from({ length: 40 }, (_, i) => ({
          id: `wait-${i}`,
          handler: async () => {
            await kit.mine(1);
            return null;
          },
        })),
      });
    expect((await run()).error).toBeUndefined();
    await run(); // again: nothing more is sent
    const [paid] = await listPayouts({ userId: supplier, status: ["confirmed"] });
    expect(paid).toMatchObject({ id: p2.id, txid: stored.txid, status: "confirmed" });
    expect((await kit.client.getAccount(to)).trxSun).toBe(toBefore + 2n * TRX);
    expect(await getBalance(supplier)).toBe(before - 2n * TRX);
    expect(await withdrawableSun(supplier)).toBe(earned - 2n * TRX);
    const db = await getDb();
    const keys = (await db.select().from(ledgerEntries).where(eq(ledgerEntries.userId, supplier))).map(
      (e) => e.idempotencyKey,
    );
    expect(keys.filter((k) => k === payoutKey(p2.id))).toHaveLength(1);
    expect(keys).toContain(payoutReturnKey(p1.id));
    expect(await findLedgerMismatches()).toEqual([]);
  });

  it("a wallet out of selection for what pays its transactions: the supplier's page data says why", async () => {
    const { userId: supplier, walletId } = await supplierWithWallet(0n);
    await kit.ctl("advance-time", { ms: 86_400_000 }); // the owner's free bandwidth recovers
    await refreshWallet(walletId);
    const shortOf = async () => (await supplierDashboard(supplier)).wallets.map((w) => [w.id, w.shortOf]);
    expect(await shortOf()).toEqual([[walletId, null]]);
    expect((await orderCapacity()).maxEnergy).toBeGreaterThan(0n);
    // no bandwidth allowed today: out of selection, and the page's data names the bandwidth cap
    await setWalletDailyCaps(walletId, { dailyBandwidthCap: 0n, dailyTrxCapSun: 0n });
    expect((await orderCapacity()).maxEnergy).toBe(0n);
    expect(await shortOf()).toEqual([[walletId, "bandwidth_cap"]]);
    await setWalletDailyCaps(walletId, { dailyBandwidthCap: 1_500n, dailyTrxCapSun: 5n * TRX });
    expect(await shortOf()).toEqual([[walletId, null]]);
  });

  it("the rules order the candidates; minimum price compared exactly", () => {
    const o = { priceSun: 2_925_045n, energy: 65_001n, durationSeconds: 3_600, needEnergy: 65_001n };
    expect(priceMeetsMinimum(o, 1_080n)).toBe(true);
    expect(priceMeetsMinimum(o, 1_081n)).toBe(false);
    const cands = [
      { id: 1, freeSun: 100n * TRX, priority: 0 },
      { id: 2, freeSun: 100n * TRX, priority: 0 },
      { id: 3, freeSun: 100n * TRX, priority: 0 },
      { id: 4, freeSun: 100n * TRX, priority: 0 },
    ];
    const info = new Map(
      [
        { id: 1, supplierUserId: null, minPrice: null },
        { id: 2, supplierUserId: 10, minPrice: 900n },
        { id: 3, supplierUserId: 11, minPrice: 500n },
        { id: 4, supplierUserId: 12, minPrice: 5_000n },
      ].map((i) => [i.id, { ...i, available: true, energyCap: null, outEnergy: 0n }]),
    );
    const ids = (tiers: { id: number }[][]) => tiers.map((t) => t.map((c) => c.id));
    expect(ids(candidateTiers(cands, info, "own_first", o, TRX))).toEqual([[1], [1, 2, 3]]);
    expect(ids(candidateTiers(cands, info, "suppliers_first", o, TRX))).toEqual([
      [2, 3],
      [1, 2, 3],
    ]);
    expect(ids(candidateTiers(cands, info, "cheapest", o, TRX))).toEqual([[1], [1, 3], [1, 2, 3]]);
    // without the order's terms no supplier wallet is a candidate
    expect(ids(candidateTiers(cands, info, "suppliers_first", undefined, TRX))).toEqual([[], [1]]);
  });
});
