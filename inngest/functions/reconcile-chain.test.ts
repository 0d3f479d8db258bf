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
});
