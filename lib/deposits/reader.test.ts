import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { deposits, ledgerEntries } from "@/db/schema";
import { getBalance } from "@/lib/ledger";
import { TronClient, type TronFetch } from "@/lib/tron/client";
import { createUser } from "@/lib/users";
import { getOrCreateDepositAddress, scanAccountsOnce, scanOnce, setScanCursor } from "./index";
import { RATE_LIMIT_PAUSE_MS, resetScannerReader, ScanReader, scannerRequests } from "./reader";
import {
  customer,
  type DevnetKit,
  devSigner,
  sendToken,
  sendTrx,
  sendTrxViaContract,
  startDevnetKit,
  USDT,
} from "./testing";

/** The scanner's reads: adaptive batches, rate limits, no receipts on the head pass, account mode. */

const LAG = 4;
let k: DevnetKit;

async function scanAll() {
  for (let i = 0; i < 50; i++) {
    const r = await scanOnce({ client: k.client });
    if (r.caughtUp) return r;
  }
  throw new Error("scanner did not catch up");
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
  resetScannerReader();
  await setScanCursor(null);
});

describe("block reads within a byte and time budget", () => {
  it("mainnet-size blocks: the batch shrinks to what fits the byte budget, and every block is read once", async () => {
    await k.ctl("fill-blocks", { blocks: 24, txs: 300 });
    const head = await k.head();
    const reader = new ScanReader(k.client, { maxBytes: 1_000_000, maxMs: 60_000 });
    const blocks = await reader.blocks(head - 23, head);
    expect(blocks.map((b) => b.number)).toEqual(Array.from({ length: 24 }, (_, i) => head - 23 + i));
    expect(blocks.every((b) => b.txs.length === 300)).toBe(true);
    const { byPath, bytes } = scannerRequests(k.client);
    const perBlock = bytes / 24;
    expect(perBlock).toBeGreaterThan(250_000); // ~1 kB per transaction, as on mainnet
    // after the first read (10 blocks, the starting size) every batch fits the budget
    expect(reader.state.batch * perBlock).toBeLessThanOrEqual(1_000_000 * 1.05);
    expect(byPath["wallet/getblockbylimitnext"]).toBeGreaterThanOrEqual(
      1 + Math.ceil((14 * perBlock) / 1_000_000),
    );
  });

  it("a read that times out is retried with half the blocks, down to what the node can serve in time", async () => {
    await k.mine(30);
    const slowFetch: TronFetch = async (url, init) => {
      if (url.endsWith("/wallet/getblockbylimitnext")) {
        const b = JSON.parse(init.body ?? "{}");
        if (b.endNum - b.startNum > 4) {
          const e = new Error("The operation was aborted due to timeout");
          e.name = "TimeoutError";
          throw e;
        }
      }
      const r = await fetch(url, init);
      return { ok: r.ok, status: r.status, text: () => r.text() };
    };
    const client = new TronClient({ ...k.client.config, usdtContract: USDT, fetch: slowFetch });
    const reader = new ScanReader(client, { maxBytes: 8_000_000, maxMs: 2_500 });
    const blocks = await reader.blocks(1, 30);
    expect(blocks).toHaveLength(30);
    expect(reader.state.batch).toBeLessThanOrEqual(8); // at most twice the last size that worked
  });
});

describe("rate limits", () => {
  it("a 429 pauses every scanner read for TronGrid's 30 s instead of retrying", async () => {
    await k.mine(10);
    await k.ctl("faults", { rateLimit429: 1, paths: "/wallet" });
    const t0 = Date.now();
    const r = await scanOnce({ client: k.client });
    expect(r.pausedUntil).toBeGreaterThanOrEqual(t0 + RATE_LIMIT_PAUSE_MS);
    expect(r.credited).toBe(0);
    const before = scannerRequests(k.client).total;
    const again = await scanOnce({ client: k.client });
    expect(again.pausedUntil).toBe(r.pausedUntil);
    expect(scannerRequests(k.client).total).toBe(before); // not a single request while paused
    resetScannerReader(k.client); // (the pause is over)
    expect((await scanAll()).pausedUntil).toBeUndefined();
  });
});

describe("the head pass is display only", () => {
  it("no receipt calls above the solidified head; a direct USDT transfer still shows as seen", async () => {
    await k.mine(LAG + 1);
    await scanAll();
    const u = await createUser();
    const { address } = await getOrCreateDepositAddress(u.id, { client: k.client });
    const usdt = await sendToken(k.client, address, 3_000_000n);
    const trx = await sendTrx(k.client, address, 2_000_000n);
    await k.mine(2); // in head blocks only
    resetScannerReader(k.client);
    await scanAll();
    expect(scannerRequests(k.client).byPath["wallet/gettransactioninfobyblocknum"]).toBeUndefined();
    const db = await getDb();
    const rows = await db
      .select()
      .from(deposits)
      .where(inArray(deposits.txid, [usdt, trx]));
    expect(rows.map((d) => [d.txid, d.logIndex, d.status]).sort()).toEqual(
      [
        [usdt, 0, "seen"],
        [trx, -1, "seen"],
      ].sort(),
    );
    await k.mine(LAG);
    await scanAll();
    expect(await getBalance(u.id)).toBe(2_000_000n + 10_500_000n);
  });
});

describe("account-endpoint mode", () => {
  it("credits TRX, TRX sent by a contract and USDT read through TronGrid's account endpoints, with the block scanner's keys", async () => {
    const u = await createUser();
    const { address } = await getOrCreateDepositAddress(u.id, { client: k.client });
    const router = await k.ctl("deploy-router", {});
    const t1 = await sendTrx(k.client, address, 4_000_000n);
    const t2 = await sendTrxViaContract(k.client, router.base58, address, 5_000_000n);
    const t3 = await sendToken(k.client, address, 1_000_000n);
    await k.ctl("issue-trc10", { id: "1002000" });
    await k.ctl("fund-trc10", { id: "1002000", address: customer.base58, amount: "10" });
    const tok = await k.client.tronWeb.transactionBuilder.sendToken(address, 5, "1002000", customer.base58);
    await k.client.tronWeb.trx.sendRawTransaction(await devSigner(k.client, customer.privateKey).sign(tok));
    await k.mine(1);
    // not confirmed yet: nothing
    let r = await scanAccountsOnce({ client: k.client, perRun: 10_000 });
    expect(await getBalance(u.id)).toBe(0n);
    await k.mine(LAG);
    r = await scanAccountsOnce({ client: k.client, perRun: 10_000 });
    expect(r.notAccepted).toBe(1);
    expect(await getBalance(u.id)).toBe(4_000_000n + 5_000_000n + 3_500_000n);
    const db = await getDb();
    const keys = await db
      .select({ k: ledgerEntries.idempotencyKey })
      .from(ledgerEntries)
      .where(and(eq(ledgerEntries.userId, u.id), eq(ledgerEntries.type, "deposit")));
    expect(keys.map((x) => x.k).sort()).toEqual(
      [`deposit:${t1}:-1`, `deposit:${t2}:-2`, `deposit:${t3}:0`].sort(),
    );
    // again, and then the block scanner over the same blocks: nothing is credited twice
    await scanAccountsOnce({ client: k.client, perRun: 10_000 });
    await setScanCursor(1);
    await scanAll();
    expect(await getBalance(u.id)).toBe(12_500_000n);
  });
});
