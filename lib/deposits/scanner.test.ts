import { eq, inArray } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { type Deposit, depositAddresses, deposits, ledgerEntries } from "@/db/schema";
import { capturedEvents, setEventSender } from "@/lib/events";
import { getBalance } from "@/lib/ledger";
import { resetSettings, updateSettings } from "@/lib/settings";
import { createUser } from "@/lib/users";
import {
  DROPPED_AFTER_BLOCKS,
  getOrCreateDepositAddress,
  listDeposits,
  type ScanResult,
  scannerStatus,
  scanOnce,
  setScanCursor,
  usdtToSun,
} from "./index";
import { customer, type DevnetKit, devnetClient, sendToken, sendTrx, startDevnetKit } from "./testing";

const LAG = 3;
let k: DevnetKit;

async function scanAll(opts: { maxBlocks?: number } = {}): Promise<ScanResult[]> {
  const out: ScanResult[] = [];
  for (let i = 0; i < 50; i++) {
    const r = await scanOnce({ client: k.client, ...opts });
    out.push(r);
    if (r.caughtUp) return out;
  }
  throw new Error("scanner did not catch up");
}

async function newDepositor() {
  const u = await createUser();
  const { address, index } = await getOrCreateDepositAddress(u.id);
  return { id: u.id, address, index };
}

async function depositsOfTx(txids: string[]): Promise<Deposit[]> {
  const db = await getDb();
  return db.select().from(deposits).where(inArray(deposits.txid, txids));
}

async function ledgerOf(userId: number) {
  const db = await getDb();
  return db.select().from(ledgerEntries).where(eq(ledgerEntries.userId, userId));
}

beforeAll(async () => {
  k = await startDevnetKit(LAG);
});
afterAll(async () => {
  await setScanCursor(null);
  await k?.close();
});
beforeEach(async () => {
  await k.ctl("reset");
  await k.ctl("faults/clear");
  await setScanCursor(null);
  await resetSettings(["minDepositTrxSun", "minDepositUsdtBase", "usdtRateSun"]);
  await k.mine(LAG + 1);
  await scanAll(); // cursors start at the current solidified head
});
afterEach(async () => {
  await resetSettings(["minDepositTrxSun", "minDepositUsdtBase", "usdtRateSun"]);
});

describe("deposit addresses", () => {
  it("one address per user, next index on first need, stable afterwards", async () => {
    const a = await newDepositor();
    const b = await newDepositor();
    expect(b.index).toBeGreaterThan(a.index);
    expect(await getOrCreateDepositAddress(a.id)).toEqual({ address: a.address, index: a.index });
    // concurrent first calls for one user agree
    const u = await createUser();
    const [x, y] = await Promise.all([getOrCreateDepositAddress(u.id), getOrCreateDepositAddress(u.id)]);
    expect(x).toEqual(y);
  });
});

describe("scanner", () => {
  it("TRX deposit: recorded at once, credited only after the solidification lag, once", async () => {
    const u = await newDepositor();
    const events = () =>
      capturedEvents.filter((e) => e.name.startsWith("deposit/") && e.data.userId === u.id);
    const txid = await sendTrx(k.client, u.address, 5_000_000n);
    await k.mine();
    const block = await k.head();
    await scanAll();
    let [d] = await listDeposits({ userId: u.id });
    expect(d).toMatchObject({
      txid,
      logIndex: -1,
      status: "seen",
      currency: "TRX",
      amountBase: 5_000_000n,
    });
    expect(d.blockNumber).toBe(block);
    expect(d.confirmations).toBe(1);
    expect(d.requiredConfirmations).toBe(LAG + 1);
    expect(await getBalance(u.id)).toBe(0n);

    await k.mine(LAG - 1);
    await scanAll();
    expect((await listDeposits({ userId: u.id }))[0].status).toBe("seen");
    expect(await getBalance(u.id)).toBe(0n);

    await k.mine(1); // the deposit's block is now solidified
    await scanAll();
    [d] = await listDeposits({ userId: u.id });
    expect(d.status).toBe("credited");
    expect(d.creditedSun).toBe(5_000_000n);
    expect(d.confirmations).toBe(LAG + 1);
    expect(await getBalance(u.id)).toBe(5_000_000n);
    const entries = await ledgerOf(u.id);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ idempotencyKey: `deposit:${txid}:-1`, amountSun: 5_000_000n });
    expect(d.ledgerEntryId).toBe(entries[0].id);

    // scanning the same blocks again changes nothing
    await setScanCursor(block - 2);
    await scanAll();
    await setScanCursor(block);
    await scanAll();
    expect(await getBalance(u.id)).toBe(5_000_000n);
    expect(await ledgerOf(u.id)).toHaveLength(1);
    expect(await depositsOfTx([txid])).toHaveLength(1);
    expect(events().map((e) => [e.name, e.id])).toEqual([
      ["deposit/seen", `deposit-seen-${d.id}`],
      ["deposit/credited", `deposit-credited-${d.id}`],
    ]);
    expect((await depositsOfTx([txid]))[0].notifiedAt).toBeInstanceOf(Date);

    const st = await scannerStatus();
    expect(st.cursor).toBe((await k.head()) - LAG);
    expect(st.head).toBe(await k.head());
    expect(st.solidifiedHead).toBe((await k.head()) - LAG);
    expect(st.lagBlocks).toBe(LAG);
    expect(st.lastRunAt).toBeInstanceOf(Date);
  });

  it("a credit whose event did not leave (Inngest down) is sent by the next scan, once, under its id", async () => {
    const u = await newDepositor();
    const credited = () =>
      capturedEvents.filter((e) => e.name === "deposit/credited" && e.data.userId === u.id);
    const txid = await sendTrx(k.client, u.address, 3_000_000n);
    await k.mine(LAG + 1);
    setEventSender(async () => {
      throw new Error("connect ECONNREFUSED 127.0.0.1:8288");
    });
    try {
      await scanAll();
    } finally {
      setEventSender(null);
    }
    const [d] = await depositsOfTx([txid]);
    expect(d).toMatchObject({ status: "credited", notifiedAt: null });
    expect(await getBalance(u.id)).toBe(3_000_000n);
    expect(credited()).toEqual([]);
    await scanAll();
    await scanAll();
    expect(credited()).toEqual([
      { name: "deposit/credited", data: { depositId: d.id, userId: u.id }, id: `deposit-credited-${d.id}` },
    ]);
    expect((await depositsOfTx([txid]))[0].notifiedAt).toBeInstanceOf(Date);
  });

  it("a scan that crashes half way through a batch leaves nothing behind; the rerun credits once", async () => {
    const a = await newDepositor();
    const b = await newDepositor();
    const t1 = await sendTrx(k.client, a.address, 2_000_000n);
    await k.mine();
    const t2 = await sendTrx(k.client, b.address, 3_000_000n);
    await k.mine(LAG + 1);
    const before = await scannerStatus();
    // crash inside the crediting transaction, after both credits were written
    await expect(
      scanOnce({
        client: k.client,
        hooks: {
          beforeCommit: ({ credited }) => {
            expect(credited).toBe(2);
            throw new Error("simulated crash");
          },
        },
      }),
    ).rejects.toThrow("simulated crash");
    expect(await getBalance(a.id)).toBe(0n);
    expect(await getBalance(b.id)).toBe(0n);
    expect(await depositsOfTx([t1, t2])).toHaveLength(0);
    expect((await scannerStatus()).cursor).toBe(before.cursor);

    // a node failure half way through reading the batch: nothing moves either
    await k.ctl("faults", { status5xx: 1, status5xxCode: 500, paths: "/wallet/getblockbylimitnext" });
    await expect(scanOnce({ client: k.client })).rejects.toThrow();
    expect((await scannerStatus()).cursor).toBe(before.cursor);

    // two small batches (maxBlocks 1) across the two deposit blocks, then everything
    await scanAll({ maxBlocks: 1 });
    await scanAll();
    expect(await getBalance(a.id)).toBe(2_000_000n);
    expect(await getBalance(b.id)).toBe(3_000_000n);
    expect((await depositsOfTx([t1, t2])).map((d) => d.status)).toEqual(["credited", "credited"]);
  });

  it("USDT deposit is credited at the configured rate (rounded down), rate stored", async () => {
    await updateSettings({ usdtRateSun: "3333333" });
    const u = await newDepositor();
    const txid = await sendToken(k.client, u.address, 10_500_000n);
    await k.mine(LAG + 1);
    await scanAll();
    const [d] = await listDeposits({ userId: u.id });
    const expected = usdtToSun(10_500_000n, 3_333_333n);
    expect(expected).toBe(34_999_996n); // 34,999,996.5 rounded down
    expect(d).toMatchObject({
      txid,
      logIndex: 0,
      currency: "USDT",
      amountBase: 10_500_000n,
      status: "credited",
      usdtRateSun: 3_333_333n,
      creditedSun: expected,
      fromAddress: customer.base58,
    });
    const [entry] = await ledgerOf(u.id);
    expect(entry).toMatchObject({ usdtRateSun: 3_333_333n, amountSun: expected });
    expect(await getBalance(u.id)).toBe(expected);
  });

  it("ignores another contract's Transfer, a reverted transfer and transfers to addresses not ours", async () => {
    const u = await newDepositor();
    const fake = await k.ctl("deploy-token", {});
    await k.ctl("fund-token", { token: fake.base58, address: customer.base58, amount: "100000000" });
    const fakeClient = devnetClient(k.dn.url, fake.base58);
    const tFake = await sendToken(fakeClient, u.address, 50_000_000n);
    const tRevert = await sendToken(k.client, u.address, 10_000_000_000n); // more than the customer holds
    const stranger = (await import("tronweb")).utils.accounts.generateAccount().address.base58;
    const tOtherTrx = await sendTrx(k.client, stranger, 5_000_000n);
    const tOtherUsdt = await sendToken(k.client, stranger, 5_000_000n);
    await k.mine(LAG + 1);
    const info = await k.client.getTransactionInfo(tRevert);
    expect(info?.receipt.result).toBe("REVERT");
    const rs = await scanAll();
    expect(rs.reduce((s, r) => s + r.found, 0)).toBe(0);
    expect(await depositsOfTx([tFake, tRevert, tOtherTrx, tOtherUsdt])).toHaveLength(0);
    expect(await getBalance(u.id)).toBe(0n);
  });

  it("below-minimum deposits are recorded and shown, not credited", async () => {
    await updateSettings({ minDepositTrxSun: "1000000", minDepositUsdtBase: "2000000" });
    const u = await newDepositor();
    const t1 = await sendTrx(k.client, u.address, 999_999n);
    const t2 = await sendToken(k.client, u.address, 1_500_000n);
    await k.mine(LAG + 1);
    await scanAll();
    const list = await listDeposits({ userId: u.id });
    expect(list.map((d) => [d.txid, d.status]).sort()).toEqual(
      [
        [t1, "below_minimum"],
        [t2, "below_minimum"],
      ].sort(),
    );
    expect(list.every((d) => d.creditedSun === null && d.ledgerEntryId === null)).toBe(true);
    expect(await getBalance(u.id)).toBe(0n);
  });

  it("two users in the same block, one user twice in one batch (TRX and USDT)", async () => {
    const a = await newDepositor();
    const b = await newDepositor();
    const txs = [
      await sendTrx(k.client, a.address, 1_000_000n),
      await sendTrx(k.client, a.address, 2_000_000n),
      await sendTrx(k.client, b.address, 4_000_000n),
      await sendToken(k.client, a.address, 1_000_000n),
    ];
    await k.mine();
    const block = await k.head();
    await k.mine(LAG);
    await scanAll();
    const rows = await depositsOfTx(txs);
    expect(rows).toHaveLength(4);
    expect(rows.every((r) => r.blockNumber === block && r.status === "credited")).toBe(true);
    expect(await getBalance(a.id)).toBe(3_000_000n + 3_500_000n); // default rate 3.5 TRX per USDT
    expect(await getBalance(b.id)).toBe(4_000_000n);
    expect(await ledgerOf(a.id)).toHaveLength(3);
  });

  it("a deposit seen in a head block is only credited from the solidified chain", async () => {
    const u = await newDepositor();
    const txid = await sendTrx(k.client, u.address, 7_000_000n);
    await k.mine();
    await scanAll();
    const [d] = await depositsOfTx([txid]);
    expect(d.status).toBe("seen");
    // The solidified pass has not reached the block: forcing more scans changes nothing.
    for (let i = 0; i < 3; i++) await scanOnce({ client: k.client });
    expect(await getBalance(u.id)).toBe(0n);
  });

  it("a head-seen deposit a fork dropped is removed once the solidified chain is well past it, never credited", async () => {
    const u = await newDepositor();
    const db = await getDb();
    const [addr] = await db.select().from(depositAddresses).where(eq(depositAddresses.userId, u.id));
    // The state a fork leaves behind: a `seen` row for a transfer the canonical chain does not have.
    const ghostTx = "f".repeat(64);
    await db.delete(deposits).where(eq(deposits.txid, ghostTx));
    await db.insert(deposits).values({
      userId: u.id,
      depositAddressId: addr.id,
      address: u.address,
      currency: "TRX",
      amountBase: 9_000_000n,
      txid: ghostTx,
      logIndex: -1,
      blockNumber: await k.head(),
      status: "seen",
    });
    // a real one seen at the same time is credited as usual
    const txid = await sendTrx(k.client, u.address, 6_000_000n);
    await k.mine(LAG + 2);
    await scanAll();
    expect((await depositsOfTx([txid]))[0].status).toBe("credited");
    expect(await depositsOfTx([ghostTx])).toHaveLength(1); // solidified past it, within the margin
    await k.mine(DROPPED_AFTER_BLOCKS);
    await scanAll();
    expect(await depositsOfTx([ghostTx])).toHaveLength(0);
    expect(await getBalance(u.id)).toBe(6_000_000n);
    expect(await ledgerOf(u.id)).toHaveLength(1);
  });
});
