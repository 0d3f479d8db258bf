import { InngestTestEngine } from "@inngest/test";
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { freshOrderKitPerTest } from "@/test/order-kit";
import { getDb } from "@/db";
import { chainDrift, delegations } from "@/db/schema";
import { devnetAccount } from "@/devnet/genesis";
import { getOpenAlert } from "@/lib/alerts";
import { createOrder, getOrder } from "@/lib/orders";
import { freshReceiver, fundedUser, importPool, runFulfil } from "@/lib/orders/testing";
import { importPermissionWallet, permissionSetup } from "@/lib/pool";
import { listDrift } from "@/lib/reconcile";
import { broadcast, buildDelegateEnergy, buildUndelegateEnergy } from "@/lib/tron/tx";
import { reconcileChainFunction } from "./reconcile-chain";

/**
 * Reconciliation against real drift on the devnet: a delegation made outside the app, an order
 * whose delegation is missing, a reclaim that never happened, locks merged by an outside delegation.
 * Runs the real Inngest function in-process.
 */

const TRX = 1_000_000n;
const HOUR = 3_600_000;
const pool3 = devnetAccount(3);
const signer = { sign: (tx: any) => kit.client.tronWeb.trx.sign(tx, pool3.privateKey) as Promise<any> };

const kit = freshOrderKitPerTest();
beforeEach(async () => {
  const db = await getDb();
  await db
    .update(chainDrift)
    .set({ status: "resolved", resolvedAt: new Date() })
    .where(eq(chainDrift.status, "open"));
});

async function reconcile() {
  const r = await new InngestTestEngine({ function: reconcileChainFunction }).execute({});
  expect(r.error).toBeUndefined();
  return r.result as {
    raised: string[];
    resolved: string[];
    reclaimable: number[];
    sent: number[];
    checked: number[];
    open: number;
    ownersOwn: { walletId: number; address: string; receiver: string; sun: string }[];
  };
}

async function outside(
  kind: "delegate" | "undelegate",
  receiver: string,
  sun: bigint,
  lockPeriodBlocks?: number,
) {
  const s =
    kind === "delegate"
      ? await buildDelegateEnergy(
          kit.client,
          { owner: pool3.base58, receiver, sun, lock: lockPeriodBlocks !== undefined, lockPeriodBlocks },
          signer,
        )
      : await buildUndelegateEnergy(kit.client, { owner: pool3.base58, receiver, sun }, signer);
  await broadcast(kit.client, s.signedTx);
}

async function onChain(receiver: string): Promise<bigint> {
  const recs = await kit.client.getDelegatedResourceV2(pool3.base58, receiver);
  return recs.reduce((a, r) => a + r.energySun, 0n);
}

async function order(receiver: string, duration = "1h") {
  const { order: o } = await createOrder({
    userId: await fundedUser(1_000n * TRX),
    receiver,
    energy: 65_000,
    duration,
    source: "portal",
    idempotencyKey: `k-${Math.random()}`,
  });
  expect((await runFulfil(kit, o.id)).error).toBeUndefined();
  return getOrder({ orderId: o.id });
}

async function openFinding(kind: string, receiver: string) {
  return (await listDrift()).open.find((f) => f.kind === kind && f.receiverAddress === receiver);
}

describe("reconcile-chain", () => {
  it("a delegation made outside the app: found, alerted, undelegated on the second run, resolved", async () => {
    const [w3] = await importPool([3]);
    const r = await freshReceiver(kit);
    await outside("delegate", r, 10n * TRX); // unlocked
    const first = await reconcile();
    expect(first.raised).toContain(`drift:orphan:${w3.id}:${r}`);
    const f = await openFinding("orphan", r);
    expect(f).toMatchObject({ chainSun: 10n * TRX, expectedSun: 0n, unlockedSun: 10n * TRX, runs: 1 });
    expect((await getOpenAlert(`drift:orphan:${w3.id}:${r}`))?.rule).toBe("chain_drift");
    expect(first.reclaimable).toEqual([]); // not on the first sighting
    const second = await reconcile();
    expect(second.sent).toEqual([f!.id]);
    expect(await onChain(r)).toBe(0n);
    const third = await reconcile();
    expect(third.checked).toContain(f!.id);
    expect(third.resolved).toContain(`drift:orphan:${w3.id}:${r}`);
    expect(await openFinding("orphan", r)).toBeUndefined();
    const done = (await listDrift()).resolved.find((x) => x.id === f!.id)!;
    expect(done.reclaimTxid).toMatch(/^[0-9a-f]{64}$/);
    expect(done.reclaimedAt).toBeInstanceOf(Date);
    expect(await getOpenAlert(`drift:orphan:${w3.id}:${r}`)).toBeUndefined();
  });

  it("an outside delegation still locked is only reported; once its lock ends it is undelegated", async () => {
    await importPool([3]);
    const r = await freshReceiver(kit);
    await outside("delegate", r, 5n * TRX, 1200);
    await reconcile();
    await reconcile();
    const f = await openFinding("orphan", r);
    expect(f).toMatchObject({ chainSun: 5n * TRX, unlockedSun: 0n, runs: 2 });
    expect(f?.reclaimTxid).toBeNull();
    expect(await onChain(r)).toBe(5n * TRX);
    await kit.ctl("advance-time", { ms: HOUR + 10_000 });
    const after = await reconcile();
    expect(after.sent).toEqual([f!.id]);
    expect(await onChain(r)).toBe(0n);
  });

  it("an order whose delegation is missing (undelegated by hand after its lock): critical, until the reclaim closes it", async () => {
    const [w3] = await importPool([3]);
    const r = await freshReceiver(kit);
    const d = await order(r);
    const part = d.delegations[0];
    expect((await reconcile()).raised).toEqual([]); // in step with the chain
    await kit.ctl("advance-time", { ms: HOUR + 10_000 });
    await outside("undelegate", r, part.sun);
    await reconcile();
    const f = await openFinding("missing", r);
    expect(f).toMatchObject({ chainSun: 0n, expectedSun: part.sun, delegationIds: [part.id] });
    expect(await getOpenAlert(`drift:missing:${w3.id}:${r}`)).toMatchObject({ severity: "critical" });
    // the reclaim finds nothing on chain and closes the delegation: the drift resolves
    const { runReclaim } = await import("@/lib/orders/testing");
    expect((await runReclaim(kit, part.id)).error).toBeUndefined();
    expect((await reconcile()).resolved).toContain(`drift:missing:${w3.id}:${r}`);
  });

  it("a reclaim that never happened (marked reclaimed, still on chain): found and undelegated", async () => {
    const [w3] = await importPool([3]);
    const r = await freshReceiver(kit);
    const d = await order(r);
    const part = d.delegations[0];
    const db = await getDb();
    await db
      .update(delegations)
      .set({ status: "reclaimed", reclaimedAt: new Date() })
      .where(eq(delegations.id, part.id));
    await reconcile();
    const f = await openFinding("unreclaimed", r);
    expect(f).toMatchObject({
      chainSun: part.sun,
      expectedSun: 0n,
      unlockedSun: 0n,
      delegationIds: [part.id],
    });
    expect((await getOpenAlert(`drift:unreclaimed:${w3.id}:${r}`))?.rule).toBe("chain_drift");
    await kit.ctl("advance-time", { ms: HOUR + 10_000 });
    const run = await reconcile();
    expect(run.sent).toEqual([f!.id]);
    expect(await onChain(r)).toBe(0n);
    expect((await reconcile()).resolved).toContain(`drift:unreclaimed:${w3.id}:${r}`);
  });

  it("an outside delegation that merges into an order's lock: orphan stake and a lock mismatch", async () => {
    const [w3] = await importPool([3]);
    const r = await freshReceiver(kit);
    const d = await order(r);
    await outside("delegate", r, 3n * TRX, 86_400); // locked 3 days: the whole record now ends in 3 days
    await reconcile();
    expect(await openFinding("orphan", r)).toMatchObject({ chainSun: d.delegations[0].sun + 3n * TRX });
    const m = await openFinding("lock_mismatch", r);
    expect(m?.expectedLockEndsAt?.getTime()).toBe(d.delegations[0].expiresAt!.getTime());
    expect(m!.chainLockEndsAt!.getTime() - m!.expectedLockEndsAt!.getTime()).toBeGreaterThan(2 * 86_400_000);
    expect((await getOpenAlert(`drift:lock_mismatch:${w3.id}:${r}`))?.rule).toBe("chain_drift");
  });

  it("a delegation in flight is not judged", async () => {
    await importPool([3]);
    const r = await freshReceiver(kit);
    const d = await order(r);
    const db = await getDb();
    await db.update(delegations).set({ status: "broadcast" }).where(eq(delegations.id, d.delegations[0].id));
    const run = await reconcile();
    expect(run.raised).toEqual([]);
    expect(await openFinding("orphan", r)).toBeUndefined();
  });

  it("a permission-mode wallet's owner delegating with their own key: listed as the owner's own, neither orphan nor alert; a key wallet's stray delegation is still an orphan", async () => {
    // pool-3 first in key mode, with a delegation no order explains: an orphan, as always
    const [w3] = await importPool([3]);
    const [w1] = await importPool([1]);
    const mine = await freshReceiver(kit);
    await outside("delegate", mine, 10n * TRX);
    const first = await reconcile();
    expect(first.raised).toContain(`drift:orphan:${w3.id}:${mine}`);
    expect(first.ownersOwn).toEqual([]);

    // its owner keeps the key from now on: granted as the console shows it, switched to permission mode
    const setup = await permissionSetup(pool3.base58);
    const tw = kit.client.tronWeb;
    const sent = await tw.trx.sendRawTransaction(
      await tw.trx.sign(setup.transaction as never, pool3.privateKey),
    );
    expect(sent.result, JSON.stringify(sent)).toBe(true);
    await kit.mine();
    const pw = await importPermissionWallet({ address: pool3.base58, label: "owner-3" });
    expect(pw).toMatchObject({ id: w3.id, mode: "permission", permissionError: null });
    // and delegates to another receiver with their own key (the owner permission), locked
    const theirs = await freshReceiver(kit);
    await outside("delegate", theirs, 7n * TRX, 1200);
    // a stray delegation of the key-mode wallet 1
    const stray = await freshReceiver(kit);
    const k1 = devnetAccount(1);
    const s1 = await buildDelegateEnergy(
      kit.client,
      { owner: k1.base58, receiver: stray, sun: 5n * TRX, lock: false },
      { sign: (tx: any) => kit.client.tronWeb.trx.sign(tx, k1.privateKey) as Promise<any> },
    );
    await broadcast(kit.client, s1.signedTx);

    const run = await reconcile();
    // the owner's delegations: information, not findings; the old orphan finding and alert resolve
    expect(run.ownersOwn).toEqual(
      expect.arrayContaining([
        { walletId: w3.id, address: pool3.base58, receiver: mine, sun: (10n * TRX).toString() },
        { walletId: w3.id, address: pool3.base58, receiver: theirs, sun: (7n * TRX).toString() },
      ]),
    );
    expect(run.ownersOwn).toHaveLength(2);
    // kept with the run, for the console's Reconcile page
    const { runs } = await listDrift();
    expect(runs[0].ownersOwn).toEqual(run.ownersOwn);
    expect(run.raised.filter((k) => k.includes(`:${w3.id}:`))).toEqual([]);
    expect(run.resolved).toContain(`drift:orphan:${w3.id}:${mine}`);
    expect(await openFinding("orphan", mine)).toBeUndefined();
    expect(await openFinding("orphan", theirs)).toBeUndefined();
    expect(await getOpenAlert(`drift:orphan:${w3.id}:${mine}`)).toBeUndefined();
    expect(await getOpenAlert(`drift:orphan:${w3.id}:${theirs}`)).toBeUndefined();
    // the key wallet's stray delegation is an orphan as before, and undelegated on the next run
    expect(run.raised).toContain(`drift:orphan:${w1.id}:${stray}`);
    expect((await getOpenAlert(`drift:orphan:${w1.id}:${stray}`))?.rule).toBe("chain_drift");
    const f = await openFinding("orphan", stray);
    expect(f).toMatchObject({ supplierWalletId: w1.id, chainSun: 5n * TRX, expectedSun: 0n });
    const next = await reconcile();
    expect(next.sent).toEqual([f!.id]);
    // the owner's stake is never touched
    expect(await onChain(mine)).toBe(10n * TRX);
    expect(await onChain(theirs)).toBe(7n * TRX);
    expect(next.raised.filter((k) => k.includes(`:${w3.id}:`))).toEqual([]);
  });
});
