import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { devnetAccount } from "@/devnet/genesis";
import { getOpenAlert } from "@/lib/alerts";
import {
  getWallet,
  importWallet,
  listWallets,
  poolCapacity,
  refreshWallet,
  removeWallet,
  selectWallets,
  setWalletStatus,
} from "./index";
import { importPool, type OrderKit, resetPoolForTests, startOrderKit } from "@/lib/orders/testing";

const TRX = 1_000_000n;

describe("selectWallets", () => {
  const c = (id: number, trx: bigint, priority = 0) => ({ id, freeSun: trx * TRX, priority });
  it("best fit: the smallest wallet that covers the need; ties by priority then id", () => {
    expect(selectWallets([c(1, 200_000n), c(2, 50_000n), c(3, 10_000n)], 20_000n * TRX)).toEqual([
      { walletId: 2, sun: 20_000n * TRX },
    ]);
    expect(selectWallets([c(1, 100n), c(2, 100n, 5)], 50n * TRX)).toEqual([{ walletId: 2, sun: 50n * TRX }]);
    expect(selectWallets([c(2, 100n), c(1, 100n)], 50n * TRX)).toEqual([{ walletId: 1, sun: 50n * TRX }]);
  });
  it("splits largest first when no single wallet suffices, in whole TRX", () => {
    expect(selectWallets([c(1, 100n), c(2, 60n), c(3, 30n)], 150n * TRX)).toEqual([
      { walletId: 1, sun: 100n * TRX },
      { walletId: 2, sun: 50n * TRX },
    ]);
    // fractional free sun is rounded down to whole TRX
    expect(selectWallets([{ id: 1, freeSun: 10n * TRX + 999_999n, priority: 0 }], 11n * TRX)).toBeNull();
  });
  it("never leaves a part under 1 TRX, and returns null when the pool is short", () => {
    const parts = selectWallets([c(1, 10n), c(2, 10n)], 10n * TRX + TRX / 2n)!;
    expect(parts.every((p) => p.sun >= TRX)).toBe(true);
    expect(parts.reduce((a, p) => a + p.sun, 0n)).toBe(10n * TRX + TRX / 2n);
    expect(selectWallets([c(1, 5n), c(2, 4n)], 10n * TRX)).toBeNull();
    expect(selectWallets([], 1n * TRX)).toBeNull();
    expect(selectWallets([c(1, 5n)], 0n)).toEqual([]);
  });
});

describe("pool wallets (devnet)", () => {
  let kit: OrderKit;
  beforeAll(async () => {
    await getDb(); // the embedded database's first start can take seconds: not inside a chain call
    kit = await startOrderKit();
    await kit.client.getNowBlock();
  });
  afterAll(async () => {
    await kit?.close();
  });
  beforeEach(async () => {
    await kit.ctl("reset");
    kit.client.clearCache();
    await resetPoolForTests();
  });

  it("imports a wallet with its key verified and encrypted, refreshed from chain", async () => {
    const a = devnetAccount(1);
    const w = await importWallet({ address: a.base58, privateKey: a.privateKey, label: "one" });
    expect(w.lastError).toBeNull();
    expect(w.address).toBe(a.base58);
    expect(w).not.toHaveProperty("encryptedKey");
    expect(w.keyId).toBeTruthy();
    expect(w.stakedEnergySun).toBe(200_000n * TRX);
    expect(w.delegatableSun).toBe(200_000n * TRX);
    expect(w.trxSun).toBe(100_000n * TRX);
    await expect(
      importWallet({ address: a.base58, privateKey: devnetAccount(2).privateKey }),
    ).rejects.toMatchObject({ code: "bad_request" });
    expect(
      JSON.stringify(await listWallets(), (_k, v) => (typeof v === "bigint" ? String(v) : v)),
    ).not.toContain(a.privateKey);
  });

  it("refresh raises low-energy / low-TRX alerts from the settings thresholds", async () => {
    const [w3] = await importPool([3]);
    expect((await getOpenAlert(`pool:low_energy:${w3.id}`))?.rule).toBe("pool_low_energy");
    const [w1] = await importPool([1]);
    expect(await getOpenAlert(`pool:low_energy:${w1.id}`)).toBeUndefined();
    expect(await getOpenAlert(`pool:low_trx:${w1.id}`)).toBeUndefined();
    await refreshWallet(w1.id);
  });

  it("capacity, disable, remove", async () => {
    const [w1, w3] = await importPool([1, 3]);
    const cap = await poolCapacity();
    expect(cap.delegatableSun).toBe(250_000n * TRX);
    expect(cap.delegatableEnergy).toBeGreaterThan(2_000_000n);
    await setWalletStatus(w3.id, "disabled");
    expect((await poolCapacity()).delegatableSun).toBe(200_000n * TRX);
    await removeWallet(w3.id);
    // deleted, or (when order history references it) kept disabled
    const gone = await getWallet(w3.id).catch(() => null);
    expect(gone === null || gone.status === "disabled").toBe(true);
    expect((await getWallet(w1.id)).status).toBe("enabled");
  });

  it("removing a wallet that order history references drops its encrypted key", async () => {
    const [w3] = await importPool([3]);
    const { createOrder } = await import("@/lib/orders");
    const { freshReceiver, fundedUser, runFulfil, runReclaim } = await import("@/lib/orders/testing");
    const { order } = await createOrder({
      userId: await fundedUser(1_000n * TRX),
      receiver: await freshReceiver(kit),
      energy: 65_000,
      duration: "1h",
      source: "portal",
      idempotencyKey: `k-${Math.random()}`,
    });
    await runFulfil(kit, order.id);
    const { getOrder } = await import("@/lib/orders");
    const part = (await getOrder({ orderId: order.id })).delegations[0];
    await kit.ctl("advance-time", { ms: 3_700_000 });
    await runReclaim(kit, part.id);
    await removeWallet(w3.id);
    const db = await getDb();
    const { supplierWallets } = await import("@/db/schema");
    const { eq } = await import("drizzle-orm");
    const [row] = await db.select().from(supplierWallets).where(eq(supplierWallets.id, w3.id));
    expect(row).toMatchObject({ status: "disabled", encryptedKey: null, keyId: null });
    expect(row.removedAt).toBeInstanceOf(Date);
    expect((await listWallets()).map((w) => w.id)).not.toContain(w3.id);
    const { walletSigner } = await import("./index");
    await expect(walletSigner(w3.id)).rejects.toMatchObject({ code: "internal" });
    await expect(setWalletStatus(w3.id, "enabled")).rejects.toMatchObject({ code: "invalid_state" });
    // importing the key again brings it back
    const [back] = await importPool([3]);
    expect(back.id).toBe(w3.id);
    expect(back.removedAt).toBeNull();
  });
});
