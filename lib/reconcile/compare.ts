import type { DriftKind } from "@/db/schema";
import { formatTrx } from "@/lib/money";

/**
 * The comparison itself, free of I/O: one supplier wallet and receiver, the chain's delegation
 * records against the database's delegations, and the findings (orphan, missing, unreclaimed,
 * lock_mismatch) with the alert each raises.
 */

/** Delegation statuses whose stake is out on chain, or may be any moment. */
const OUT = ["confirmed", "reclaiming"] as const;
const IN_FLIGHT = ["planned", "signed", "broadcast"] as const;
/** A DB "reclaimed" this recent that is still on chain is an undelegation that never happened. */
export const RECLAIMED_LOOKBACK_DAYS = 30;
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

export type DbPart = {
  id: number;
  receiver: string;
  status: string;
  sun: bigint;
  expiresAt: Date | null;
  reclaimTxid: string | null;
  reclaimedAt: Date | null;
};

/**
 * What one wallet and receiver came to: the findings to report, and on a permission-mode wallet the
 * stake its owner delegates there themselves (`ownersOwnSun`: information, not a problem).
 */
export type Comparison = { findings: Finding[]; ownersOwnSun: bigint };

/**
 * Compares one wallet and receiver; null = work in flight, not judged this run. On a
 * permission-mode wallet (`mode`), stake on chain that no order explains is the owner's own
 * delegation — they hold the key and may lend their energy as they like, and the platform never
 * undelegates it — so it is not an orphan: it comes back as `ownersOwnSun`. Every other finding
 * (missing, unreclaimed, lock_mismatch) is reported as for a key-mode wallet.
 */
export function comparePair(p: {
  walletId: number;
  receiver: string;
  nowMs: number;
  mode: "key" | "permission";
  chain: { energySun: bigint; energyExpireAt: number | null }[];
  parts: DbPart[];
}): Comparison | null {
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
  let ownersOwnSun = 0n;
  if (chainSun > expectedSun) {
    const excess = chainSun - expectedSun;
    const since = p.nowMs - RECLAIMED_LOOKBACK_DAYS * 86_400_000;
    const reclaimed = parts.filter(
      (d) => d.status === "reclaimed" && d.reclaimedAt && d.reclaimedAt.getTime() >= since,
    );
    const reclaimedSun = reclaimed.reduce((a, d) => a + d.sun, 0n);
    const free = unlockedSun - ourUnlocked;
    const kind = reclaimed.length > 0 && reclaimedSun >= excess ? "unreclaimed" : "orphan";
    if (kind === "orphan" && p.mode === "permission") ownersOwnSun = excess;
    else
      findings.push({
        ...base,
        kind,
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
  return { findings, ownersOwnSun };
}

export function alertOf(
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
