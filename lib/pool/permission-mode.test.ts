import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { freshOrderKitPerTest } from "@/test/order-kit";
import { devnetAccount } from "@/devnet/genesis";
import { getDb } from "@/db";
import { alerts, delegations, supplierWallets, walletTxCosts } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { getBalance } from "@/lib/ledger";
import { createOrder, getOrder } from "@/lib/orders";
import { freshReceiver, fundedUser, importPool, runFulfil, runReclaim } from "@/lib/orders/testing";
import { orderCapacity } from "./capacity";
import {
  feeShortages,
  importPermissionWallet,
  listOwnerReclaims,
  operatorAddress,
  permissionSetup,
  refreshWallet,
  setOperatorKey,
  setWalletDailyCaps,
} from "./index";
import { adminActions } from "@/lib/admin/actions";
import { alertRules, evaluateAlertRules } from "@/lib/admin/alert-rules";
import { adminContext } from "@/test/admins";
import { auditLog } from "@/db/schema";
import { encodeOperations } from "@/lib/tron/permissions";
import { raiseAlert } from "@/lib/alerts";
import { sendTrx, treasury } from "@/lib/deposits/testing";
import { getSettings, serializeSettings, updateSettings } from "@/lib/settings";

const rule = (name: string) => alertRules.filter((r) => r.name === name);

/**
 * Permission-mode supplier wallets on the devnet through tronweb: the owner (devnet pool-3) grants
 * the operator key an Active permission for DelegateResource / UnDelegateResource only; the app
 * delegates and undelegates with it, never holding the owner's key.
 */

const TRX = 1_000_000n;
const kit = freshOrderKitPerTest();
const owner = devnetAccount(3);

type Perm = {
  name: string;
  operations: number[];
  keys: { address: string; weight: number }[];
  threshold?: number;
};

/** The owner signs an AccountPermissionUpdate with its own key (as TronLink would) and sends it. */
async function ownerSends(tx: any) {
  const tw = kit.client.tronWeb;
  const r = await tw.trx.sendRawTransaction(await tw.trx.sign(tx, owner.privateKey));
  expect(r.result, JSON.stringify(r)).toBe(true);
  await kit.mine();
}

/** Sets the owner's Active permissions to exactly `actives` (tronweb's builder, the owner's key). */
async function setActives(actives: Perm[]) {
  const tx = await kit.client.tronWeb.transactionBuilder.updateAccountPermissions(
    owner.base58,
    {
      type: 0,
      permission_name: "owner",
      threshold: 1,
      keys: [{ address: owner.base58, weight: 1 }],
    } as never,
    undefined as never,
    actives.map((a) => ({
      type: 2,
      permission_name: a.name,
      threshold: a.threshold ?? 1,
      operations: encodeOperations(a.operations),
      keys: a.keys,
    })) as never,
  );
  await ownerSends(tx);
}

/** What the console shows, signed by the owner: the grant as the platform asks for it. */
async function grantAsShown() {
  const setup = await permissionSetup(owner.base58);
  await ownerSends(setup.transaction);
  return setup;
}

async function importOwner(extra: { dailyBandwidthCap?: bigint; dailyTrxCapSun?: bigint } = {}) {
  const w = await importPermissionWallet({ address: owner.base58, label: "owner-3", ...extra });
  const db = await getDb();
  await db.update(supplierWallets).set({ status: "enabled" }).where(eq(supplierWallets.id, w.id));
  return refreshWallet(w.id);
}

async function order(userId: number, receiver?: string) {
  return (
    await createOrder({
      userId,
      receiver: receiver ?? (await freshReceiver(kit)),
      energy: 65_000,
      duration: "1h",
      source: "portal",
      idempotencyKey: `perm-${Math.random()}`,
    })
  ).order;
}

async function walletRow(id: number) {
  const db = await getDb();
  const [w] = await db.select().from(supplierWallets).where(eq(supplierWallets.id, id));
  return w;
}

async function costsOf(walletId: number) {
  const db = await getDb();
  return db.select().from(walletTxCosts).where(eq(walletTxCosts.supplierWalletId, walletId));
}

async function openAlert(key: string) {
  const db = await getDb();
  const [a] = await db
    .select()
    .from(alerts)
    .where(and(eq(alerts.dedupeKey, key), eq(alerts.status, "open")));
  return a;
}

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (x) => x,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

async function rowsFor(address: string) {
  const db = await getDb();
  return db.select().from(supplierWallets).where(eq(supplierWallets.address, address));
}

describe("permission-mode wallets", () => {
  beforeEach(async () => {
    // each test starts a fresh chain: the owner's costs recorded by an earlier test are not today's
    const db = await getDb();
    for (const w of await rowsFor(owner.base58))
      await db.delete(walletTxCosts).where(eq(walletTxCosts.supplierWalletId, w.id));
  });

  it("shows the permission to add and the node's unsigned transaction; imported by address, an order is delivered and reclaimed with the operator key", async () => {
    const operator = (await operatorAddress())!;
    expect(operator).toMatch(/^T/);
    const setup = await permissionSetup(owner.base58);
    expect(setup.granted).toBe(false);
    expect(setup.permission).toMatchObject({
      threshold: 1,
      operationIds: [57, 58],
      operationNames: ["DelegateResourceContract", "UnDelegateResourceContract"],
      keys: [{ address: operator, weight: 1 }],
    });
    expect(setup.kept).toEqual([{ id: 2, name: "active" }]);
    expect(setup.feeSun).toBe(100n * TRX);
    expect(setup.transaction.raw_data.contract[0].type).toBe("AccountPermissionUpdateContract");
    expect(setup.transaction.signature).toBeUndefined();
    const before = (await kit.client.getAccount(owner.base58)).trxSun;
    await ownerSends(setup.transaction);
    expect((await kit.client.getAccount(owner.base58)).trxSun).toBeLessThanOrEqual(before - 100n * TRX);
    expect((await permissionSetup(owner.base58)).granted).toBe(true);

    const w = await importOwner();
    expect(w).toMatchObject({
      mode: "permission",
      permissionId: 3,
      permissionError: null,
      status: "enabled",
    });
    expect((await walletRow(w.id)).encryptedKey).toBeNull(); // the owner's key was never given
    expect(w.delegatableSun).toBeGreaterThan(0n);

    const userId = await fundedUser(1_000n * TRX);
    const o = await order(userId);
    expect((await runFulfil(kit, o.id)).error).toBeUndefined();
    const done = await getOrder({ orderId: o.id });
    expect(done.status).toBe("active");
    const [part] = done.delegations;
    expect(part.supplierWalletId).toBe(w.id);
    const contract = (part.signedTx as any).raw_data.contract[0];
    expect(contract.Permission_id).toBe(3);
    const signer = kit.client.tronWeb.trx.ecRecover(part.signedTx as any);
    expect(signer).toBe(operator);
    const onChain = await kit.client.getDelegatedResourceV2(owner.base58, part.receiverAddress);
    expect(onChain.reduce((a, r) => a + r.energySun, 0n)).toBe(part.sun);

    // its cost to the owner, from the receipt
    const [delegateCost] = await costsOf(w.id);
    const info = await kit.client.getTransactionInfo(part.txid!);
    expect(delegateCost).toMatchObject({ kind: "delegate", txid: part.txid, delegationId: part.id });
    expect(delegateCost.netUsage + delegateCost.feeSun).toBeGreaterThan(0n);
    expect(delegateCost.netUsage).toBe(info!.receipt.netUsage);
    expect(delegateCost.feeSun).toBe(info!.fee);
    expect(delegateCost.netUsage).toBeLessThanOrEqual(300n);

    await kit.ctl("advance-time", { ms: 3600_000 + 10_000 });
    expect((await runReclaim(kit, part.id)).error).toBeUndefined();
    expect((await getOrder({ orderId: o.id })).status).toBe("completed");
    expect(await kit.client.getDelegatedResourceV2(owner.base58, part.receiverAddress)).toEqual([]);
    const costs = await costsOf(w.id);
    expect(costs.map((c) => c.kind).sort()).toEqual(["delegate", "undelegate"]);

    // the operator key cannot be changed while a wallet names it
    const e = await refusal(setOperatorKey({}));
    expect(e.code).toBe("invalid_state");
    expect(await operatorAddress()).toBe(operator);
    // an empty key (nothing on stdin) is refused, never taken as "generate one"
    for (const privateKey of ["", "  \n"]) {
      const empty = await refusal(setOperatorKey({ privateKey }));
      expect(empty.code).toBe("bad_request");
      expect(empty.message).toBe("The operator key is empty.");
    }
    expect(await operatorAddress()).toBe(operator);
  });

  it("refuses a wider grant, one not naming the operator, one whose weight is short, and a bad address; nothing is stored", async () => {
    const operator = (await operatorAddress())!;
    const other = devnetAccount(8).base58;
    const stored = await rowsFor(owner.base58);
    await setActives([
      { name: "too-wide", operations: [1, 57, 58], keys: [{ address: operator, weight: 1 }] },
    ]);
    let e = await refusal(importPermissionWallet({ address: owner.base58 }));
    expect(e.code).toBe("invalid_state");
    expect(e.message).toContain("also allows TransferContract (1)");
    expect(e.message).toContain("must never be able to move the account's TRX");
    expect(await rowsFor(owner.base58)).toEqual(stored);

    await setActives([{ name: "someone-else", operations: [57, 58], keys: [{ address: other, weight: 1 }] }]);
    e = await refusal(importPermissionWallet({ address: owner.base58 }));
    expect(e.message).toBe(`No Active permission of this account names the operator address ${operator}.`);

    await setActives([
      {
        name: "two-keys",
        operations: [57, 58],
        threshold: 2,
        keys: [
          { address: operator, weight: 1 },
          { address: other, weight: 1 },
        ],
      },
    ]);
    e = await refusal(importPermissionWallet({ address: owner.base58 }));
    expect(e.message).toContain("does not reach the threshold (2) alone");

    await setActives([{ name: "half", operations: [57], keys: [{ address: operator, weight: 1 }] }]);
    e = await refusal(importPermissionWallet({ address: owner.base58 }));
    expect(e.message).toContain(
      "must allow both DelegateResourceContract (57) and UnDelegateResourceContract (58)",
    );

    e = await refusal(importPermissionWallet({ address: "TNotAnAddress" }));
    expect(e.code).toBe("invalid_address");
    e = await refusal(importPermissionWallet({ address: "" }));
    expect(e.code).toBe("bad_request");
    expect(await rowsFor(owner.base58)).toEqual(stored);
  });

  it("revoked between the refresh and the broadcast: SIGERROR takes the wallet out, the order is delivered by another wallet, the owner's open delegation is flagged and alerted", async () => {
    await grantAsShown();
    const w = await importOwner();
    const userId = await fundedUser(1_000n * TRX);
    const first = await order(userId);
    expect((await runFulfil(kit, first.id)).error).toBeUndefined();
    const [out] = (await getOrder({ orderId: first.id })).delegations;
    expect(out.supplierWalletId).toBe(w.id);
    const [keyWallet] = await importPool([1]);

    // the owner revokes: only the default active permission remains (the database has not seen it)
    await setActives([
      { name: "active", operations: [0, 1, 2, 57, 58], keys: [{ address: owner.base58, weight: 1 }] },
    ]);
    const second = await order(userId);
    // planned on the permission wallet (smallest that fits), refused at broadcast, re-planned
    expect((await runFulfil(kit, second.id)).error).toBeUndefined();
    const d = await getOrder({ orderId: second.id });
    expect(d.status).toBe("active");
    expect(d.delegations.map((x) => [x.supplierWalletId, x.status, x.error?.split(":")[0]])).toEqual([
      [w.id, "failed", "bad_signature"],
      [keyWallet.id, "confirmed", undefined],
    ]);
    expect(d.delegations[0].error).toContain("Validate signature error");
    expect(await getBalance(userId)).toBeLessThan(1_000n * TRX);

    // found at the broadcast, then confirmed by the refresh of the refused wallet
    const after = await walletRow(w.id);
    expect(after.permissionError).toContain(
      "No Active permission of this account names the operator address",
    );
    const alert = await openAlert(`pool:permission_revoked:${w.id}`);
    expect(alert).toMatchObject({ rule: "pool_permission_revoked", severity: "critical" });
    expect(alert.occurrences).toBeGreaterThanOrEqual(2);
    expect(alert.details).toMatchObject({ walletId: w.id, ownerReclaim: [out.id] });
    expect((await listOwnerReclaims()).map((r) => [r.id, r.walletId])).toEqual([[out.id, w.id]]);
    // the monitoring rule keeps it open while the grant is gone; the flagged delegation is not
    // reported again as an overdue reclaim (its own alert says what to do)
    expect((await evaluateAlertRules(rule("pool_permission_revoked"))).resolved).toEqual([]);
    expect(await openAlert(`pool:permission_revoked:${w.id}`)).toBeDefined();

    // the reclaim signs nothing for it; once the owner undelegates, it closes
    await kit.ctl("advance-time", { ms: 3600_000 + 10_000 });
    const db0 = await getDb();
    await db0
      .update(delegations)
      .set({ expiresAt: new Date(Date.now() - 3600_000) })
      .where(eq(delegations.id, out.id));
    expect((await evaluateAlertRules(rule("reclaim_overdue"))).raised).not.toContain(
      `reclaim:overdue:${out.id}`,
    );
    const waiting = await runReclaim(kit, out.id);
    expect(waiting.result).toMatchObject({ status: "waiting", reason: "permission_revoked" });
    const db = await getDb();
    const [stalled] = await db.select().from(delegations).where(eq(delegations.id, out.id));
    expect(stalled.reclaimTxid).toBeNull();
    expect(stalled.ownerReclaimAt).not.toBeNull();
    const tw = kit.client.tronWeb;
    const undo = await tw.transactionBuilder.undelegateResource(
      Number(out.sun),
      out.receiverAddress,
      "ENERGY",
      owner.base58,
    );
    expect((await tw.trx.sendRawTransaction(await tw.trx.sign(undo, owner.privateKey))).result).toBe(true);
    await db.update(delegations).set({ reclaimAfter: null }).where(eq(delegations.id, out.id));
    expect((await runReclaim(kit, out.id)).result).toMatchObject({ status: "reclaimed" });
    expect(await listOwnerReclaims()).toEqual([]);
    expect((await getOrder({ orderId: first.id })).status).toBe("completed");
  });

  it("revoked with no other wallet: the order is refunded in full; the refresh finds a revocation before any broadcast, and a restored grant brings the wallet back", async () => {
    await grantAsShown();
    const w = await importOwner();
    await setActives([
      { name: "active", operations: [57, 58], keys: [{ address: owner.base58, weight: 1 }] },
    ]);
    const userId = await fundedUser(1_000n * TRX);
    const o = await order(userId);
    expect((await runFulfil(kit, o.id)).error).toBeUndefined();
    const d = await getOrder({ orderId: o.id });
    expect(d.status).toBe("refunded");
    expect(await getBalance(userId)).toBe(1_000n * TRX);
    expect((await walletRow(w.id)).permissionError).not.toBeNull();

    // the owner grants it again: the refresh sees it and the wallet is back, alert resolved
    await grantAsShown();
    await refreshWallet(w.id);
    expect((await walletRow(w.id)).permissionError).toBeNull();
    expect(await openAlert(`pool:permission_revoked:${w.id}`)).toBeUndefined();
    expect((await evaluateAlertRules(rule("pool_permission_revoked"))).raised).toEqual([]);
    expect((await orderCapacity()).maxEnergy).toBeGreaterThan(0n);

    // revoked again, found by the refresh: out of selection before anything is signed
    await setActives([
      { name: "active", operations: [57, 58], keys: [{ address: owner.base58, weight: 1 }] },
    ]);
    await refreshWallet(w.id);
    expect((await walletRow(w.id)).permissionError).toContain("No Active permission");
    expect(await openAlert(`pool:permission_revoked:${w.id}`)).toMatchObject({
      details: { source: "refresh" },
    });
    expect((await orderCapacity()).maxEnergy).toBe(0n);
    const refused = await refusal(order(userId));
    expect(refused.code).toBe("no_capacity");
  });

  it("never spends past the owner's daily caps: a wallet over its cap is not selected; the costs are recorded", async () => {
    await grantAsShown();
    await kit.ctl("advance-time", { ms: 86_400_000 }); // the owner's free bandwidth recovers
    // room for one transaction paid from bandwidth, none from TRX
    const w = await importOwner({ dailyBandwidthCap: 300n, dailyTrxCapSun: 0n });
    expect(w.bandwidthAvailable).toBeGreaterThanOrEqual(600n);
    const userId = await fundedUser(1_000n * TRX);
    const first = await order(userId);
    expect((await runFulfil(kit, first.id)).error).toBeUndefined();
    expect((await getOrder({ orderId: first.id })).delegations[0].supplierWalletId).toBe(w.id);
    await refreshWallet(w.id);
    const [cost] = await costsOf(w.id);
    expect(cost.netUsage).toBeGreaterThan(0n);
    expect(cost.feeSun).toBe(0n);

    // no room for another today: nothing to offer, and an order placed before is not put on it
    expect((await orderCapacity()).maxEnergy).toBe(0n);
    const [keyWallet] = await importPool([1]);
    const second = await order(userId);
    expect((await runFulfil(kit, second.id)).error).toBeUndefined();
    expect((await getOrder({ orderId: second.id })).delegations.map((x) => x.supplierWalletId)).toEqual([
      keyWallet.id,
    ]);

    // the reclaim too waits for the next UTC day rather than go past the cap
    await kit.ctl("advance-time", { ms: 3600_000 + 10_000 });
    const part = (await getOrder({ orderId: first.id })).delegations[0];
    const run = await runReclaim(kit, part.id);
    expect(run.result).toMatchObject({ status: "waiting", reason: "daily_cap" });
    expect((await costsOf(w.id)).length).toBe(1);

    // a higher cap: the reclaim goes through and its cost is recorded too
    await setWalletDailyCaps(w.id, { dailyBandwidthCap: 2_000n, dailyTrxCapSun: 1n * TRX });
    const db = await getDb();
    await db.update(delegations).set({ reclaimAfter: null }).where(eq(delegations.id, part.id));
    expect((await runReclaim(kit, part.id)).result).toMatchObject({ status: "reclaimed" });
    const costs = await costsOf(w.id);
    expect(costs.map((c) => c.kind).sort()).toEqual(["delegate", "undelegate"]);
    const spent = costs.reduce((a, c) => a + c.netUsage, 0n);
    expect(spent).toBeLessThanOrEqual(600n);

    // caps are for permission-mode wallets, and must be sane numbers
    expect(
      (await refusal(setWalletDailyCaps(keyWallet.id, { dailyBandwidthCap: 1n, dailyTrxCapSun: 1n }))).code,
    ).toBe("invalid_state");
    await expect(setWalletDailyCaps(w.id, { dailyBandwidthCap: -1n, dailyTrxCapSun: 0n })).rejects.toThrow();
    expect((await walletRow(w.id)).dailyBandwidthCap).toBe(2_000n);
  });

  it("console actions: an owner imports by address with caps and changes the caps; an operator may only change caps; bad input changes nothing", async () => {
    await grantAsShown();
    const owner_ = await adminContext("owner");
    const operatorRole = await adminContext("operator");
    const r = await adminActions.importPermissionWallet(owner_, {
      address: owner.base58,
      label: "by console",
      dailyBandwidthCap: "900",
      dailyTrxCap: "2.5",
    });
    expect(r).toMatchObject({ address: owner.base58, permissionId: 3 });
    let w = await walletRow(r.walletId);
    expect(w).toMatchObject({ mode: "permission", dailyBandwidthCap: 900n, dailyTrxCapSun: 2_500_000n });
    const db = await getDb();
    const [audit] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, String(r.walletId)), eq(auditLog.adminId, owner_.admin.id)));
    expect(audit.after).toMatchObject({ mode: "permission", permissionId: 3 });

    // an operator may not import…
    expect(
      (await refusal(adminActions.importPermissionWallet(operatorRole, { address: owner.base58 }))).status,
    ).toBe(403);
    // …but may set the caps
    await adminActions.setWalletCaps(operatorRole, {
      walletId: r.walletId,
      dailyBandwidthCap: "1200",
      dailyTrxCap: "1",
    });
    w = await walletRow(r.walletId);
    expect([w.dailyBandwidthCap, w.dailyTrxCapSun]).toEqual([1200n, 1_000_000n]);

    for (const bad of [
      { walletId: r.walletId, dailyBandwidthCap: "-1", dailyTrxCap: "1" },
      { walletId: r.walletId, dailyBandwidthCap: "1.5", dailyTrxCap: "1" },
      { walletId: r.walletId, dailyBandwidthCap: "100", dailyTrxCap: "-2" },
      { walletId: r.walletId, dailyBandwidthCap: "100", dailyTrxCap: "lots" },
      { walletId: r.walletId, dailyBandwidthCap: "100" },
    ]) {
      const e = await refusal(adminActions.setWalletCaps(operatorRole, bad));
      expect(["bad_request", "invalid_amount"]).toContain(e.code);
      expect(e.message.length).toBeGreaterThan(0);
    }
    const bad = await refusal(
      adminActions.importPermissionWallet(owner_, { address: owner.base58, dailyBandwidthCap: "x" }),
    );
    expect(bad.code).toBe("bad_request");
    expect(await walletRow(r.walletId)).toEqual(w);
  });

  it("low TRX and bandwidth alerts leave permission-mode wallets out (the owner's to pay); a key-mode wallet is still alerted", async () => {
    await grantAsShown();
    const w = await importOwner();
    const [keyWallet] = await importPool([1]);
    // both wallets down to 20 TRX: a few dozen transactions left, far below the margin asked for
    for (const [i, address] of [
      [1, keyWallet.address],
      [3, owner.base58],
    ] as const) {
      const liquid = (await kit.client.getAccount(address)).trxSun;
      await sendTrx(kit.client, treasury.base58, liquid - 20n * TRX, devnetAccount(i));
    }
    await kit.mine(1);
    const saved = serializeSettings(await getSettings()).alerts;
    try {
      await updateSettings({
        alerts: { ...saved, walletLowTrxSun: "1000000000", walletMinTxs: 1_000 } as never,
      });
      // raised before this rule, for the permission-mode wallet: the next refresh resolves it
      await raiseAlert({ rule: "pool_low_trx", dedupeKey: `pool:low_trx:${w.id}`, message: "old" });
      for (const id of [w.id, keyWallet.id]) await refreshWallet(id);
      const r = await evaluateAlertRules(rule("pool_low_trx"));
      expect(r.raised).not.toContain(`pool:low_trx:${w.id}`);
      expect(await openAlert(`pool:low_trx:${w.id}`)).toBeUndefined();
      expect(await openAlert(`pool:low_bandwidth:${w.id}`)).toBeUndefined();
      expect(await openAlert(`pool:low_trx:${keyWallet.id}`)).toMatchObject({ rule: "pool_low_trx" });
      expect(await openAlert(`pool:low_bandwidth:${keyWallet.id}`)).toMatchObject({
        rule: "pool_low_bandwidth",
      });
      // the owner's caps keep it in selection while one more transaction fits: nothing short yet
      expect((await feeShortages([await refreshWallet(w.id)])).get(w.id)).toBeNull();
      // a day's bandwidth cap of nothing: out of selection, and the reason is the bandwidth cap
      await kit.ctl("advance-time", { ms: 86_400_000 }); // the owner's free bandwidth recovers
      await setWalletDailyCaps(w.id, { dailyBandwidthCap: 0n, dailyTrxCapSun: 0n });
      const capped = await refreshWallet(w.id);
      expect(capped.bandwidthAvailable).toBeGreaterThanOrEqual(300n);
      expect((await feeShortages([capped, keyWallet])).get(w.id)).toBe("bandwidth_cap");
      expect((await feeShortages([capped, keyWallet])).get(keyWallet.id)).toBeNull();
      expect(await openAlert(`pool:low_trx:${w.id}`)).toBeUndefined();
    } finally {
      await updateSettings({ alerts: saved as never });
      // the wallet row outlives the test (suites share the database): back to the default caps
      await setWalletDailyCaps(w.id, { dailyBandwidthCap: 1_500n, dailyTrxCapSun: 5n * TRX });
    }
  });
});
