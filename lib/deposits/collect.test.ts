import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { chainCursors, collections, depositAddresses, supplierWallets } from "@/db/schema";
import { devnetAccount } from "@/devnet/genesis";
import { importWallet } from "@/lib/pool";
import { resetSettings } from "@/lib/settings";
import { createUser } from "@/lib/users";
import {
  COLLECT_MARKER,
  collectionDue,
  collectOnce,
  getOrCreateDepositAddress,
  runScheduledCollection,
  scanOnce,
  setScanCursor,
} from "./index";
import { TronClient, type TronFetch } from "@/lib/tron/client";
import { pointTronAt } from "@/lib/tron/testing";
import { type DevnetKit, sendToken, sendTrx, startDevnetKit, treasury, USDT } from "./testing";

const LAG = 1;
let k: DevnetKit;
let restoreTron = () => {};

async function scanAll() {
  for (let i = 0; i < 50; i++) if ((await scanOnce({ client: k.client })).caughtUp) return;
  throw new Error("scanner did not catch up");
}

beforeAll(async () => {
  k = await startDevnetKit(LAG, { autoMine: true });
  restoreTron = pointTronAt(k.dn.url).restore;
  const pool1 = devnetAccount(1);
  await importWallet({ address: pool1.base58, privateKey: pool1.privateKey, label: "collect-test" });
  // other suites may have disabled the pool wallets
  const db = await getDb();
  await db
    .update(supplierWallets)
    .set({ status: "enabled" })
    .where(eq(supplierWallets.address, pool1.base58));
  await setScanCursor(null);
  await k.mine(LAG + 1);
  await scanAll();
});
afterAll(async () => {
  restoreTron();
  await setScanCursor(null);
  await k?.close();
});

describe("collection to treasury", () => {
  it("sweeps TRX and USDT (energy delegated from the pool, then reclaimed), activating a USDT-only address", async () => {
    const ua = await createUser();
    const a = await getOrCreateDepositAddress(ua.id);
    const ub = await createUser();
    const b = await getOrCreateDepositAddress(ub.id);
    await sendTrx(k.client, a.address, 20_000_000n);
    await sendToken(k.client, a.address, 20_000_000n);
    await sendToken(k.client, b.address, 15_000_000n); // b never receives TRX: not activated
    expect((await k.client.getAccount(b.address)).activated).toBe(false);
    await k.mine(LAG + 1);
    await scanAll();

    const usdtBefore = await k.client.usdtBalanceOf(treasury.base58);
    const trxBefore = (await k.client.getAccount(treasury.base58)).trxSun;
    const res = await collectOnce({
      client: k.client,
      treasury: treasury.base58,
      pollMs: 10,
      waitTimeoutMs: 5_000,
    });
    expect(res.failed).toEqual([]);
    expect(res.completed).toHaveLength(3);

    expect(await k.client.usdtBalanceOf(a.address)).toBe(0n);
    expect(await k.client.usdtBalanceOf(b.address)).toBe(0n);
    expect(await k.client.usdtBalanceOf(treasury.base58)).toBe(usdtBefore + 35_000_000n);
    // The USDT transfer used 345 of the 600 free bandwidth: too little left for the TRX transfer, so
    // 0.4 TRX stays behind to pay its burned bandwidth (what is left after it is dust).
    expect((await k.client.getAccount(treasury.base58)).trxSun).toBe(trxBefore + 19_600_000n);
    expect((await k.client.getAccount(a.address)).trxSun).toBeLessThan(400_000n);

    const db = await getDb();
    const rows = await db
      .select({ c: collections, address: depositAddresses.address })
      .from(collections)
      .innerJoin(depositAddresses, eq(depositAddresses.id, collections.depositAddressId))
      .where(inArray(depositAddresses.address, [a.address, b.address]));
    expect(rows.map((r) => [r.address, r.c.currency, r.c.status]).sort()).toEqual(
      [
        [a.address, "TRX", "completed"],
        [a.address, "USDT", "completed"],
        [b.address, "USDT", "completed"],
      ].sort(),
    );
    for (const { c, address } of rows) {
      expect(c.transferTxid).toMatch(/^[0-9a-f]{64}$/);
      expect(c.transferSignedTx).toBeTruthy();
      if (c.currency !== "USDT") continue;
      expect(c.energyDelegationTxid).toMatch(/^[0-9a-f]{64}$/);
      expect(c.reclaimTxid).toMatch(/^[0-9a-f]{64}$/);
      const d = c.details as { energy: string; steps: Record<string, { walletId: number; txid: string }> };
      expect(d.energy).toBe("65000"); // the treasury already holds USDT
      expect(Boolean(d.steps.activate)).toBe(address === b.address);
      const [w] = await db
        .select()
        .from(supplierWallets)
        .where(eq(supplierWallets.id, d.steps.delegate.walletId));
      const recs = await k.client.getDelegatedResourceV2(w.address, address);
      expect(recs.reduce((s, r) => s + r.energySun, 0n)).toBe(0n); // reclaimed
      const info = await k.client.getTransactionInfo(c.transferTxid!);
      expect(info?.receipt.result).toBe("SUCCESS");
      expect(info?.receipt.energyFee ?? 0n).toBe(0n); // paid by the delegated energy, nothing burned
    }

    // nothing left to do: a second run plans nothing
    const again = await collectOnce({
      client: k.client,
      treasury: treasury.base58,
      pollMs: 10,
      waitTimeoutMs: 5_000,
    });
    expect(again).toEqual({ completed: [], failed: [], pending: [] });
  });

  it("a USDT transfer not in a block in time keeps its energy; once provably expired it is re-signed with the energy still there (no TRX burned)", async () => {
    const u = await createUser();
    const a = await getOrCreateDepositAddress(u.id);
    await sendTrx(k.client, a.address, 5_000_000n);
    await sendToken(k.client, a.address, 20_000_000n);
    await k.mine(LAG + 1);
    await scanAll();

    // The node accepts the collection's USDT transfer but never includes it (dropped by the network).
    let dropped = 0;
    const fetchDropping: TronFetch = async (url, init) => {
      if (
        url.endsWith("/wallet/broadcasttransaction") &&
        !dropped &&
        init.body?.includes("TriggerSmartContract")
      ) {
        dropped++;
        await k.ctl("faults", { dropBroadcasts: 1 });
      }
      const r = await fetch(url, init);
      return { ok: r.ok, status: r.status, text: () => r.text() };
    };
    const client = new TronClient({ ...k.client.config, usdtContract: USDT, fetch: fetchDropping });
    const opts = { client, treasury: treasury.base58, pollMs: 10, waitTimeoutMs: 300 };
    const first = await collectOnce(opts);
    expect(dropped).toBe(1);
    const db = await getDb();
    const [c] = await db
      .select()
      .from(collections)
      .innerJoin(depositAddresses, eq(depositAddresses.id, collections.depositAddressId))
      .where(eq(depositAddresses.address, a.address));
    expect(first.pending).toContain(c.collections.id);
    expect(c.collections.status).toBe("energy_delegated");
    const steps = (c.collections.details as { steps: Record<string, { txid: string; walletId: number }> })
      .steps;
    expect(steps.reclaim).toBeUndefined(); // the energy stays for the transfer that may still land
    const [pool] = await db
      .select()
      .from(supplierWallets)
      .where(eq(supplierWallets.id, steps.delegate.walletId));
    const held = await k.client.getDelegatedResourceV2(pool.address, a.address);
    expect(held.reduce((t, r) => t + r.energySun, 0n)).toBeGreaterThan(0n);
    const firstTransfer = steps.transfer.txid;

    // The dropped transfer expires (the solidified chain passes its expiration).
    await k.ctl("advance-time", { ms: 120_000 });
    await k.mine(LAG + 2);
    const second = await collectOnce({ ...opts, waitTimeoutMs: 5_000 });
    expect(second.completed).toContain(c.collections.id);
    const [done] = await db.select().from(collections).where(eq(collections.id, c.collections.id));
    expect(done.status).toBe("completed");
    expect(done.transferTxid).not.toBe(firstTransfer);
    const info = await k.client.getTransactionInfo(done.transferTxid!);
    expect(info?.receipt.result).toBe("SUCCESS");
    expect(info?.receipt.energyFee ?? 0n).toBe(0n);
    // nothing burned from the deposit address, the USDT moved, the energy came back
    expect((await k.client.getAccount(a.address)).trxSun).toBe(5_000_000n);
    expect(await k.client.usdtBalanceOf(a.address)).toBe(0n);
    const after = await k.client.getDelegatedResourceV2(pool.address, a.address);
    expect(after.reduce((t, r) => t + r.energySun, 0n)).toBe(0n);
  });

  it("sizes a collection's energy from the chain: with USDT's energy factor above the usual, enough is delegated and nothing burns", async () => {
    await k.ctl("energy-factor", { factor: 60_000 }); // ×7 instead of mainnet's ×4.4
    try {
      const u = await createUser();
      const a = await getOrCreateDepositAddress(u.id);
      await sendTrx(k.client, a.address, 2_000_000n);
      await sendToken(k.client, a.address, 30_000_000n);
      await k.mine(LAG + 1);
      await scanAll();
      const res = await collectOnce({
        client: k.client,
        treasury: treasury.base58,
        pollMs: 10,
        waitTimeoutMs: 5_000,
      });
      const db = await getDb();
      const [c] = await db
        .select({ c: collections })
        .from(collections)
        .innerJoin(depositAddresses, eq(depositAddresses.id, collections.depositAddressId))
        .where(eq(depositAddresses.address, a.address));
      expect(res.completed).toContain(c.c.id);
      const holderAtFactor = Math.round((64_285 * 70_000) / 44_000);
      expect((c.c.details as { energy: string }).energy).toBe(String(holderAtFactor));
      const info = await k.client.getTransactionInfo(c.c.transferTxid!);
      expect(info?.receipt.result).toBe("SUCCESS");
      expect(info?.receipt.energyUsageTotal).toBe(BigInt(holderAtFactor));
      expect(info?.receipt.energyFee ?? 0n).toBe(0n);
      expect((await k.client.getAccount(a.address)).trxSun).toBe(2_000_000n);
    } finally {
      await k.ctl("energy-factor", { factor: 34_000 });
    }
  });

  it("a scheduled run records its start: the next one is due once the interval has passed", async () => {
    await resetSettings(["collection"]);
    const db = await getDb();
    await db.delete(chainCursors).where(eq(chainCursors.name, COLLECT_MARKER));
    expect(await collectionDue()).toBe(true);
    const started = Date.now();
    await runScheduledCollection({
      client: k.client,
      treasury: treasury.base58,
      pollMs: 10,
      waitTimeoutMs: 5_000,
    });
    expect(await collectionDue()).toBe(false);
    const hour = 60 * 60_000; // the default settings.collection.intervalMinutes
    expect(await collectionDue({ now: new Date(started + hour - 60_000) })).toBe(false);
    expect(await collectionDue({ now: new Date(Date.now() + hour) })).toBe(true);
    await db.delete(chainCursors).where(eq(chainCursors.name, COLLECT_MARKER));
  });
});
