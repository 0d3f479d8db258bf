import { and, desc, eq, inArray, isNotNull, sql } from "drizzle-orm";
import { getDb, rowsOf } from "@/db";
import {
  type ChainDrift,
  chainDrift,
  type DriftKind,
  delegations,
  type ReconcileRun,
  reconcileRuns,
  supplierWallets,
} from "@/db/schema";
import { raiseAlert, resolveAlert } from "@/lib/alerts";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/log";
import { formatTrx } from "@/lib/money";
import { walletSigner } from "@/lib/pool";
import { chainNow } from "@/lib/pool/chain";
import { tron } from "@/lib/tron/client";
import { isChainError } from "@/lib/tron/errors";
import {
  broadcast,
  buildUndelegateEnergy,
  type SignedTransactionJson,
  txStatus,
  txTimesOf,
} from "@/lib/tron/tx";

/**
 * Reconciliation with the chain: per supplier wallet, the energy it delegates to each receiver
 * on chain (getdelegatedresourceaccountindexv2 + getdelegatedresourcev2) against what the
 * database's delegations explain. Each drift is stored (chain_drift, one open row per kind, wallet
 * and receiver), raised as a `chain_drift` alert and resolved when it clears. Stake that no order
 * explains and whose lock has ended is undelegated (signed and stored before broadcast), once it
 * has been seen in two runs in a row. Pairs with work in flight (a delegation being sent, a reclaim
 * broadcast) are left for the next run.
 */

/** Delegation statuses whose stake is out on chain, or may be any moment. */
const OUT = ["confirmed", "reclaiming"] as const;
const IN_FLIGHT = ["planned", "signed", "broadcast"] as const;
/** A DB "reclaimed" this recent that is still on chain is an undelegation that never happened. */
const RECLAIMED_LOOKBACK_DAYS = 30;
/** The chain's lock may end up to one block later than recorded (the parent block's time). */
const LOCK_TOLERANCE_MS = 3_000;

export type Finding = {
  kind: DriftKind;
  walletId: number;
  receiver: string;
  chainSun: bigint;
  expectedSun: bigint;
  unlockedSun: bigint;
  chainLockEndsAt: Date | null;
  expectedLockEndsAt: Date | null;
  delegationIds: number[];
  details: Record<string, unknown>;
};

type DbPart = {
  id: number;
  receiver: string;
  status: string;
  sun: bigint;
  expiresAt: Date | null;
  reclaimTxid: string | null;
  reclaimedAt: Date | null;
};

/** Compares one wallet and receiver; null = work in flight, not judged this run. */
export function comparePair(p: {
  walletId: number;
  receiver: string;
  nowMs: number;
  chain: { energySun: bigint; energyExpireAt: number | null }[];
  parts: DbPart[];
}): Finding[] | null {
  const { parts } = p;
  if (parts.some((d) => (IN_FLIGHT as readonly string[]).includes(d.status))) return null;
  if (parts.some((d) => d.status === "reclaiming" && d.reclaimTxid)) return null;
  const out = parts.filter((d) => (OUT as readonly string[]).includes(d.status));
  const expectedSun = out.reduce((a, d) => a + d.sun, 0n);
  let chainSun = 0n;
  let unlockedSun = 0n;
  let lockEnd: number | null = null;
  for (const r of p.chain) {
    if (r.energySun <= 0n) continue;
    chainSun += r.energySun;
    if (r.energyExpireAt === null || r.energyExpireAt < p.nowMs) unlockedSun += r.energySun;
    else lockEnd = Math.max(lockEnd ?? 0, r.energyExpireAt);
  }
  const ourLockEnd = out
    .map((d) => d.expiresAt?.getTime() ?? 0)
    .filter((t) => t >= p.nowMs)
    .reduce<number | null>((m, t) => (m === null || t > m ? t : m), null);
  // our own delivered stake whose lock is over is unlockable too: only the rest is free to take back
  const ourUnlocked = out
    .filter((d) => !d.expiresAt || d.expiresAt.getTime() < p.nowMs)
    .reduce((a, d) => a + d.sun, 0n);
  const base = {
    walletId: p.walletId,
    receiver: p.receiver,
    chainSun,
    expectedSun,
    chainLockEndsAt: lockEnd === null ? null : new Date(lockEnd),
    expectedLockEndsAt: ourLockEnd === null ? null : new Date(ourLockEnd),
  };
  const findings: Finding[] = [];
  if (chainSun > expectedSun) {
    const excess = chainSun - expectedSun;
    const since = p.nowMs - RECLAIMED_LOOKBACK_DAYS * 86_400_000;
    const reclaimed = parts.filter(
      (d) => d.status === "reclaimed" && d.reclaimedAt && d.reclaimedAt.getTime() >= since,
    );
    const reclaimedSun = reclaimed.reduce((a, d) => a + d.sun, 0n);
    const free = unlockedSun - ourUnlocked;
    findings.push({
      ...base,
      kind: reclaimed.length > 0 && reclaimedSun >= excess ? "unreclaimed" : "orphan",
      unlockedSun: free <= 0n ? 0n : free < excess ? free : excess,
      delegationIds: (reclaimed.length ? reclaimed : out).map((d) => d.id),
      details: { excessSun: excess.toString(), reclaimedSun: reclaimedSun.toString() },
    });
  } else if (chainSun < expectedSun) {
    findings.push({
      ...base,
      kind: "missing",
      unlockedSun: 0n,
      delegationIds: out.map((d) => d.id),
      details: { missingSun: (expectedSun - chainSun).toString() },
    });
  }
  if (lockEnd !== null && ourLockEnd !== null && lockEnd > ourLockEnd + LOCK_TOLERANCE_MS) {
    findings.push({
      ...base,
      kind: "lock_mismatch",
      unlockedSun: 0n,
      delegationIds: out.map((d) => d.id),
      details: { lateByMs: lockEnd - ourLockEnd },
    });
  }
  return findings;
}

function alertOf(
  f: Pick<Finding, "kind" | "walletId" | "receiver" | "chainSun" | "expectedSun">,
  wallet: string,
) {
  const diff = f.chainSun > f.expectedSun ? f.chainSun - f.expectedSun : f.expectedSun - f.chainSun;
  const text: Record<DriftKind, string> = {
    orphan: `Wallet ${wallet} delegates ${formatTrx(diff)} of energy stake to ${f.receiver} that no order explains.`,
    missing: `Orders expect ${formatTrx(f.expectedSun)} delegated from ${wallet} to ${f.receiver}, the chain has ${formatTrx(f.chainSun)}: a customer is not getting paid-for energy.`,
    unreclaimed: `Delegation from ${wallet} to ${f.receiver} is marked reclaimed but ${formatTrx(diff)} is still on chain.`,
    lock_mismatch: `The chain locks ${wallet} → ${f.receiver} longer than its orders do (locks merged): it cannot be reclaimed on time.`,
  };
  return {
    rule: "chain_drift",
    dedupeKey: `drift:${f.kind}:${f.walletId}:${f.receiver}`,
    severity: (f.kind === "missing" ? "critical" : "warning") as "critical" | "warning",
    message: `Chain drift (${f.kind}): ${text[f.kind]}`,
    details: {
      kind: f.kind,
      walletId: f.walletId,
      receiver: f.receiver,
      chainSun: f.chainSun.toString(),
      expectedSun: f.expectedSun.toString(),
    },
  };
}

export type ReconcileResult = {
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
  };
  try {
    const wallets = rowsOf<{ id: number | string; address: string }>(
      await db.execute(sql`select w.id, w.address from supplier_wallets w
        where w.removed_at is null
          or exists (select 1 from delegations d where d.supplier_wallet_id = w.id
            and d.status in ('planned', 'signed', 'broadcast', 'confirmed', 'reclaiming'))
        order by w.id`),
    );
    const nowMs = await chainNow();
    for (const w of wallets) {
      const walletId = Number(w.id);
      let examined: Map<string, Finding[] | null>;
      try {
        examined = await examineWallet(walletId, w.address, nowMs);
      } catch (e) {
        out.failedWallets.push(walletId);
        logger.warn({ walletId, err: (e as Error).message }, "reconcile: wallet skipped");
        continue;
      }
      out.wallets++;
      out.receivers += examined.size;
      for (const [receiver, findings] of examined) {
        if (findings === null) continue; // in flight: judged next run
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
  nowMs: number,
): Promise<Map<string, Finding[] | null>> {
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
  const result = new Map<string, Finding[] | null>();
  for (const receiver of receivers) {
    const records = await client.getDelegatedResourceV2(address, receiver);
    result.set(
      receiver,
      comparePair({
        walletId,
        receiver,
        nowMs,
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

// ------------------------------------------------------------------------------ reclaiming orphans

async function loadFinding(id: number): Promise<ChainDrift> {
  const db = await getDb();
  const [f] = await db.select().from(chainDrift).where(eq(chainDrift.id, id));
  if (!f) throw new AppError("not_found", `Drift finding ${id} not found.`);
  return f;
}

/**
 * Signs the undelegate of an orphan's unlocked stake and stores it (before any broadcast). Returns
 * the stored txid, or null when there is nothing to do (resolved, already signed elsewhere, no key).
 */
export async function signDriftReclaim(id: number): Promise<{ txid: string | null }> {
  const f = await loadFinding(id);
  if (f.status !== "open" || (f.kind !== "orphan" && f.kind !== "unreclaimed")) return { txid: null };
  if (f.reclaimTxid) return { txid: f.reclaimTxid };
  if (f.unlockedSun <= 0n) return { txid: null };
  const db = await getDb();
  let w: { address: string; encryptedKey: string };
  try {
    w = await walletSigner(f.supplierWalletId);
  } catch {
    await db.update(chainDrift).set({ reclaimError: "the wallet has no key" }).where(eq(chainDrift.id, id));
    return { txid: null };
  }
  const signed = await buildUndelegateEnergy(
    tron(),
    { owner: w.address, receiver: f.receiverAddress, sun: f.unlockedSun },
    { encryptedKey: w.encryptedKey },
  );
  const rows = await db
    .update(chainDrift)
    .set({
      reclaimSun: f.unlockedSun,
      reclaimSignedTx: signed.signedTx,
      reclaimTxid: signed.txid,
      reclaimTxExpiresAt: new Date(signed.expiration),
      reclaimError: null,
    })
    .where(and(eq(chainDrift.id, id), sql`${chainDrift.reclaimTxid} is null`))
    .returning({ id: chainDrift.id });
  if (!rows.length) return { txid: (await loadFinding(id)).reclaimTxid };
  return { txid: signed.txid };
}

async function clearDriftTx(f: ChainDrift, why: string): Promise<void> {
  const db = await getDb();
  await db
    .update(chainDrift)
    .set({
      reclaimSignedTx: null,
      reclaimTxid: null,
      reclaimTxExpiresAt: null,
      reclaimError: why.slice(0, 500),
    })
    .where(and(eq(chainDrift.id, f.id), eq(chainDrift.reclaimTxid, f.reclaimTxid!)));
}

/** Broadcasts the stored undelegate (a duplicate is fine; a refusal clears it for the next run). */
export async function broadcastDriftReclaim(id: number): Promise<{ state: "sent" | "cleared" | "none" }> {
  const f = await loadFinding(id);
  if (!f.reclaimTxid || !f.reclaimSignedTx) return { state: "none" };
  try {
    await broadcast(tron(), f.reclaimSignedTx as SignedTransactionJson);
    return { state: "sent" };
  } catch (e) {
    if (isChainError(e, "expired") || isChainError(e, "tapos")) return { state: "sent" }; // confirmed by txStatus
    if (isChainError(e)) {
      await clearDriftTx(f, `${e.kind}: ${e.chainMessage}`);
      return { state: "cleared" };
    }
    throw e;
  }
}

/** Where a stored orphan undelegate stands: in a block → recorded; provably expired/failed → cleared. */
export async function checkDriftReclaim(
  id: number,
): Promise<{ state: "done" | "pending" | "cleared" | "none" }> {
  const f = await loadFinding(id);
  if (!f.reclaimTxid) return { state: "none" };
  if (f.reclaimedAt) return { state: "done" };
  const st = await txStatus(tron(), f.reclaimTxid, {
    ...txTimesOf(f.reclaimSignedTx),
    expiration: f.reclaimTxExpiresAt?.getTime(),
  });
  const db = await getDb();
  if ((st.status === "included" || st.status === "solidified") && st.info) {
    await db
      .update(chainDrift)
      .set({ reclaimedAt: new Date(), reclaimFeeSun: st.info.fee })
      .where(eq(chainDrift.id, id));
    return { state: "done" };
  }
  if (st.status === "failed" || st.expired) {
    await clearDriftTx(f, st.expired ? "undelegate expired before inclusion" : `failed: ${st.receiptResult}`);
    return { state: "cleared" };
  }
  return { state: "pending" };
}

/** Findings (open or resolved meanwhile) whose undelegate is signed and not yet seen in a block. */
export async function driftReclaimsInFlight(): Promise<number[]> {
  const db = await getDb();
  const rows = await db
    .select({ id: chainDrift.id })
    .from(chainDrift)
    .where(and(isNotNull(chainDrift.reclaimTxid), sql`${chainDrift.reclaimedAt} is null`))
    .orderBy(chainDrift.id)
    .limit(500);
  return rows.map((r) => r.id);
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

/** Findings by id (tests, console). */
export async function driftByIds(ids: number[]): Promise<ChainDrift[]> {
  if (!ids.length) return [];
  const db = await getDb();
  return db.select().from(chainDrift).where(inArray(chainDrift.id, ids));
}
