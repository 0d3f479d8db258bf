import { type SQL, sql } from "drizzle-orm";
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

/** Which wallets an order is planned on first (settings `suppliers.selection`, docs/suppliers.md). */
export type SelectionRule = "own_first" | "suppliers_first" | "cheapest";

/** What planning needs of the order to decide which suppliers' wallets may serve it. */
export type OrderTerms = { priceSun: bigint; energy: bigint; durationSeconds: number; needEnergy: bigint };

/**
 * An order's price meets a supplier's minimum (sun per energy per day of rental) when
 * price × 86,400 ≥ min × energy × duration seconds: exact, in integers, no rounding.
 */
export function priceMeetsMinimum(
  o: Pick<OrderTerms, "priceSun" | "energy" | "durationSeconds">,
  minSunPerEnergyDay: bigint,
): boolean {
  return o.priceSun * 86_400n >= minSunPerEnergyDay * o.energy * BigInt(o.durationSeconds);
}

/**
 * Whether a supplier's wallet may serve an order on these terms: the supplier is available, has a
 * profile (a minimum price) and the order's price meets it. A price is a rate per energy, so the
 * answer is the same for any amount at that rate.
 */
export function supplierServes<T extends { available: boolean; minPrice: bigint | null }>(
  i: T,
  order: Pick<OrderTerms, "priceSun" | "energy" | "durationSeconds">,
): i is T & { minPrice: bigint } {
  return i.available && i.minPrice !== null && priceMeetsMinimum(order, i.minPrice);
}

/**
 * A capped supplier's room for an order: the stake for the cap's energy left, at the order's own
 * rate of stake per energy (`needSun` for `needEnergy`), so the energy planned on it never passes the
 * cap. 0 when the cap is reached.
 */
export function capRoomSun(leftEnergy: bigint, needSun: bigint, needEnergy: bigint): bigint {
  if (leftEnergy <= 0n || needEnergy <= 0n) return 0n;
  return (leftEnergy * needSun) / needEnergy;
}

/**
 * SQL: the energy of supplier `userId`'s delegations planned, in flight or out — what their energy
 * cap counts.
 */
export function supplierOutEnergySql(userId: SQL) {
  return sql`(select coalesce(sum(d.energy), 0) from delegations d
    join supplier_wallets w2 on w2.id = d.supplier_wallet_id
    where w2.supplier_user_id = ${userId}
      and d.status in ('planned', 'signed', 'broadcast', 'confirmed', 'reclaiming'))`;
}

type SupplierInfo = {
  id: number;
  supplierUserId: number | null;
  minPrice: bigint | null;
  available: boolean;
  energyCap: bigint | null;
  outEnergy: bigint;
};

async function supplierInfo(tx: Tx, ids: number[]): Promise<Map<number, SupplierInfo>> {
  const rows = rowsOf<Record<string, string | number | boolean | null>>(
    await tx.execute(sql`
      select w.id, w.supplier_user_id, p.min_price_sun_per_energy_day as min_price, coalesce(p.available, false) as available,
        p.energy_cap,
        case when w.supplier_user_id is null then 0 else ${supplierOutEnergySql(sql`w.supplier_user_id`)} end as out_energy
      from supplier_wallets w left join supplier_profiles p on p.user_id = w.supplier_user_id
      where w.id in (${sql.join(
        ids.map((i) => sql`${i}`),
        sql`, `,
      )})`),
  );
  return new Map(
    rows.map((r) => [
      Number(r.id),
      {
        id: Number(r.id),
        supplierUserId: r.supplier_user_id == null ? null : Number(r.supplier_user_id),
        minPrice: r.min_price == null ? null : BigInt(r.min_price as string),
        available: r.available === true,
        energyCap: r.energy_cap == null ? null : BigInt(r.energy_cap as string),
        outEnergy: BigInt((r.out_energy ?? 0) as string | number),
      },
    ]),
  );
}

/**
 * The candidate sets to try in turn, by the rule: each a superset of the one before, so the first
 * that can cover the order wins (best fit or split within it). Supplier wallets never appear for an
 * order below their owner's minimum, while the owner is unavailable, or past their energy cap; a
 * supplier with a cap keeps one wallet in the running (the one with most room), its free stake
 * limited to the cap's energy left.
 */
export function candidateTiers(
  cands: Candidate[],
  info: Map<number, SupplierInfo>,
  rule: SelectionRule,
  order: OrderTerms | undefined,
  needSun: bigint,
): Candidate[][] {
  const own: Candidate[] = [];
  const bySupplier = new Map<number, { c: Candidate; min: bigint }[]>();
  for (const c of cands) {
    const i = info.get(c.id);
    if (!i || i.supplierUserId === null) {
      own.push(c);
      continue;
    }
    if (!order || !supplierServes(i, order)) continue;
    let freeSun = c.freeSun;
    if (i.energyCap !== null) {
      const capSun = capRoomSun(i.energyCap - i.outEnergy, needSun, order.needEnergy);
      if (capSun <= 0n) continue;
      if (capSun < freeSun) freeSun = capSun;
    }
    const list = bySupplier.get(i.supplierUserId) ?? [];
    list.push({ c: { ...c, freeSun }, min: i.minPrice });
    bySupplier.set(i.supplierUserId, list);
  }
  const suppliers: { c: Candidate; min: bigint }[] = [];
  for (const [userId, list] of bySupplier) {
    if (info.get(list[0].c.id)?.energyCap != null && userId) {
      const best = list.reduce((a, b) => (b.c.freeSun > a.c.freeSun ? b : a));
      suppliers.push(best);
    } else suppliers.push(...list);
  }
  const all = [...own, ...suppliers.map((s) => s.c)];
  if (rule === "suppliers_first") return [suppliers.map((s) => s.c), all];
  if (rule === "own_first") return [own, all];
  const mins = [...new Set(suppliers.map((s) => s.min))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return [own, ...mins.map((m) => [...own, ...suppliers.filter((s) => s.min <= m).map((s) => s.c)])];
}

/**
 * Locks the usable enabled wallets (FOR UPDATE, in id order; permission-mode ones only while their
 * grant holds and the owner's daily caps leave room, lib/pool/permission), reads their free capacity after
 * reservations, and selects wallets for `needSun`. With `receiver`, a wallet that still holds a
 * locked delegation to that receiver is never chosen (see walletsLockedToReceiver). Suppliers'
 * wallets are considered only with `order` (their minimum price is checked against it), in the
 * order `rule` sets (candidateTiers). Call inside the transaction that inserts the delegation rows,
 * so the reservation and the choice commit together.
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
    order?: OrderTerms;
    rule?: SelectionRule;
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
  const cands = ws.map((w) => ({ id: w.id, freeSun: w.freeSun, priority: w.priority }));
  const info = await supplierInfo(tx, ids);
  for (const tier of candidateTiers(cands, info, p.rule ?? "own_first", p.order, p.needSun)) {
    const plan = selectWallets(tier, p.needSun);
    if (plan) return plan;
  }
  return null;
}
