import { sql } from "drizzle-orm";
import { type Executor, rowsOf, type Tx } from "@/db";
import { MIN_DELEGATE_SUN, SUN_PER_TRX } from "@/lib/tron/resources";
import { usableWalletSql } from "./permission";
import { walletRows } from "./read";

/** Choosing wallets for an order: best fit or a split, never one still locked to the receiver. */

type Candidate = { id: number; freeSun: bigint; priority: number };
type PlannedPart = { walletId: number; sun: bigint };

/**
 * Best fit: among candidates with free ≥ need, the one with the smallest free (ties: higher
 * priority, then lower id). Otherwise split greedily, largest free first, in whole TRX parts of at
 * least 1 TRX. `null` when the pool cannot cover `needSun` at all.
 */
export function selectWallets(candidates: Candidate[], needSun: bigint): PlannedPart[] | null {
  if (needSun <= 0n) return [];
  const usable = candidates
    .map((c) => ({ ...c, freeSun: (c.freeSun / SUN_PER_TRX) * SUN_PER_TRX }))
    .filter((c) => c.freeSun >= MIN_DELEGATE_SUN);
  const fits = usable
    .filter((c) => c.freeSun >= needSun)
    .sort((a, b) =>
      a.freeSun !== b.freeSun ? (a.freeSun < b.freeSun ? -1 : 1) : b.priority - a.priority || a.id - b.id,
    );
  if (fits.length) return [{ walletId: fits[0].id, sun: needSun }];
  const total = usable.reduce((a, c) => a + c.freeSun, 0n);
  if (total < needSun) return null;
  const byLargest = [...usable].sort((a, b) =>
    a.freeSun !== b.freeSun ? (a.freeSun > b.freeSun ? -1 : 1) : b.priority - a.priority || a.id - b.id,
  );
  const parts: PlannedPart[] = [];
  let left = needSun;
  for (const c of byLargest) {
    if (left <= 0n) break;
    let take = c.freeSun < left ? c.freeSun : left;
    // Never leave a remainder below the 1 TRX minimum for the next part.
    if (left - take > 0n && left - take < MIN_DELEGATE_SUN) take -= MIN_DELEGATE_SUN;
    if (take < MIN_DELEGATE_SUN) continue;
    parts.push({ walletId: c.id, sun: take });
    left -= take;
  }
  return left === 0n ? parts : null;
}

/**
 * Wallets whose delegation to `receiver` is still locked (or may be: planned, signed, broadcast,
 * or delivered with its lock not yet over at chain time `nowMs`). java-tron keeps ONE locked
 * delegated-resource record per (owner, receiver): a new locked delegation moves the expiry of the
 * whole locked amount (a 1 h order followed by a 3 d one keeps both for 3 d), and one shorter than
 * the time left is refused. A lock is over only when expire < now (java-tron's comparison).
 */
export async function walletsLockedToReceiver(
  ex: Executor,
  receiver: string,
  nowMs: number,
): Promise<number[]> {
  const rows = rowsOf<{ id: number | string }>(
    await ex.execute(sql`
      select distinct supplier_wallet_id as id from delegations
      where receiver_address = ${receiver}
        and (status in ('planned', 'signed', 'broadcast')
          or (status in ('confirmed', 'reclaiming')
            and (expires_at is null or expires_at >= ${new Date(nowMs).toISOString()}::timestamptz)))`),
  );
  return rows.map((r) => Number(r.id));
}

/**
 * Locks the usable enabled wallets (FOR UPDATE, in id order; permission-mode ones only while their
 * grant holds and the owner's daily caps leave room, lib/pool/permission), reads their free capacity after
 * reservations, and selects wallets for `needSun`. With `receiver`, a wallet that still holds a
 * locked delegation to that receiver is never chosen (see walletsLockedToReceiver). Call inside
 * the transaction that inserts the delegation rows, so the reservation and the choice commit together.
 */
export async function planDelegation(
  tx: Tx,
  p: {
    needSun: bigint;
    excludeWalletIds?: number[];
    receiver?: string;
    nowMs?: number;
    /** getTransactionFee (sun per byte), for permission-mode wallets' daily TRX caps. */
    sunPerByte?: bigint;
  },
): Promise<PlannedPart[] | null> {
  const exclude = [...(p.excludeWalletIds ?? [])];
  const nowMs = p.nowMs ?? Date.now();
  // key-mode wallets, and permission-mode ones whose grant holds and whose owner's caps leave room
  const locked = rowsOf<{ id: number | string }>(
    await tx.execute(sql`select w.id from supplier_wallets w
      where w.status = 'enabled' and ${usableWalletSql(nowMs, p.sunPerByte ?? 1000n)}
      order by w.id for update of w`),
  );
  if (p.receiver) exclude.push(...(await walletsLockedToReceiver(tx, p.receiver, nowMs)));
  const ids = locked.map((w) => Number(w.id)).filter((id) => !exclude.includes(id));
  if (ids.length === 0) return null;
  const ws = await walletRows(
    tx,
    sql`w.id in (${sql.join(
      ids.map((i) => sql`${i}`),
      sql`, `,
    )})`,
  );
  return selectWallets(
    ws.map((w) => ({ id: w.id, freeSun: w.freeSun, priority: w.priority })),
    p.needSun,
  );
}
