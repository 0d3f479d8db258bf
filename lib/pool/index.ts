import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { type Executor, getDb, rowsOf, type Tx } from "@/db";
import { delegations, type SupplierWallet, supplierWallets } from "@/db/schema";
import { raiseAlert, resolveAlert } from "@/lib/alerts";
import { writeAudit } from "@/lib/audit";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/log";
import { formatTrx } from "@/lib/money";
import { getSettings } from "@/lib/settings";
import { sealNewSupplierKey } from "@/lib/tron/keys";
import { energyForSun, MIN_DELEGATE_SUN, SUN_PER_TRX } from "@/lib/tron/resources";
import { tron } from "@/lib/tron/client";

export { chainNow } from "./chain";

/**
 * The supplier pool: wallets whose staked-for-energy TRX we delegate. Capacity comes from the chain
 * (`delegatable_sun` = getcandelegatedmaxsize at the last refresh) minus the in-flight reservations
 * recorded in `delegations`, computed under a row lock on the wallets so two concurrent plans never
 * book the same sun.
 */

/** A wallet as shown to operators: never the key. */
export type PoolWallet = Omit<SupplierWallet, "encryptedKey"> & { freeSun: bigint; reservedSun: bigint };

/** Delegation statuses that hold capacity not yet visible in a refreshed `delegatable_sun`. */
export const RESERVING_STATUSES = ["planned", "signed", "broadcast"] as const;

const importSchema = z.object({
  address: z.string().min(1),
  privateKey: z.string().min(1),
  label: z.string().trim().max(100).optional(),
  priority: z.number().int().min(-1000).max(1000).optional(),
});

/** Imports a wallet: the key is verified against the address and stored encrypted. Refreshes it. */
export async function importWallet(
  input: { address: string; privateKey: string; label?: string; priority?: number },
  actor: { adminId?: number | null } = {},
): Promise<PoolWallet> {
  const p = importSchema.safeParse(input);
  if (!p.success) throw new AppError("bad_request", "Address and private key are required.");
  const { address, ciphertext, keyId } = await sealNewSupplierKey(p.data.address, p.data.privateKey);
  const db = await getDb();
  const [existing] = await db.select().from(supplierWallets).where(eq(supplierWallets.address, address));
  let id: number;
  if (existing) {
    await db
      .update(supplierWallets)
      .set({
        encryptedKey: ciphertext,
        keyId,
        mode: "key",
        removedAt: null,
        ...(p.data.label !== undefined ? { label: p.data.label } : {}),
        ...(p.data.priority !== undefined ? { priority: p.data.priority } : {}),
      })
      .where(eq(supplierWallets.id, existing.id));
    id = existing.id;
  } else {
    const [row] = await db
      .insert(supplierWallets)
      .values({
        address,
        label: p.data.label ?? null,
        priority: p.data.priority ?? 0,
        mode: "key",
        encryptedKey: ciphertext,
        keyId,
      })
      .returning({ id: supplierWallets.id });
    id = row.id;
  }
  await writeAudit(db, {
    adminId: actor.adminId ?? null,
    action: existing ? "pool.wallet.rekey" : "pool.wallet.import",
    targetType: "supplier_wallet",
    targetId: String(id),
    after: { address, label: p.data.label ?? null, priority: p.data.priority ?? 0 },
  });
  try {
    await refreshWallet(id);
  } catch (e) {
    logger.warn({ walletId: id, err: (e as Error).message }, "wallet imported but refresh failed");
  }
  return getWallet(id);
}

export async function setWalletStatus(
  id: number,
  status: "enabled" | "disabled",
  actor: { adminId?: number | null } = {},
): Promise<PoolWallet> {
  z.enum(["enabled", "disabled"]).parse(status);
  const db = await getDb();
  const rows = await db
    .update(supplierWallets)
    .set({ status })
    .where(and(eq(supplierWallets.id, id), sql`${supplierWallets.removedAt} is null`))
    .returning({ id: supplierWallets.id });
  if (!rows.length) {
    const [w] = await db
      .select({ id: supplierWallets.id })
      .from(supplierWallets)
      .where(eq(supplierWallets.id, id));
    if (w) throw new AppError("invalid_state", "This wallet was removed: import its key again to use it.");
    throw new AppError("not_found", "Wallet not found.");
  }
  await writeAudit(db, {
    adminId: actor.adminId ?? null,
    action: "pool.wallet.status",
    targetType: "supplier_wallet",
    targetId: String(id),
    after: { status },
  });
  return getWallet(id);
}

export async function setWalletPriority(
  id: number,
  priority: number,
  actor: { adminId?: number | null } = {},
): Promise<PoolWallet> {
  const pr = z.number().int().min(-1000).max(1000).parse(priority);
  const db = await getDb();
  const rows = await db
    .update(supplierWallets)
    .set({ priority: pr })
    .where(eq(supplierWallets.id, id))
    .returning({ id: supplierWallets.id });
  if (!rows.length) throw new AppError("not_found", "Wallet not found.");
  await writeAudit(db, {
    adminId: actor.adminId ?? null,
    action: "pool.wallet.priority",
    targetType: "supplier_wallet",
    targetId: String(id),
    after: { priority: pr },
  });
  return getWallet(id);
}

/**
 * Removes a wallet that has no outstanding (not reclaimed / not failed) delegations: deleted, or,
 * when order history references it, kept as a disabled row with its encrypted key dropped.
 */
export async function removeWallet(id: number, actor: { adminId?: number | null } = {}): Promise<void> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [w] = await tx.select().from(supplierWallets).where(eq(supplierWallets.id, id)).for("update");
    if (!w) throw new AppError("not_found", "Wallet not found.");
    const [open] = rowsOf<{ n: string | number }>(
      await tx.execute(
        sql`select count(*) as n from delegations where supplier_wallet_id = ${id} and status not in ('failed', 'reclaimed')`,
      ),
    );
    if (Number(open.n) > 0)
      throw new AppError("invalid_state", "This wallet still has delegations that are not reclaimed.");
    const [anyRow] = rowsOf<{ n: string | number }>(
      await tx.execute(sql`select count(*) as n from delegations where supplier_wallet_id = ${id}`),
    );
    if (Number(anyRow.n) > 0) {
      // History references it: disable and drop the key instead of deleting the row.
      await tx
        .update(supplierWallets)
        .set({ status: "disabled", encryptedKey: null, keyId: null, removedAt: new Date() })
        .where(eq(supplierWallets.id, id));
    } else {
      await tx.delete(supplierWallets).where(eq(supplierWallets.id, id));
    }
    await writeAudit(tx, {
      adminId: actor.adminId ?? null,
      action: "pool.wallet.remove",
      targetType: "supplier_wallet",
      targetId: String(id),
      before: { address: w.address },
    });
  });
}

const reservedSql = (walletIdCol: ReturnType<typeof sql>, refreshedCol: ReturnType<typeof sql>) => sql`
  coalesce((select sum(d.sun) from delegations d where d.supplier_wallet_id = ${walletIdCol}
    and (d.status in ('planned', 'signed', 'broadcast')
      or (d.status = 'confirmed' and d.confirmed_at > coalesce(${refreshedCol}, 'epoch'::timestamptz)))), 0)`;

type Row = Record<string, unknown>;

function toPoolWallet(r: Row): PoolWallet {
  const delegatable = BigInt(r.delegatable_sun as string | bigint);
  const reserved = BigInt((r.reserved_sun ?? 0) as string | bigint | number);
  const free = delegatable - reserved;
  return {
    id: Number(r.id),
    address: String(r.address),
    label: (r.label as string | null) ?? null,
    mode: r.mode as SupplierWallet["mode"],
    keyId: (r.key_id as string | null) ?? null,
    permissionId: r.permission_id == null ? null : Number(r.permission_id),
    status: r.status as SupplierWallet["status"],
    priority: Number(r.priority),
    trxSun: BigInt(r.trx_sun as string | bigint),
    stakedEnergySun: BigInt(r.staked_energy_sun as string | bigint),
    delegatedEnergySun: BigInt(r.delegated_energy_sun as string | bigint),
    delegatableSun: delegatable,
    bandwidthAvailable: BigInt((r.bandwidth_available ?? 0) as string | bigint | number),
    refreshedAt: r.refreshed_at == null ? null : new Date(r.refreshed_at as string),
    lastError: (r.last_error as string | null) ?? null,
    removedAt: r.removed_at == null ? null : new Date(r.removed_at as string),
    createdAt: new Date(r.created_at as string),
    updatedAt: new Date(r.updated_at as string),
    reservedSun: reserved,
    freeSun: free < 0n ? 0n : free,
  };
}

async function walletRows(ex: Executor, where = sql`true`): Promise<PoolWallet[]> {
  const rows = rowsOf<Row>(
    await ex.execute(sql`
      select w.*, ${reservedSql(sql`w.id`, sql`w.refreshed_at`)} as reserved_sun
      from supplier_wallets w where ${where} order by w.id`),
  );
  return rows.map(toPoolWallet);
}

/** The pool's wallets (removed ones are history only and not listed). */
export async function listWallets(): Promise<PoolWallet[]> {
  return walletRows(await getDb(), sql`w.removed_at is null`);
}

export async function getWallet(id: number, ex?: Executor): Promise<PoolWallet> {
  const [w] = await walletRows(ex ?? (await getDb()), sql`w.id = ${id}`);
  if (!w) throw new AppError("not_found", "Wallet not found.");
  return w;
}

/** The encrypted key of a wallet, for the signing step only. */
export async function walletSigner(id: number): Promise<{ address: string; encryptedKey: string }> {
  const db = await getDb();
  const [w] = await db
    .select({ address: supplierWallets.address, encryptedKey: supplierWallets.encryptedKey })
    .from(supplierWallets)
    .where(eq(supplierWallets.id, id));
  if (!w?.encryptedKey) throw new AppError("internal", "The supplier wallet has no key.");
  return { address: w.address, encryptedKey: w.encryptedKey };
}

/**
 * Reads one wallet from the chain (TRX, staked-for-energy, delegated-out, getcandelegatedmaxsize)
 * and stores it; raises / resolves the low-energy and low-TRX alerts. `refreshed_at` is the time
 * BEFORE the chain read, so a delegation confirmed during the read stays reserved.
 */
export async function refreshWallet(id: number): Promise<PoolWallet> {
  const db = await getDb();
  const [w] = await db.select().from(supplierWallets).where(eq(supplierWallets.id, id));
  if (!w) throw new AppError("not_found", "Wallet not found.");
  const before = new Date();
  const client = tron();
  try {
    const [acct, maxSize, res] = await Promise.all([
      client.getAccount(w.address),
      client.getCanDelegatedMaxSize(w.address, "ENERGY"),
      client.getAccountResources(w.address),
    ]);
    const left = (limit: bigint, used: bigint) => (limit > used ? limit - used : 0n);
    await db
      .update(supplierWallets)
      .set({
        trxSun: acct.trxSun,
        stakedEnergySun: acct.frozenEnergySun + acct.delegatedOutEnergySun,
        delegatedEnergySun: acct.delegatedOutEnergySun,
        delegatableSun: maxSize,
        bandwidthAvailable: left(res.freeNetLimit, res.freeNetUsed) + left(res.netLimit, res.netUsed),
        refreshedAt: before,
        lastError: null,
      })
      .where(eq(supplierWallets.id, id));
  } catch (e) {
    const msg = e instanceof Error ? e.message.slice(0, 300) : "refresh failed";
    await db.update(supplierWallets).set({ lastError: msg }).where(eq(supplierWallets.id, id));
    throw e;
  }
  const fresh = await getWallet(id);
  await checkWalletAlerts(fresh);
  return fresh;
}

/** Bytes of one delegate / undelegate with one signature, rounded up (about 280 on mainnet). */
export const TX_BYTES = 300n;

/**
 * Delegate / undelegate transactions a wallet can still pay for: whole ones from its bandwidth
 * (free and staked), then from its TRX at the chain's price per byte (getTransactionFee).
 */
export function transactionsLeft(
  w: Pick<PoolWallet, "bandwidthAvailable" | "trxSun">,
  sunPerByte: bigint,
): bigint {
  return w.bandwidthAvailable / TX_BYTES + (sunPerByte > 0n ? w.trxSun / (TX_BYTES * sunPerByte) : 0n);
}

/** Delegations of a wallet still to be undelegated (each needs one more transaction). */
async function openDelegationCount(walletId: number): Promise<number> {
  const db = await getDb();
  const [r] = rowsOf<{ n: string | number }>(
    await db.execute(sql`select count(*) as n from delegations where supplier_wallet_id = ${walletId}
      and status in ('planned', 'signed', 'broadcast', 'confirmed', 'reclaiming')`),
  );
  return Number(r.n);
}

async function checkWalletAlerts(w: PoolWallet): Promise<void> {
  if (w.status !== "enabled") {
    await resolveAlert(`pool:low_energy:${w.id}`);
    await resolveAlert(`pool:low_trx:${w.id}`);
    await resolveAlert(`pool:low_bandwidth:${w.id}`);
    return;
  }
  await checkBandwidthAlert(w);
  const s = await getSettings();
  let energy = 0n;
  try {
    energy = energyForSun(w.freeSun, await tron().getEnergyWeights());
  } catch {
    return;
  }
  const lowEnergyKey = `pool:low_energy:${w.id}`;
  if (energy < BigInt(s.alerts.poolLowEnergy)) {
    await raiseAlert({
      rule: "pool_low_energy",
      dedupeKey: lowEnergyKey,
      severity: "warning",
      message: `Supplier wallet ${w.label ?? w.address} has only ${energy} delegatable energy left.`,
      details: { walletId: w.id, address: w.address, delegatableEnergy: energy.toString() },
    });
  } else await resolveAlert(lowEnergyKey);
  const lowTrxKey = `pool:low_trx:${w.id}`;
  if (w.trxSun < s.alerts.walletLowTrxSun) {
    await raiseAlert({
      rule: "pool_low_trx",
      dedupeKey: lowTrxKey,
      severity: "warning",
      message: `Supplier wallet ${w.label ?? w.address} has little TRX left to pay bandwidth.`,
      details: { walletId: w.id, address: w.address, trxSun: w.trxSun.toString() },
    });
  } else await resolveAlert(lowTrxKey);
}

/**
 * Warns before a wallet runs out of what pays its transactions: with fewer delegate / undelegate
 * transactions left than its open delegations need (+ the settings' margin), a reclaim would stop
 * on BANDWITH_ERROR. Resolved once it has enough again.
 */
async function checkBandwidthAlert(w: PoolWallet): Promise<void> {
  const key = `pool:low_bandwidth:${w.id}`;
  let sunPerByte: bigint;
  try {
    sunPerByte = (await tron().getChainParameters()).getTransactionFee ?? 1000n;
  } catch {
    return;
  }
  const s = await getSettings();
  const open = await openDelegationCount(w.id);
  const left = transactionsLeft(w, sunPerByte);
  const need = BigInt(open + s.alerts.walletMinTxs);
  if (left >= need) {
    await resolveAlert(key);
    return;
  }
  const topUp = (need - left) * TX_BYTES * sunPerByte;
  await raiseAlert({
    rule: "pool_low_bandwidth",
    dedupeKey: key,
    severity: left <= BigInt(open) ? "critical" : "warning",
    message: `Supplier wallet ${w.label ?? w.address} can pay for only ${left} more delegate/undelegate transactions (${w.bandwidthAvailable} bytes of bandwidth, ${formatTrx(w.trxSun)}) and has ${open} delegations to reclaim: send it at least ${formatTrx(topUp)}.`,
    details: {
      walletId: w.id,
      address: w.address,
      transactionsLeft: left.toString(),
      openDelegations: open,
      bandwidth: w.bandwidthAvailable.toString(),
      trxSun: w.trxSun.toString(),
      topUpSun: topUp.toString(),
    },
  });
}

/** Refreshes every enabled wallet; a failing one is reported, not fatal. */
export async function refreshAllWallets(): Promise<{ refreshed: number[]; failed: number[] }> {
  const db = await getDb();
  const ws = await db
    .select({ id: supplierWallets.id })
    .from(supplierWallets)
    .where(eq(supplierWallets.status, "enabled"))
    .orderBy(asc(supplierWallets.id));
  const refreshed: number[] = [];
  const failed: number[] = [];
  for (const w of ws) {
    try {
      await refreshWallet(w.id);
      refreshed.push(w.id);
    } catch (e) {
      failed.push(w.id);
      await raiseAlert({
        rule: "pool_refresh_failed",
        dedupeKey: `pool:refresh_failed:${w.id}`,
        message: `Could not refresh supplier wallet ${w.id} from the chain.`,
        details: { walletId: w.id, error: e instanceof Error ? e.message : String(e) },
      });
    }
  }
  return { refreshed, failed };
}

/** Pool totals: free sun (after reservations), sun in use by delegations, and free energy. */
export async function poolCapacity(): Promise<{
  delegatableSun: bigint;
  inUseSun: bigint;
  delegatableEnergy: bigint;
}> {
  const ws = (await listWallets()).filter((w) => w.status === "enabled");
  const delegatableSun = ws.reduce((a, w) => a + w.freeSun, 0n);
  const inUseSun = ws.reduce((a, w) => a + w.delegatedEnergySun + w.reservedSun, 0n);
  let delegatableEnergy = 0n;
  try {
    const weights = await tron().getEnergyWeights();
    delegatableEnergy = ws.reduce((a, w) => a + energyForSun(w.freeSun, weights), 0n);
  } catch {}
  return { delegatableSun, inUseSun, delegatableEnergy };
}

// ------------------------------------------------------------------------------------ selection

export type Candidate = { id: number; freeSun: bigint; priority: number };
export type PlannedPart = { walletId: number; sun: bigint };

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
 * Locks the enabled wallets (FOR UPDATE, in id order), reads their free capacity after
 * reservations, and selects wallets for `needSun`. With `receiver`, a wallet that still holds a
 * locked delegation to that receiver is never chosen (see walletsLockedToReceiver). Call inside
 * the transaction that inserts the delegation rows, so the reservation and the choice commit together.
 */
export async function planDelegation(
  tx: Tx,
  p: { needSun: bigint; excludeWalletIds?: number[]; receiver?: string; nowMs?: number },
): Promise<PlannedPart[] | null> {
  const exclude = [...(p.excludeWalletIds ?? [])];
  const locked = await tx
    .select({ id: supplierWallets.id })
    .from(supplierWallets)
    .where(and(eq(supplierWallets.status, "enabled"), eq(supplierWallets.mode, "key")))
    .orderBy(asc(supplierWallets.id))
    .for("update");
  if (p.receiver) exclude.push(...(await walletsLockedToReceiver(tx, p.receiver, p.nowMs ?? Date.now())));
  const ids = locked.map((w) => w.id).filter((id) => !exclude.includes(id));
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

/** Reserved sun per wallet (tests, admin). */
export async function reservationsOf(walletIds: number[]): Promise<Map<number, bigint>> {
  const db = await getDb();
  const out = new Map<number, bigint>();
  if (!walletIds.length) return out;
  const rows = await db
    .select({ id: delegations.supplierWalletId, sun: sql<string>`sum(${delegations.sun})` })
    .from(delegations)
    .where(
      and(
        inArray(delegations.supplierWalletId, walletIds),
        inArray(delegations.status, [...RESERVING_STATUSES]),
      ),
    )
    .groupBy(delegations.supplierWalletId);
  for (const r of rows) out.set(r.id, BigInt(r.sun));
  return out;
}
