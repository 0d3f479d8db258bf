import { eq, sql } from "drizzle-orm";
import { utils } from "tronweb";
import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { watchedAddresses } from "@/db/schema";
import type { LeanBlock } from "@/lib/deposits/reader";
import { freshReceiver } from "@/lib/orders/testing";
import { freshOrderKitPerTest } from "@/test/order-kit";
import { addressBody, checkCycle, markSenders, unwatchIfUnused, watchAddress } from "./index";

/** The watcher: the scanner hook's marks, and check cycles that re-read only what changed. */

const kit = freshOrderKitPerTest();

beforeEach(async () => {
  const db = await getDb();
  await db.execute(sql`update energy_subscriptions set status = 'cancelled' where status <> 'cancelled'`);
  await db.execute(sql`delete from watched_addresses`);
});

const tx = (owner: string) => ({
  txid: "",
  type: "TriggerSmartContract",
  ret: "REVERT",
  owner: `41${addressBody(owner)}`,
  to: null,
  amount: 0n,
  contract: null,
  data: null,
  assetId: null,
});
const block = (number: number, owners: string[]): LeanBlock => ({
  number,
  blockId: "",
  parentHash: "",
  timestamp: 0,
  txs: owners.map(tx),
});
const addr = () => utils.accounts.generateAccount().address.base58;

async function row(address: string) {
  const db = await getDb();
  const [r] = await db.select().from(watchedAddresses).where(eq(watchedAddresses.address, address));
  return r;
}

describe("the scanner hook", () => {
  it("marks only watched senders (any transaction, failed ones too), with the last block they sent in", async () => {
    const a = addr();
    const b = addr();
    await watchAddress(a);
    await watchAddress(b);
    const db = await getDb();
    await db.update(watchedAddresses).set({ dirty: false });
    const n = await markSenders(db, [block(10, [a, addr(), a]), block(11, [addr()]), block(12, [a])]);
    expect(n).toBe(1);
    expect(await row(a)).toMatchObject({ dirty: true, lastSentBlock: 12 });
    expect(await row(b)).toMatchObject({ dirty: false, lastSentBlock: null });
    // the same blocks read again (a rerun after a crash) change nothing more
    expect(await markSenders(db, [block(10, [a])])).toBe(1);
    expect((await row(a)).lastSentBlock).toBe(12);
  });

  it("sees an address watched after the set was read, and forgets one no longer watched", async () => {
    const db = await getDb();
    const a = addr();
    await watchAddress(a);
    expect(await markSenders(db, [block(5, [a])])).toBe(1); // the set is read here
    const c = addr();
    await watchAddress(c);
    await db.update(watchedAddresses).set({ dirty: false });
    expect(await markSenders(db, [block(6, [c])])).toBe(1);
    expect((await row(c)).dirty).toBe(true);
    await unwatchIfUnused(c);
    expect(await markSenders(db, [block(7, [c])])).toBe(0);
  });
});

describe("check cycles", () => {
  it("re-read only the marked rows (and stale ones), store the energy, and clear the mark", async () => {
    const a = await freshReceiver(kit);
    const b = await freshReceiver(kit);
    await kit.ctl("stake", { address: a, sun: 10_000_000_000, resource: "ENERGY" });
    await watchAddress(a);
    await watchAddress(b);
    const first = await checkCycle();
    expect(first.requests).toBe(2);
    expect(first.changed).toBe(2);
    expect((await row(a)).energyAvailable).toBeGreaterThan(0n);
    expect(await row(b)).toMatchObject({ dirty: false, energyAvailable: 0n });
    // nothing marked, nothing stale: no chain request
    expect((await checkCycle()).requests).toBe(0);
    // one marked: one request
    const db = await getDb();
    await markSenders(db, [block(99, [b])]);
    const one = await checkCycle();
    expect([one.requests, one.checked.map((c) => c.address)]).toEqual([1, [b]]);
    // a row not read for long enough is re-read as a safety net
    const later = new Date(Date.now() + 31 * 60_000);
    const safety = await checkCycle({ now: later });
    expect([safety.safety, safety.changed]).toEqual([2, 0]);
  });

  it("an address the node cannot answer for stays marked for the next cycle", async () => {
    const a = await freshReceiver(kit);
    await watchAddress(a);
    await kit.dn.close(); // the node goes away
    const r = await checkCycle();
    expect([r.requests, r.failed, r.checked]).toEqual([1, 1, []]);
    expect((await row(a)).dirty).toBe(true);
  });
});
