import { and, desc, eq, isNotNull, sql } from "drizzle-orm";
import { getDb, rowsOf } from "@/db";
import {
  type ChainDrift,
  chainDrift,
  delegations,
  type ReconcileRun,
  reconcileRuns,
  supplierWallets,
} from "@/db/schema";
import { raiseAlert, resolveAlert } from "@/lib/alerts";
import { logger } from "@/lib/log";
import { chainNow } from "@/lib/pool/chain";
import { tron } from "@/lib/tron/client";
import {
  alertOf,
  type Comparison,
  comparePair,
  type DbPart,
  type Finding,
  RECLAIMED_LOOKBACK_DAYS,
} from "./compare";
import { driftReclaimsInFlight } from "./reclaim";
/**
 * Reconciliation with the chain: per supplier wallet, the energy it delegates to each receiver
 * on chain (getdelegatedresourceaccountindexv2 + getdelegatedresourcev2) against what the
 * database's delegations explain. Each drift is stored (chain_drift, one open row per kind, wallet
 * and receiver), raised as a `chain_drift` alert and resolved when it clears. Stake that no order
 * explains and whose lock has ended is undelegated (signed and stored before broadcast), once it
 * has been seen in two runs in a row. Pairs with work in flight (a delegation being sent, a reclaim
 * broadcast) are left for the next run. On a permission-mode wallet, stake no order explains is its
 * owner's own delegation: listed in the run's result (`ownersOwn`), neither a finding nor an alert.
 *
 * The comparison is compare.ts, the undelegation of orphans reclaim.ts; this module runs the pass
 * over every wallet and serves the console's reads.
 */

export { broadcastDriftReclaim, checkDriftReclaim, driftReclaimsInFlight, signDriftReclaim } from "./reclaim";

type ReconcileResult = {
  runId: number;
  wallets: number;
  receivers: number;
  open: number;
  raised: string[];
  resolved: string[];
  failedWallets: number[];
  /** Open orphan / unreclaimed findings ready to be undelegated now. */
  reclaimable: number[];
  /** Findings whose undelegate is signed and not yet confirmed (checked at the start of the next run). */
  inFlight: number[];
  /**
   * Information, not findings: stake permission-mode wallets' owners delegate themselves (no order
   * explains it; it is theirs, never undelegated nor alerted), per wallet and receiver.
   */
  ownersOwn: { walletId: number; address: string; receiver: string; sun: string }[];
};

/** One reconciliation pass over every wallet that has or had stake out. */
export async function reconcileChain(): Promise<ReconcileResult> {
  const db = await getDb();
  const [run] = await db.insert(reconcileRuns).values({}).returning({ id: reconcileRuns.id });
  const out: ReconcileResult = {
    runId: run.id,
    wallets: 0,
    receivers: 0,
    open: 0,
    raised: [],
    resolved: [],
    failedWallets: [],
    reclaimable: [],
    inFlight: [],
    ownersOwn: [],
  };
  try {
    const wallets = rowsOf<{ id: number | string; address: string; mode: "key" | "permission" }>(
      await db.execute(sql`select w.id, w.address, w.mode from supplier_wallets w
        where w.removed_at is null
          or exists (select 1 from delegations d where d.supplier_wallet_id = w.id
            and d.status in ('planned', 'signed', 'broadcast', 'confirmed', 'reclaiming'))
        order by w.id`),
    );
    const nowMs = await chainNow();
    for (const w of wallets) {
      const walletId = Number(w.id);
      let examined: Map<string, Comparison | null>;
      try {
        examined = await examineWallet(walletId, w.address, w.mode, nowMs);
      } catch (e) {
        out.failedWallets.push(walletId);
        logger.warn({ walletId, err: (e as Error).message }, "reconcile: wallet skipped");
        continue;
      }
      out.wallets++;
      out.receivers += examined.size;
      for (const [receiver, compared] of examined) {
        if (compared === null) continue; // in flight: judged next run
        const { findings, ownersOwnSun } = compared;
        if (ownersOwnSun > 0n)
          out.ownersOwn.push({ walletId, address: w.address, receiver, sun: ownersOwnSun.toString() });
        const seen = new Set(findings.map((f) => f.kind));
        for (const f of findings) {
          await upsertFinding(f);
          const a = await raiseAlert(alertOf(f, w.address));
          if (a.occurrences === 1) out.raised.push(a.dedupeKey);
        }
        const stale = await db
          .select()
          .from(chainDrift)
          .where(
            and(
              eq(chainDrift.status, "open"),
              eq(chainDrift.supplierWalletId, walletId),
              eq(chainDrift.receiverAddress, receiver),
            ),
          );
        for (const s of stale) {
          if (seen.has(s.kind)) continue;
          await db
            .update(chainDrift)
            .set({ status: "resolved", resolvedAt: new Date() })
            .where(eq(chainDrift.id, s.id));
          const key = `drift:${s.kind}:${walletId}:${receiver}`;
          await resolveAlert(key);
          out.resolved.push(key);
        }
      }
    }
    const open = await db.select().from(chainDrift).where(eq(chainDrift.status, "open"));
    out.open = open.length;
    for (const f of open) {
      if (f.kind !== "orphan" && f.kind !== "unreclaimed") continue;
      // seen in two runs in a row (not a delegation racing the database), lock over, not already sent
      if (!f.reclaimTxid && f.unlockedSun > 0n && f.runs >= 2) out.reclaimable.push(f.id);
    }
    out.inFlight = await driftReclaimsInFlight();
    await db
      .update(reconcileRuns)
      .set({
        finishedAt: new Date(),
        wallets: out.wallets,
        receivers: out.receivers,
        open: out.open,
        raised: out.raised.length,
        resolved: out.resolved.length,
        error: out.failedWallets.length ? `wallets not read: ${out.failedWallets.join(", ")}` : null,
        ownersOwn: out.ownersOwn,
      })
      .where(eq(reconcileRuns.id, run.id));
    return out;
  } catch (e) {
    await db
      .update(reconcileRuns)
      .set({ finishedAt: new Date(), error: (e as Error).message.slice(0, 500) })
      .where(eq(reconcileRuns.id, run.id));
    throw e;
  }
}

/** Every receiver of one wallet, on chain or in the database, compared. */
async function examineWallet(
  walletId: number,
  address: string,
  mode: "key" | "permission",
  nowMs: number,
): Promise<Map<string, Comparison | null>> {
  const client = tron();
  const db = await getDb();
  const since = new Date(nowMs - RECLAIMED_LOOKBACK_DAYS * 86_400_000);
  const [index, rows] = await Promise.all([
    client.getDelegatedResourceAccountIndexV2(address),
    db
      .select({
        id: delegations.id,
        receiver: delegations.receiverAddress,
        status: delegations.status,
        sun: delegations.sun,
        expiresAt: delegations.expiresAt,
        reclaimTxid: delegations.reclaimTxid,
        reclaimedAt: delegations.reclaimedAt,
      })
      .from(delegations)
      .where(
        and(
          eq(delegations.supplierWalletId, walletId),
          sql`(${delegations.status} in ('planned', 'signed', 'broadcast', 'confirmed', 'reclaiming')
            or (${delegations.status} = 'reclaimed' and ${delegations.reclaimedAt} >= ${since.toISOString()}::timestamptz))`,
        ),
      ),
  ]);
  const byReceiver = new Map<string, DbPart[]>();
  for (const r of rows) {
    const list = byReceiver.get(r.receiver) ?? [];
    list.push(r);
    byReceiver.set(r.receiver, list);
  }
  // receivers the chain lists, and those our open delegations name (a missing one is not listed)
  const receivers = new Set(index.toAccounts);
  for (const [receiver, parts] of byReceiver)
    if (parts.some((d) => d.status !== "reclaimed")) receivers.add(receiver);
  // an open finding is re-checked even when neither side lists the receiver any more
  const openRows = await db
    .select({ receiver: chainDrift.receiverAddress })
    .from(chainDrift)
    .where(and(eq(chainDrift.status, "open"), eq(chainDrift.supplierWalletId, walletId)));
  for (const o of openRows) receivers.add(o.receiver);
  const result = new Map<string, Comparison | null>();
  for (const receiver of receivers) {
    const records = await client.getDelegatedResourceV2(address, receiver);
    result.set(
      receiver,
      comparePair({
        walletId,
        receiver,
        nowMs,
        mode,
        chain: records.map((r) => ({ energySun: r.energySun, energyExpireAt: r.energyExpireAt })),
        parts: byReceiver.get(receiver) ?? [],
      }),
    );
  }
  return result;
}

async function upsertFinding(f: Finding): Promise<void> {
  const db = await getDb();
  const values = {
    chainSun: f.chainSun,
    expectedSun: f.expectedSun,
    unlockedSun: f.unlockedSun,
    chainLockEndsAt: f.chainLockEndsAt,
    expectedLockEndsAt: f.expectedLockEndsAt,
    delegationIds: f.delegationIds,
    details: f.details,
  };
  await db
    .insert(chainDrift)
    .values({ kind: f.kind, supplierWalletId: f.walletId, receiverAddress: f.receiver, ...values })
    .onConflictDoUpdate({
      target: [chainDrift.kind, chainDrift.supplierWalletId, chainDrift.receiverAddress],
      targetWhere: sql`status = 'open'`,
      set: { ...values, runs: sql`${chainDrift.runs} + 1`, lastSeenAt: new Date() },
    });
}

// ------------------------------------------------------------------------------------ reads

export type DriftRow = ChainDrift & { walletAddress: string; walletLabel: string | null };

/** For the console: open findings first, then the latest resolved ones; and the last runs. */
export async function listDrift(opts: { resolvedLimit?: number; runs?: number } = {}): Promise<{
  open: DriftRow[];
  resolved: DriftRow[];
  runs: ReconcileRun[];
}> {
  const db = await getDb();
  const cols = {
    drift: chainDrift,
    walletAddress: supplierWallets.address,
    walletLabel: supplierWallets.label,
  };
  const [open, resolved, runs] = await Promise.all([
    db
      .select(cols)
      .from(chainDrift)
      .innerJoin(supplierWallets, eq(supplierWallets.id, chainDrift.supplierWalletId))
      .where(eq(chainDrift.status, "open"))
      .orderBy(desc(chainDrift.lastSeenAt)),
    db
      .select(cols)
      .from(chainDrift)
      .innerJoin(supplierWallets, eq(supplierWallets.id, chainDrift.supplierWalletId))
      .where(and(eq(chainDrift.status, "resolved"), isNotNull(chainDrift.resolvedAt)))
      .orderBy(desc(chainDrift.resolvedAt))
      .limit(opts.resolvedLimit ?? 20),
    db
      .select()
      .from(reconcileRuns)
      .orderBy(desc(reconcileRuns.id))
      .limit(opts.runs ?? 5),
  ]);
  const flat = (r: (typeof open)[number]): DriftRow => ({
    ...r.drift,
    walletAddress: r.walletAddress,
    walletLabel: r.walletLabel,
  });
  return { open: open.map(flat), resolved: resolved.map(flat), runs };
}
