import { randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { utils } from "tronweb";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import {
  delegations,
  ledgerEntries,
  orders,
  type RentalTransfer,
  rentalTransfers,
  users,
  userWallets,
} from "@/db/schema";
import { setScanCursor } from "@/lib/deposits";
import { sendTrx, sendTrxViaContract } from "@/lib/deposits/testing";
import { scanOnce } from "@/lib/deposits/scanner";
import { capturedEvents } from "@/lib/events";
import { getBalance } from "@/lib/ledger";
import { importPool, type OrderKit, resetPoolForTests, runFulfil, startOrderKit } from "@/lib/orders/testing";
import { getSettings, resetSettings, updateSettings } from "@/lib/settings";
import { createUser } from "@/lib/users";
import { processRentalTransfer } from "@/inngest/functions/rental-transfers";
import { rentalTransferReceived } from "@/inngest/events";
import { DROPPED_AFTER_BLOCKS } from "@/lib/deposits/credit";
import type { LeanBlock } from "@/lib/deposits/reader";
import {
  actOnRentalTransfer,
  countRentalTransfers,
  deskUserId,
  listRentalTransfers,
  onTransferOrderChanged,
  recordRentalTransfers,
  rentalAddress,
  watchHeadOnce,
} from "./index";

const LAG = 2;
const FEE = 1_000_000n;
const CAP = 20_000_000n;
let k: OrderKit;

type Account = { base58: string; privateKey: string };

async function sender(trx = 200): Promise<Account> {
  const a = utils.accounts.generateAccount();
  await k.ctl("fund", { address: a.address.base58, trx });
  return { base58: a.address.base58, privateKey: a.privateKey };
}

async function scanAll(): Promise<void> {
  for (let i = 0; i < 50; i++) if ((await scanOnce({ client: k.client })).caughtUp) return;
  throw new Error("scanner did not catch up");
}

async function rowOf(txid: string): Promise<RentalTransfer> {
  const db = await getDb();
  const [r] = await db.select().from(rentalTransfers).where(eq(rentalTransfers.txid, txid));
  return r;
}

async function balanceOn(address: string): Promise<bigint> {
  return (await k.client.getAccount(address)).trxSun;
}

/** Mines the transfer's block into the solidified chain and scans it. */
async function solidify(): Promise<void> {
  await k.mine(LAG + 1);
  await scanAll();
}

/** Runs process-rental-transfer as the engine would (each `wait-<n>` sleep mines a block). */
async function runProcess(transferId: number) {
  const { InngestTestEngine } = await import("@inngest/test");
  const t = new InngestTestEngine({ function: processRentalTransfer });
  const steps = Array.from({ length: 40 }, (_, i) => ({
    id: `wait-${i}`,
    handler: async () => {
      await k.mine(1);
      return null;
    },
  }));
  return t.execute({ events: [rentalTransferReceived.create({ transferId })], steps });
}

beforeAll(async () => {
  k = await startOrderKit({ autoMine: true, solidityLag: LAG });
});
afterAll(async () => {
  await setScanCursor(null);
  await resetSettings(["transfer"]);
  await k?.close();
});
beforeEach(async () => {
  await k.ctl("reset");
  k.client.clearCache();
  await resetPoolForTests();
  await importPool([1, 2]);
  await setScanCursor(null);
  await updateSettings({
    transfer: {
      enabled: true,
      offers: [
        { amountSun: "4000000", energy: 65_000, duration: "1h" },
        { amountSun: "30000000", energy: 500_000, duration: "1h" },
      ],
      riskCapSun: CAP.toString(),
      refundFeeSun: FEE.toString(),
    },
  });
  await k.mine(LAG + 1);
  await scanAll(); // cursors start at the current solidified head
});

describe("pay by transfer: delivery", () => {
  it("a matching transfer within the cap is delivered to the sender from the head block, once", async () => {
    // the chain's burn price (not the fallback setting) is what the order records it saves
    await k.ctl("params", { getEnergyFee: 210 });
    k.client.clearCache();
    const s = await sender();
    const txid = await sendTrx(k.client, rentalAddress(), 4_000_000n, s);
    await scanAll();
    const seen = await rowOf(txid);
    expect(seen).toMatchObject({
      status: "pending",
      fromAddress: s.base58,
      amountSun: 4_000_000n,
      solidifiedAt: null,
    });
    expect(seen.headSeenAt).not.toBeNull();

    // acted on twice at once (a duplicate event): one order
    const [a, b] = await Promise.all([actOnRentalTransfer(seen.id), actOnRentalTransfer(seen.id)]);
    const ordered = [a, b].filter((r) => r.action === "ordered");
    expect(ordered).toHaveLength(1);
    const orderId = ordered[0].orderId!;
    expect([a, b].find((r) => r.action !== "ordered")).toMatchObject({ action: "none", orderId });
    const db = await getDb();
    const [o] = await db.select().from(orders).where(eq(orders.id, orderId));
    expect(o).toMatchObject({
      userId: await deskUserId(),
      receiverAddress: s.base58,
      energy: 65_000n,
      durationKey: "1h",
      priceSun: 4_000_000n,
      burnSun: 65_000n * 210n,
      source: "transfer",
      status: "paid",
    });
    // the desk account is credited the transfer and pays the order: net zero, both in the ledger
    expect(await getBalance(await deskUserId())).toBe(0n);
    const desk = await db
      .select()
      .from(ledgerEntries)
      .where(eq(ledgerEntries.idempotencyKey, `rental-transfer:${txid}:-1`));
    expect(desk).toHaveLength(1);

    const run = await runFulfil(k, orderId);
    expect(run.error).toBeUndefined();
    const parts = await db.select().from(delegations).where(eq(delegations.orderId, orderId));
    expect(parts.every((p) => p.receiverAddress === s.base58 && p.status === "confirmed")).toBe(true);
    expect((await k.client.getAccountResources(s.base58)).energyLimit).toBeGreaterThanOrEqual(65_000n);
    expect(await onTransferOrderChanged(orderId, "active")).toBeNull();
    expect((await rowOf(txid)).status).toBe("delivered");

    // scanned again, then solidified: recorded once, never ordered again
    await scanAll();
    await solidify();
    const after = await rowOf(txid);
    expect(after).toMatchObject({ status: "delivered", orderId });
    expect(after.solidifiedAt).not.toBeNull();
    expect(await actOnRentalTransfer(after.id)).toMatchObject({ action: "none" });
    const n = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(rentalTransfers)
      .where(eq(rentalTransfers.txid, txid));
    expect(n[0].n).toBe(1);
    const os = await db.select().from(orders).where(eq(orders.receiverAddress, s.base58));
    expect(os).toHaveLength(1);
  });

  it("the head watch records a payment from the head block alone; the scanner then finds it recorded", async () => {
    const s = await sender();
    const txid = await sendTrx(k.client, rentalAddress(), 4_000_000n, s);
    capturedEvents.length = 0;
    // the watch twice at once and the scanner's head pass beside them: recorded once
    const [w, w2] = await Promise.all([
      watchHeadOnce({ client: k.client }),
      watchHeadOnce({ client: k.client }),
      scanOnce({ client: k.client }),
    ]);
    expect(w.block).toBe(await k.dn.chain.head.number);
    expect(w.recorded + w2.recorded).toBeLessThanOrEqual(1);
    const row = await rowOf(txid);
    expect(row).toMatchObject({ status: "pending", fromAddress: s.base58, solidifiedAt: null });
    expect(
      capturedEvents.filter((e) => e.name === "rental-transfer/received" && e.data.transferId === row.id),
    ).toHaveLength(1);
    expect((await watchHeadOnce({ client: k.client })).recorded).toBe(0); // read again: nothing new
    await scanAll();
    await solidify();
    const db = await getDb();
    const n = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(rentalTransfers)
      .where(eq(rentalTransfers.txid, txid));
    expect(n[0].n).toBe(1);
    expect((await rowOf(txid)).solidifiedAt).not.toBeNull();
  });

  it("above the risk cap it waits for its block to be solidified, then is delivered", async () => {
    const s = await sender();
    const txid = await sendTrx(k.client, rentalAddress(), 30_000_000n, s);
    await scanAll();
    const row = await rowOf(txid);
    expect(await actOnRentalTransfer(row.id)).toEqual({ status: "pending", action: "wait" });
    expect((await rowOf(txid)).orderId).toBeNull();
    await solidify();
    const r = await actOnRentalTransfer(row.id);
    expect(r.action).toBe("ordered");
    const db = await getDb();
    const [o] = await db.select().from(orders).where(eq(orders.id, r.orderId!));
    expect(o).toMatchObject({ energy: 500_000n, receiverAddress: s.base58 });
  });

  it("a failed order's payment goes back to its sender minus the fee, out of the desk account", async () => {
    const s = await sender();
    const txid = await sendTrx(k.client, rentalAddress(), 4_000_000n, s);
    await scanAll();
    const { orderId } = await actOnRentalTransfer((await rowOf(txid)).id);
    // the order fails (as fulfil-order's finishOrder does): refunded to the desk account
    const { finishOrder } = await import("@/lib/orders/fulfil/finish");
    const db = await getDb();
    await db.update(orders).set({ status: "delegating" }).where(eq(orders.id, orderId!));
    await finishOrder(orderId!, "test: no capacity");
    expect(await getBalance(await deskUserId())).toBe(4_000_000n);
    const id = await onTransferOrderChanged(orderId!, "refunded");
    expect(id).toBe((await rowOf(txid)).id);
    expect(await actOnRentalTransfer(id!)).toEqual({ status: "pending", action: "wait" }); // not solidified yet
    await solidify();
    const before = await balanceOn(s.base58);
    const run = await runProcess(id!);
    expect(run.error).toBeUndefined();
    expect(await rowOf(txid)).toMatchObject({
      status: "refunded",
      refundReason: "order_failed",
      refundSun: 3_000_000n,
    });
    expect(await balanceOn(s.base58)).toBe(before + 3_000_000n);
    expect(await getBalance(await deskUserId())).toBe(0n);
  });
});

describe("pay by transfer: refunds and credits (only from solidified blocks)", () => {
  it("an amount matching no offer is refunded on chain minus the fee, once", async () => {
    const s = await sender();
    const txid = await sendTrx(k.client, rentalAddress(), 7_000_000n, s);
    await scanAll();
    const id = (await rowOf(txid)).id;
    expect(await actOnRentalTransfer(id)).toEqual({ status: "pending", action: "wait" });
    expect(await rowOf(txid)).toMatchObject({ refundReason: "no_offer", refundTxid: null });
    await solidify();
    const before = await balanceOn(s.base58);
    const [a, b] = await Promise.all([runProcess(id), runProcess(id)]);
    expect(a.error ?? b.error).toBeUndefined();
    const row = await rowOf(txid);
    expect(row).toMatchObject({ status: "refunded", refundTo: s.base58, refundSun: 6_000_000n, feeSun: FEE });
    expect(await balanceOn(s.base58)).toBe(before + 6_000_000n); // one refund, not two
    expect((await runProcess(id)).result).toMatchObject({ action: "none" });
  });

  it("TRX sent by a contract is refunded to the account that signed the call", async () => {
    const s = await sender();
    const router = await k.ctl("deploy-router", {});
    const txid = await sendTrxViaContract(k.client, router.base58, rentalAddress(), 4_000_000n, { from: s });
    await scanAll(); // the head pass reads no receipts: not seen yet
    await solidify();
    const row = await rowOf(txid);
    expect(row).toMatchObject({
      fromAddress: router.base58,
      originAddress: s.base58,
      senderIsContract: true,
    });
    const before = await balanceOn(s.base58);
    expect((await runProcess(row.id)).error).toBeUndefined();
    expect(await rowOf(txid)).toMatchObject({
      status: "refunded",
      refundReason: "contract_sender",
      refundTo: s.base58,
      refundSun: 3_000_000n,
      orderId: null,
    });
    expect(await balanceOn(s.base58)).toBe(before + 3_000_000n);
  });

  it("a payment the pool cannot cover is refunded", async () => {
    await resetPoolForTests(); // no wallet enabled
    const s = await sender();
    const txid = await sendTrx(k.client, rentalAddress(), 4_000_000n, s);
    await scanAll();
    const id = (await rowOf(txid)).id;
    expect(await actOnRentalTransfer(id)).toMatchObject({ action: "wait" });
    expect((await rowOf(txid)).refundReason).toBe("no_capacity");
    await solidify();
    const before = await balanceOn(s.base58);
    expect((await runProcess(id)).error).toBeUndefined();
    expect(await rowOf(txid)).toMatchObject({ status: "refunded", orderId: null });
    expect(await balanceOn(s.base58)).toBe(before + 3_000_000n);
  });

  it("a sender that is a user's saved wallet is credited to their balance instead, once, in full", async () => {
    const s = await sender();
    const u = await createUser({ firstName: "saver" });
    const db = await getDb();
    await db.insert(userWallets).values({ userId: u.id, address: s.base58 });
    const txid = await sendTrx(k.client, rentalAddress(), 7_000_000n, s);
    await scanAll();
    await solidify();
    const id = (await rowOf(txid)).id;
    const before = await balanceOn(s.base58);
    const [a, b] = await Promise.all([actOnRentalTransfer(id), actOnRentalTransfer(id)]);
    expect([a.action, b.action].sort()).toEqual(["credited", "none"]);
    expect(await getBalance(u.id)).toBe(7_000_000n);
    expect(await rowOf(txid)).toMatchObject({
      status: "credited",
      creditedUserId: u.id,
      refundSun: 7_000_000n,
    });
    expect(await balanceOn(s.base58)).toBe(before); // nothing sent on chain
    const [ledger] = await db
      .select()
      .from(ledgerEntries)
      .where(eq(ledgerEntries.idempotencyKey, `rental-transfer-credit:${id}`));
    expect(ledger).toMatchObject({ userId: u.id, type: "deposit", amountSun: 7_000_000n });
  });

  it("an address saved by two users is refunded on chain, never credited to a guess", async () => {
    const s = await sender();
    const db = await getDb();
    for (const name of ["one", "two"]) {
      const u = await createUser({ firstName: name });
      await db.insert(userWallets).values({ userId: u.id, address: s.base58 });
    }
    const txid = await sendTrx(k.client, rentalAddress(), 7_000_000n, s);
    await scanAll();
    await solidify();
    expect((await runProcess((await rowOf(txid)).id)).error).toBeUndefined();
    expect(await rowOf(txid)).toMatchObject({ status: "refunded", creditedUserId: null });
  });

  it("while pay by transfer is off (or in maintenance) a matching payment is returned, never ordered", async () => {
    await updateSettings({ maintenance: { enabled: true, message: "" } });
    try {
      const s = await sender();
      const txid = await sendTrx(k.client, rentalAddress(), 4_000_000n, s);
      await scanAll();
      const id = (await rowOf(txid)).id;
      expect(await actOnRentalTransfer(id)).toEqual({ status: "pending", action: "wait" });
      await solidify();
      expect((await runProcess(id)).error).toBeUndefined();
      expect(await rowOf(txid)).toMatchObject({
        status: "refunded",
        refundReason: "disabled",
        orderId: null,
      });
    } finally {
      await resetSettings(["maintenance"]);
    }
  });

  it("an amount not above the fee is kept, and nothing is sent", async () => {
    const s = await sender();
    const txid = await sendTrx(k.client, rentalAddress(), 500_000n, s);
    await solidify();
    const r = await actOnRentalTransfer((await rowOf(txid)).id);
    expect(r).toEqual({ status: "kept", action: "kept" });
    expect(await rowOf(txid)).toMatchObject({
      status: "kept",
      refundSun: 0n,
      feeSun: 500_000n,
      refundTxid: null,
    });
  });
});

describe("pay by transfer: forks", () => {
  it("a head-block payment the solidified chain never holds is marked vanished, with what was delegated for it", async () => {
    const s = await sender();
    const hex = (b58: string) => utils.address.toHex(b58).toLowerCase();
    const txid = randomBytes(32).toString("hex");
    const block: LeanBlock = {
      number: 1_000_000_000,
      blockId: "00".repeat(32),
      parentHash: "00".repeat(32),
      timestamp: Date.now(),
      txs: [
        {
          txid,
          type: "TransferContract",
          ret: "SUCCESS",
          owner: hex(s.base58),
          to: hex(rentalAddress()),
          amount: 4_000_000n,
          contract: null,
          data: null,
          assetId: null,
        },
      ],
    };
    const db = await getDb();
    const [id] = await db.transaction((tx) => recordRentalTransfers(tx, { blocks: [block] }, "head"));
    const { orderId } = await actOnRentalTransfer(id);
    expect(orderId).toBeDefined();
    // the solidified chain passes the block without it: not yet at the margin, then past it
    await db.transaction((tx) =>
      recordRentalTransfers(tx, { blocks: [] }, "solid", 1_000_000_000 + DROPPED_AFTER_BLOCKS - 1),
    );
    expect((await rowOf(txid)).status).toBe("delivering");
    await db.transaction((tx) =>
      recordRentalTransfers(tx, { blocks: [] }, "solid", 1_000_000_000 + DROPPED_AFTER_BLOCKS),
    );
    expect(await rowOf(txid)).toMatchObject({ status: "vanished", lostSun: 4_000_000n, orderId });
    // nothing is refunded or credited for it
    expect(await actOnRentalTransfer(id)).toMatchObject({ status: "vanished", action: "none" });
  });
});

describe("pay by transfer: the console's list", () => {
  it("lists newest first, filters by state, pages by id, counts per state; a bad filter is refused", async () => {
    const s = await sender();
    const a = await sendTrx(k.client, rentalAddress(), 7_000_000n, s);
    const b = await sendTrx(k.client, rentalAddress(), 4_000_000n, s);
    await scanAll();
    const [ra, rb] = [await rowOf(a), await rowOf(b)];
    await actOnRentalTransfer(rb.id); // ordered: delivering
    const page1 = await listRentalTransfers({ limit: 1 });
    expect(page1.map((r) => r.id)).toEqual([rb.id]);
    const page2 = await listRentalTransfers({ limit: 1, beforeId: rb.id });
    expect(page2.map((r) => r.id)).toEqual([ra.id]);
    const pending = await listRentalTransfers({ status: "pending" });
    expect(pending.some((r) => r.id === ra.id)).toBe(true);
    expect(pending.some((r) => r.id === rb.id)).toBe(false);
    const counts = await countRentalTransfers();
    expect(counts.delivering).toBeGreaterThanOrEqual(1);
    await expect(listRentalTransfers({ status: "bogus" as never })).rejects.toThrow();
    await expect(listRentalTransfers({ limit: 10_000 })).rejects.toThrow();
  });
});

describe("pay by transfer: settings", () => {
  it("refuses duplicate amounts, energy out of range and durations not offered, changing nothing", async () => {
    const before = (await getSettings()).transfer;
    const bad = [
      [
        { amountSun: "4000000", energy: 65_000, duration: "1h" },
        { amountSun: "4000000", energy: 131_000, duration: "1h" },
      ],
      [{ amountSun: "4000000", energy: 1_000, duration: "1h" }],
      [{ amountSun: "4000000", energy: 65_000, duration: "2h" }],
      [{ amountSun: "-1", energy: 65_000, duration: "1h" }],
    ];
    for (const offers of bad) {
      await expect(
        updateSettings({ transfer: { enabled: true, offers, riskCapSun: "1", refundFeeSun: "1" } }),
      ).rejects.toMatchObject({ code: "bad_request" });
    }
    expect((await getSettings()).transfer).toEqual(before);
  });

  it("the desk account is one system account, never a person", async () => {
    const id = await deskUserId();
    const db = await getDb();
    const [u] = await db.select().from(users).where(eq(users.id, id));
    expect(u.systemAccount).toBe("transfer");
    expect(u.telegramId).toBeNull();
  });
});
