import { describe, expect, it } from "vitest";
import { freshOrderKitPerTest } from "@/test/order-kit";
import { devnetAccount } from "@/devnet/genesis";
import { createOrder, getOrder } from "@/lib/orders";
import { freshReceiver, fundedUser, importPool, runFulfil, runReclaim } from "@/lib/orders/testing";
import { refreshWallet } from "@/lib/pool";
import { broadcast, buildTrxTransfer, buildUsdtTransfer } from "@/lib/tron/tx";
import { orderCosts, trxHours } from "./costs";

/** Supplier cost per order, measured on the devnet: bandwidth burned and stake blocked. */

const TRX = 1_000_000n;
const pool3 = devnetAccount(3);
const signerOf = (pk: string) => ({ sign: (tx: any) => kit.client.tronWeb.trx.sign(tx, pk) as Promise<any> });

const kit = freshOrderKitPerTest();

const today = () => new Date().toISOString().slice(0, 10);

describe("cost per order", () => {
  it("records the bandwidth burned and the stake the customer's used energy blocks after the reclaim", async () => {
    const [w3] = await importPool([3]);
    // today's 600 free bytes of the wallet are used up: its delegate and undelegate burn TRX
    for (let i = 0; i < 3; i++) {
      const t = await buildTrxTransfer(
        kit.client,
        { from: pool3.base58, to: devnetAccount(0).base58, sun: TRX },
        signerOf(pool3.privateKey),
      );
      await broadcast(kit.client, t.signedTx);
    }
    const receiver = await freshReceiver(kit);
    const { order: o } = await createOrder({
      userId: await fundedUser(1_000n * TRX),
      receiver,
      energy: 65_000,
      duration: "1h",
      source: "portal",
      idempotencyKey: `k-${Math.random()}`,
    });
    expect((await runFulfil(kit, o.id)).error).toBeUndefined();
    // a second customer spends its energy: a USDT transfer to a holder (64,285 energy)
    const { utils } = await import("tronweb");
    const acct = utils.accounts.generateAccount();
    await kit.ctl("fund", { address: acct.address.base58, trx: 10 });
    await kit.ctl("fund-usdt", { address: acct.address.base58, amount: 5_000_000 });
    const { order: o2 } = await createOrder({
      userId: await fundedUser(1_000n * TRX),
      receiver: acct.address.base58,
      energy: 65_000,
      duration: "1h",
      source: "portal",
      idempotencyKey: `k-${Math.random()}`,
    });
    expect((await runFulfil(kit, o2.id)).error).toBeUndefined();
    const usdt = await buildUsdtTransfer(
      kit.client,
      { from: acct.address.base58, to: devnetAccount(0).base58, amount: 1_000_000n },
      signerOf(acct.privateKey),
    );
    await broadcast(kit.client, usdt.signedTx);
    const used = (await kit.client.getAccountResources(acct.address.base58)).energyUsed;
    expect(used).toBeGreaterThan(64_000n);

    await kit.ctl("advance-time", { ms: 3_700_000 });
    for (const id of [o.id, o2.id]) {
      const part = (await getOrder({ orderId: id })).delegations[0];
      expect((await runReclaim(kit, part.id)).error).toBeUndefined();
    }
    const idle = (await getOrder({ orderId: o.id })).delegations[0];
    const spent = (await getOrder({ orderId: o2.id })).delegations[0];
    expect(idle.feeSun).toBeGreaterThan(0n);
    expect(idle.reclaimFeeSun).toBeGreaterThan(0n);
    expect(idle.reclaimMovedEnergy).toBe(0n);
    expect(idle.reclaimBlockedSun).toBe(0n);
    // the spent energy (recovered a little during the hour) moved to the wallet
    expect(spent.reclaimMovedEnergy).toBeGreaterThan(60_000n);
    expect(spent.reclaimMovedEnergy).toBeLessThanOrEqual(used);
    // the estimate made before broadcasting matches what the chain moved (less a few blocks' recovery)
    const moved = (await kit.client.getAccountResources(pool3.base58)).energyUsed;
    expect(moved).toBeLessThanOrEqual(spent.reclaimMovedEnergy!);
    expect(spent.reclaimMovedEnergy! - moved).toBeLessThan(50n);
    // … where it keeps that much stake from being delegated again
    const w = await refreshWallet(w3.id);
    expect(w.stakedEnergySun - w.delegatableSun).toBeGreaterThanOrEqual(spent.reclaimBlockedSun! - TRX);
    expect(w.stakedEnergySun - w.delegatableSun).toBeLessThanOrEqual(spent.reclaimBlockedSun! + TRX);

    const { orders, totals } = await orderCosts({ from: today(), to: today() }, 400);
    const c2 = orders.find((c) => c.orderId === o2.id)!;
    const c1 = orders.find((c) => c.orderId === o.id)!;
    expect(c1.burnedSun).toBe(idle.feeSun + idle.reclaimFeeSun);
    expect(c2.afterSunSeconds).toBe(spent.reclaimBlockedSun! * 43_200n);
    expect(c1.afterSunSeconds).toBe(0n);
    // stake blocked while delegated: from confirmation to reclaim (wall clock; the devnet's clock was moved)
    const seconds = BigInt(Math.floor((spent.reclaimedAt!.getTime() - spent.confirmedAt!.getTime()) / 1000));
    expect(c2.rentalSunSeconds).toBe(spent.sun * seconds);
    expect(trxHours(spent.reclaimBlockedSun! * 43_200n)).toBeGreaterThan(0n);
    expect(c2.marginSun).toBe(c2.priceSun - c2.refundedSun - c2.burnedSun - c2.opportunitySun);
    expect(totals.orders).toBeGreaterThanOrEqual(2);
    expect(totals.burnedSun).toBeGreaterThanOrEqual(c1.burnedSun + c2.burnedSun);
  });

  it("refuses a bad range", async () => {
    await expect(orderCosts({ from: "2026-02-10", to: "2026-01-01" }, 400)).rejects.toMatchObject({
      code: "bad_request",
    });
  });
});
