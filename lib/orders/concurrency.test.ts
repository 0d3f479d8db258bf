import { inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { devnetAccount } from "@/devnet/genesis";
import { delegations, ledgerEntries, orders } from "@/db/schema";
import { findLedgerMismatches } from "@/lib/ledger";
import { createOrder } from "./create";
import {
  freshReceiver,
  fundedUser,
  importPool,
  type OrderKit,
  resetPoolForTests,
  runFulfil,
  startOrderKit,
} from "./testing";

const TRX = 1_000_000n;

// PGlite queues the transactions (the property holds, without real interleaving); DATABASE_URL races them.
describe("50 concurrent orders over 3 wallets (PostgreSQL races them; PGlite queues them)", () => {
  let kit: OrderKit;
  beforeAll(async () => {
    kit = await startOrderKit({ autoMine: true });
    await kit.ctl("reset");
    await resetPoolForTests();
  });
  afterAll(async () => {
    await kit?.close();
  });

  it("never over-delegates a wallet; every order active or refunded; the ledger adds up", async () => {
    const wallets = await importPool([1, 2, 3]);
    // 50 × 131k energy ≈ 6.55M energy; the pool holds ≈ 4.26M: some orders must be refunded.
    const users = await Promise.all(Array.from({ length: 10 }, () => fundedUser(100_000n * TRX)));
    const receivers = await Promise.all(Array.from({ length: 50 }, () => freshReceiver(kit)));
    const made = await Promise.all(
      receivers.map((receiver, i) =>
        createOrder({
          userId: users[i % users.length],
          receiver,
          energy: 131_000,
          duration: "1h",
          source: "api",
          idempotencyKey: `c50-${i}-${Math.random()}`,
        }),
      ),
    );
    const ids = made.map((m) => m.order.id);
    const runs = await Promise.all(ids.map((id) => runFulfil(kit, id)));
    for (const r of runs) expect(r.error).toBeUndefined();

    const db = await getDb();
    const os = await db.select().from(orders).where(inArray(orders.id, ids));
    const statuses = os.map((o) => o.status);
    expect(statuses.every((s) => s === "active" || s === "refunded")).toBe(true);
    const active = os.filter((o) => o.status === "active");
    expect(active.length).toBeGreaterThan(25);
    expect(active.length).toBeLessThan(50);

    // on chain: each wallet's delegated-out ≤ its stake, and equals the confirmed parts we recorded
    const parts = await db.select().from(delegations).where(inArray(delegations.orderId, ids));
    for (const [i, w] of [1, 2, 3].entries()) {
      const acct = await kit.client.getAccount(devnetAccount(w).base58);
      const staked = acct.frozenEnergySun + acct.delegatedOutEnergySun;
      expect(acct.delegatedOutEnergySun).toBeLessThanOrEqual(staked);
      const ours = parts
        .filter((p) => p.supplierWalletId === wallets[i].id && p.status === "confirmed")
        .reduce((a, p) => a + p.sun, 0n);
      expect(acct.delegatedOutEnergySun).toBe(ours);
    }
    // every active order fully covered by confirmed parts
    for (const o of active) {
      const e = parts
        .filter((p) => p.orderId === o.id && p.status === "confirmed")
        .reduce((a, p) => a + p.energy, 0n);
      expect(e).toBe(o.energy);
    }
    // ledger: one debit per order, one refund per refunded order, balances match the sums
    const l = await db.select().from(ledgerEntries).where(inArray(ledgerEntries.userId, users));
    expect(l.filter((x) => x.type === "order_payment")).toHaveLength(50);
    const refunded = os.filter((o) => o.status === "refunded");
    const refunds = l.filter((x) => x.type === "refund");
    expect(refunds).toHaveLength(refunded.length);
    expect(refunds.reduce((a, x) => a + x.amountSun, 0n)).toBe(refunded.reduce((a, o) => a + o.priceSun, 0n));
    expect(await findLedgerMismatches()).toEqual([]);
  }, 120_000);
});
