import { and, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { type Executor, getDb, rowsOf } from "@/db";
import {
  DEFAULT_DAILY_CAPS,
  delegations,
  supplierWallets,
  type WalletTxCost,
  walletTxCosts,
} from "@/db/schema";
import { raiseAlert, resolveAlert } from "@/lib/alerts";
import { writeAudit } from "@/lib/audit";
import { AppError, fieldErrorsFromZod } from "@/lib/errors";
import { formatTrx } from "@/lib/money";
import { parseAddress } from "@/lib/tron/address";
import { tron } from "@/lib/tron/client";
import type { TransactionInfo, UnsignedTransaction } from "@/lib/tron/client";
import {
  checkGrant,
  contractTypeName,
  type GrantCheck,
  operatorPermission,
  PERMISSION_MODE_OPERATIONS,
} from "@/lib/tron/permissions";
import { requireOperatorAddress } from "./operator";
import type { PoolWallet } from "./read";

/**
 * Permission-mode supplier wallets (docs/permission-mode.md): the owner keeps the key and grants
 * the platform's operator key an Active permission for DelegateResource (57) and UnDelegateResource
 * (58) only. Verified on chain at import and on every refresh; a revoked or widened permission takes
 * the wallet out of selection, flags its open delegations for the owner and raises an alert. The
 * owner's bandwidth (then TRX) pays for our transactions, within daily caps the owner sets.
 */

/** Bytes of one delegate / undelegate with one signature, rounded up (lib/pool/refresh TX_BYTES). */
const TX_BYTES = 300n;

/** Reads the account's permissions and checks the grant to our operator key. */
export async function checkWalletPermission(address: string): Promise<GrantCheck & { operator: string }> {
  const operator = await requireOperatorAddress();
  const perms = await tron().getAccountPermissions(address);
  return { ...checkGrant(perms, operator), operator };
}

export type PermissionSetup = {
  owner: string;
  operator: string;
  /** The Active permission to add. */
  permission: {
    name: string;
    threshold: number;
    operations: string;
    operationIds: number[];
    operationNames: string[];
    keys: { address: string; weight: number }[];
  };
  /** Active permissions of the account the update keeps as they are. */
  kept: { id: number; name: string }[];
  /** getUpdateAccountPermissionFee, paid by the owner's account. */
  feeSun: bigint;
  /** The unsigned AccountPermissionUpdate the node built; the owner signs it in their own wallet. */
  transaction: UnsignedTransaction;
  /** Already granted as required: nothing to sign. */
  granted: boolean;
};

/**
 * What the owner of `address` must add, and the unsigned AccountPermissionUpdate (built by the node)
 * that adds it while keeping the owner permission and the other Active permissions as they are (an
 * update replaces all of them). Any Active permission naming our operator is replaced by the exact
 * one we need.
 */
export async function permissionSetup(addressInput: string): Promise<PermissionSetup> {
  const owner = parseWalletAddress(addressInput);
  const operator = await requireOperatorAddress();
  const client = tron();
  const acct = await client.getAccount(owner);
  if (!acct.activated) throw new AppError("invalid_state", `${owner} is not activated on chain yet.`);
  const [perms, params] = await Promise.all([
    client.getAccountPermissions(owner),
    client.getChainParameters(),
  ]);
  const granted = checkGrant(perms, operator).ok;
  const ours = operatorPermission(operator);
  const kept = perms.actives.filter((p) => !p.keys.some((k) => k.address === operator));
  if (kept.length >= 8)
    throw new AppError(
      "invalid_state",
      "The account already has 8 Active permissions (the chain's maximum): remove one before adding the platform's.",
    );
  const transaction = await client.buildAccountPermissionUpdate(owner, perms.owner, [...kept, ours]);
  return {
    owner,
    operator,
    permission: {
      name: ours.name,
      threshold: ours.threshold,
      operations: ours.operations,
      operationIds: [...PERMISSION_MODE_OPERATIONS],
      operationNames: PERMISSION_MODE_OPERATIONS.map(contractTypeName),
      keys: ours.keys,
    },
    kept: kept.map((p) => ({ id: p.id, name: p.name })),
    feeSun: params.getUpdateAccountPermissionFee ?? 100_000_000n,
    transaction,
    granted,
  };
}

function parseWalletAddress(input: string): string {
  try {
    return parseAddress(input.trim());
  } catch (e) {
    throw e instanceof AppError ? e : new AppError("bad_request", "This is not a TRON address.");
  }
}

const capsSchema = z.object({
  dailyBandwidthCap: z.bigint().min(0n).max(10_000_000n),
  dailyTrxCapSun: z.bigint().min(0n).max(1_000_000_000_000n),
});

const importSchema = z.object({
  address: z.string().trim().min(1),
  label: z.string().trim().max(100).optional(),
  priority: z.number().int().min(-1000).max(1000).optional(),
  dailyBandwidthCap: z.bigint().min(0n).max(10_000_000n).optional(),
  dailyTrxCapSun: z.bigint().min(0n).max(1_000_000_000_000n).optional(),
  /** A third-party supplier's wallet (lib/suppliers): the user who earns on it. */
  supplierUserId: z.number().int().positive().optional(),
});

/**
 * Imports a wallet by address alone: its permission must grant our operator key delegate and
 * undelegate only (checkGrant); otherwise it is refused with the reason and nothing is stored.
 * Returns the wallet id (the caller refreshes it).
 */
export async function insertPermissionWallet(
  input: z.input<typeof importSchema>,
  actor: { adminId?: number | null } = {},
): Promise<number> {
  const p = importSchema.safeParse(input);
  if (!p.success)
    throw new AppError("bad_request", "An address is required; caps are whole non-negative numbers.");
  const address = parseWalletAddress(p.data.address);
  const grant = await checkWalletPermission(address);
  if (!grant.ok)
    throw new AppError("invalid_state", grant.message, {
      details: { reason: grant.reason, address, operator: grant.operator },
    });
  const db = await getDb();
  const [existing] = await db.select().from(supplierWallets).where(eq(supplierWallets.address, address));
  if (existing && existing.removedAt === null && existing.mode === "key") {
    // switching a key-mode wallet to permission mode drops its stored key: only with nothing out
    const [open] = rowsOf<{ n: string | number }>(
      await db.execute(
        sql`select count(*) as n from delegations where supplier_wallet_id = ${existing.id} and status not in ('failed', 'reclaimed')`,
      ),
    );
    if (Number(open.n) > 0)
      throw new AppError(
        "invalid_state",
        "This wallet is in the pool with its key and still has delegations that are not reclaimed: switch it to permission mode once they are.",
      );
  }
  // caps not given: the wallet's own when it stays in the pool (a key-mode wallet switched, a grant
  // re-checked); the defaults for a new wallet or a removed one imported again, whose previous
  // owner's caps are not its new owner's
  const kept = existing && existing.removedAt === null;
  const caps = {
    ...(kept ? {} : DEFAULT_DAILY_CAPS),
    ...(p.data.dailyBandwidthCap !== undefined ? { dailyBandwidthCap: p.data.dailyBandwidthCap } : {}),
    ...(p.data.dailyTrxCapSun !== undefined ? { dailyTrxCapSun: p.data.dailyTrxCapSun } : {}),
  };
  const fields = {
    mode: "permission" as const,
    permissionId: grant.permissionId,
    permissionError: null,
    permissionCheckedAt: new Date(),
    encryptedKey: null,
    keyId: null,
    ...caps,
    // a supplier's wallet stays theirs while it is in the pool; a removed one imported again is
    // the importer's (the operator's, or the supplier who registered it, lib/suppliers)
    supplierUserId:
      p.data.supplierUserId ?? (existing && existing.removedAt === null ? existing.supplierUserId : null),
  };
  let id: number;
  if (existing) {
    await db
      .update(supplierWallets)
      .set({
        ...fields,
        removedAt: null,
        ...(p.data.label !== undefined ? { label: p.data.label } : {}),
        ...(p.data.priority !== undefined ? { priority: p.data.priority } : {}),
      })
      .where(eq(supplierWallets.id, existing.id));
    id = existing.id;
  } else {
    const [row] = await db
      .insert(supplierWallets)
      .values({ address, label: p.data.label ?? null, priority: p.data.priority ?? 0, ...fields })
      .returning({ id: supplierWallets.id });
    id = row.id;
  }
  await writeAudit(db, {
    adminId: actor.adminId ?? null,
    action: existing ? "pool.wallet.reimport" : "pool.wallet.import",
    targetType: "supplier_wallet",
    targetId: String(id),
    after: {
      address,
      mode: "permission",
      permissionId: grant.permissionId,
      operator: grant.operator,
      label: p.data.label ?? null,
      ...caps,
    },
  });
  return id;
}

/** Sets what the platform may spend of a permission-mode wallet per UTC day. */
export async function setWalletDailyCaps(
  id: number,
  caps: { dailyBandwidthCap: bigint; dailyTrxCapSun: bigint },
  actor: { adminId?: number | null } = {},
): Promise<void> {
  const parsed = capsSchema.safeParse(caps);
  if (!parsed.success)
    throw new AppError(
      "bad_request",
      "Daily caps are whole numbers: up to 10,000,000 bytes of bandwidth and 1,000,000 TRX.",
      { fields: fieldErrorsFromZod(parsed.error.issues) },
    );
  const c = parsed.data;
  const db = await getDb();
  const [w] = await db.select().from(supplierWallets).where(eq(supplierWallets.id, id));
  if (!w) throw new AppError("not_found", "Wallet not found.");
  if (w.mode !== "permission")
    throw new AppError(
      "invalid_state",
      "Daily caps are for permission-mode wallets (the owner's resources pay).",
    );
  await db.update(supplierWallets).set(c).where(eq(supplierWallets.id, id));
  await writeAudit(db, {
    adminId: actor.adminId ?? null,
    action: "pool.wallet.caps",
    targetType: "supplier_wallet",
    targetId: String(id),
    before: { dailyBandwidthCap: w.dailyBandwidthCap, dailyTrxCapSun: w.dailyTrxCapSun },
    after: c,
  });
}

const revokedKey = (walletId: number) => `pool:permission_revoked:${walletId}`;

/**
 * The wallet's permission no longer lets our operator key sign (revoked, widened, weight lowered):
 * out of selection (permission_error), its open delegations flagged for the owner to undelegate
 * (we can no longer), a critical alert. Idempotent; `source` says who found it.
 */
export async function markPermissionRevoked(
  walletId: number,
  reason: string,
  source: "refresh" | "broadcast" | "reclaim",
): Promise<void> {
  const db = await getDb();
  const now = new Date();
  const { w, flagged } = await db.transaction(async (tx) => {
    const [w] = await tx
      .update(supplierWallets)
      .set({ permissionError: reason.slice(0, 500), permissionCheckedAt: now })
      .where(and(eq(supplierWallets.id, walletId), eq(supplierWallets.mode, "permission")))
      .returning();
    if (!w) return { w: null, flagged: [] as number[] };
    await tx
      .update(delegations)
      .set({ ownerReclaimAt: now })
      .where(
        and(
          eq(delegations.supplierWalletId, walletId),
          inArray(delegations.status, ["confirmed", "reclaiming"]),
          isNull(delegations.ownerReclaimAt),
        ),
      );
    const open = await tx
      .select({ id: delegations.id })
      .from(delegations)
      .where(
        and(
          eq(delegations.supplierWalletId, walletId),
          isNotNull(delegations.ownerReclaimAt),
          inArray(delegations.status, ["confirmed", "reclaiming"]),
        ),
      );
    return { w, flagged: open.map((d) => d.id) };
  });
  if (!w) return;
  await raiseAlert({
    rule: "pool_permission_revoked",
    dedupeKey: revokedKey(walletId),
    severity: "critical",
    message:
      `Supplier wallet ${w.label ?? w.address} (permission mode) no longer lets the operator key sign: ${reason} It is out of selection${flagged.length ? `; its owner must undelegate ${flagged.length} open delegation(s) (see the Pool page)` : ""}.`.slice(
        0,
        2000,
      ),
    details: { walletId, address: w.address, reason, source, ownerReclaim: flagged },
  });
}

/** The permission checks out again: back in selection, flags cleared on what is still open, alert resolved. */
async function markPermissionValid(walletId: number, permissionId: number): Promise<void> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    await tx
      .update(supplierWallets)
      .set({ permissionError: null, permissionId, permissionCheckedAt: new Date() })
      .where(eq(supplierWallets.id, walletId));
    await tx
      .update(delegations)
      .set({ ownerReclaimAt: null })
      .where(and(eq(delegations.supplierWalletId, walletId), isNotNull(delegations.ownerReclaimAt)));
  });
  await resolveAlert(revokedKey(walletId));
}

/**
 * The pool refresh's check of a permission-mode wallet, before any broadcast: the grant read from
 * the chain → valid (the permission id may have moved) or revoked. A read failure changes nothing.
 */
export async function verifyWalletPermission(w: { id: number; address: string }): Promise<GrantCheck> {
  const grant = await checkWalletPermission(w.address);
  if (grant.ok) await markPermissionValid(w.id, grant.permissionId);
  else await markPermissionRevoked(w.id, grant.message, "refresh");
  return grant;
}

// ----------------------------------------------------------------------- costs and daily caps

function utcDayStart(nowMs: number): Date {
  const d = new Date(nowMs);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
}

/** The next UTC midnight after `nowMs` (when the daily caps start over). */
export function nextUtcDay(nowMs: number): Date {
  return new Date(utcDayStart(nowMs).getTime() + 86_400_000);
}

/**
 * Records what one of our transactions cost the owner of a permission-mode wallet, from its
 * receipt (bandwidth used, TRX burned), with the wallet's supplier at that moment. Once per txid:
 * returns the row when this call recorded it, `null` when it was already recorded or the wallet is
 * not in permission mode. Call lib/suppliers' `recordOwnerTxCost`, which also repays a supplier.
 */
export async function recordWalletTxCost(
  ex: Executor,
  p: {
    walletId: number;
    delegationId: number | null;
    kind: "delegate" | "undelegate";
    txid: string;
    info: Pick<TransactionInfo, "fee" | "blockTimeStamp" | "receipt">;
  },
): Promise<WalletTxCost | null> {
  const [w] = await ex
    .select({ mode: supplierWallets.mode, supplierUserId: supplierWallets.supplierUserId })
    .from(supplierWallets)
    .where(eq(supplierWallets.id, p.walletId));
  if (w?.mode !== "permission") return null;
  const [row] = await ex
    .insert(walletTxCosts)
    .values({
      supplierWalletId: p.walletId,
      delegationId: p.delegationId,
      kind: p.kind,
      txid: p.txid,
      netUsage: p.info.receipt.netUsage,
      feeSun: p.info.fee,
      supplierUserId: w.supplierUserId,
      at: new Date(p.info.blockTimeStamp || Date.now()),
    })
    .onConflictDoNothing()
    .returning();
  return row ?? null;
}

type Spend = { bandwidth: bigint; trxSun: bigint; pendingTxs: bigint };

/**
 * Today's (UTC, chain time) recorded spend of a wallet, and its transactions signed or about to be
 * whose cost is not recorded yet (each counted at TX_BYTES).
 */
async function walletSpendToday(
  ex: Executor,
  walletId: number,
  nowMs: number,
  exceptDelegationId?: number,
): Promise<Spend> {
  const [r] = rowsOf<{ bw: string; trx: string; pending: string }>(
    await ex.execute(sql`
      select
        (select coalesce(sum(net_usage), 0) from wallet_tx_costs
          where supplier_wallet_id = ${walletId} and at >= ${utcDayStart(nowMs).toISOString()}::timestamptz) as bw,
        (select coalesce(sum(fee_sun), 0) from wallet_tx_costs
          where supplier_wallet_id = ${walletId} and at >= ${utcDayStart(nowMs).toISOString()}::timestamptz) as trx,
        (select count(*) from delegations d where d.supplier_wallet_id = ${walletId}
          and d.id <> ${exceptDelegationId ?? -1}
          and (d.status in ('planned', 'signed', 'broadcast')
            or (d.status = 'reclaiming' and d.reclaim_txid is not null))) as pending`),
  );
  return { bandwidth: BigInt(r.bw), trxSun: BigInt(r.trx), pendingTxs: BigInt(r.pending) };
}

/**
 * Whether one more transaction fits the owner's daily caps. java-tron pays a transaction's bytes
 * from staked or free bandwidth when either has enough (BandwidthProcessor), else burns TRX at
 * getTransactionFee per byte: with `bandwidthLeft` ≥ the bytes, the bandwidth cap decides;
 * otherwise the TRX cap (and the balance). Pending transactions count as TX_BYTES each.
 */
export function nextTxFits(
  w: { dailyBandwidthCap: bigint; dailyTrxCapSun: bigint },
  spend: Spend,
  chain: { bandwidthLeft: bigint; trxSun: bigint; sunPerByte: bigint },
): { ok: true; pays: "bandwidth" | "trx" } | { ok: false; reason: FeeShortage; message: string } {
  const pendingBytes = spend.pendingTxs * TX_BYTES;
  if (chain.bandwidthLeft >= pendingBytes + TX_BYTES) {
    if (spend.bandwidth + pendingBytes + TX_BYTES <= w.dailyBandwidthCap)
      return { ok: true, pays: "bandwidth" };
    return {
      ok: false,
      reason: "bandwidth_cap",
      message: `the owner's daily bandwidth cap (${w.dailyBandwidthCap} bytes) is reached: ${spend.bandwidth} used today, ${pendingBytes} pending`,
    };
  }
  const burn = TX_BYTES * chain.sunPerByte;
  const pendingBurn = spend.pendingTxs * burn;
  if (spend.trxSun + pendingBurn + burn > w.dailyTrxCapSun)
    return {
      ok: false,
      reason: "trx_cap",
      message: `the owner's bandwidth is used up and the daily TRX cap (${formatTrx(w.dailyTrxCapSun)}) is reached: ${formatTrx(spend.trxSun)} burned today`,
    };
  if (chain.trxSun < pendingBurn + burn)
    return {
      ok: false,
      reason: "trx_balance",
      message: `the owner's bandwidth is used up and the wallet has too little TRX to burn for it`,
    };
  return { ok: true, pays: "trx" };
}

/**
 * Why one more transaction does not fit: the daily bandwidth cap is reached; the bandwidth is used
 * up and the daily TRX cap reached; or the bandwidth is used up and the wallet lacks the TRX to burn.
 */
export type FeeShortage = "bandwidth_cap" | "trx_cap" | "trx_balance";

/**
 * Per permission-mode wallet whose grant holds, why it is out of selection for what pays its
 * transactions, or null while one more fits: `nextTxFits` on the bandwidth and TRX stored at its
 * last refresh and today's spend, as selection decides (`usableWalletSql`). Key-mode wallets, and
 * permission-mode ones with a grant error (out for that), are null. Without the chain's price per
 * byte (the node does not answer), every wallet is null.
 */
export async function feeShortages(
  ws: Pick<
    PoolWallet,
    | "id"
    | "mode"
    | "permissionId"
    | "permissionError"
    | "bandwidthAvailable"
    | "trxSun"
    | "dailyBandwidthCap"
    | "dailyTrxCapSun"
  >[],
  nowMs = Date.now(),
): Promise<Map<number, FeeShortage | null>> {
  const out = new Map<number, FeeShortage | null>(ws.map((w) => [w.id, null]));
  const permission = ws.filter(
    (w) => w.mode === "permission" && w.permissionId !== null && !w.permissionError,
  );
  if (!permission.length) return out;
  const params = await tron()
    .getChainParameters()
    .catch(() => null);
  if (!params) return out;
  const db = await getDb();
  await Promise.all(
    permission.map(async (w) => {
      const fit = nextTxFits(w, await walletSpendToday(db, w.id, nowMs), {
        bandwidthLeft: w.bandwidthAvailable,
        trxSun: w.trxSun,
        sunPerByte: params.getTransactionFee ?? 1000n,
      });
      out.set(w.id, fit.ok ? null : fit.reason);
    }),
  );
  return out;
}

/**
 * The daily cap check before signing, from the chain's current resources. Key-mode wallets always
 * pass (the platform's own wallet pays).
 */
export async function checkDailyCap(
  walletId: number,
  nowMs: number,
  exceptDelegationId?: number,
): Promise<{ ok: true } | { ok: false; message: string }> {
  const db = await getDb();
  const [w] = await db.select().from(supplierWallets).where(eq(supplierWallets.id, walletId));
  if (w?.mode !== "permission") return { ok: true };
  const client = tron();
  const [res, acct, params, spend] = await Promise.all([
    client.getAccountResources(w.address),
    client.getAccount(w.address),
    client.getChainParameters(),
    walletSpendToday(db, walletId, nowMs, exceptDelegationId),
  ]);
  const left = (limit: bigint, used: bigint) => (limit > used ? limit - used : 0n);
  const free = left(res.freeNetLimit, res.freeNetUsed);
  const staked = left(res.netLimit, res.netUsed);
  const fit = nextTxFits(w, spend, {
    bandwidthLeft: free > staked ? free : staked,
    trxSun: acct.trxSun,
    sunPerByte: params.getTransactionFee ?? 1000n,
  });
  return fit.ok ? { ok: true } : fit;
}

/**
 * SQL: the wallet `w` may be planned onto now — a key-mode wallet, or a permission-mode one whose
 * permission checked out at the last look and whose daily caps leave room for one more transaction
 * (from the bandwidth and TRX stored at the last refresh, as `nextTxFits`).
 */
export function usableWalletSql(nowMs: number, sunPerByte: bigint) {
  const day = utcDayStart(nowMs).toISOString();
  const tx = TX_BYTES;
  return sql`(w.mode = 'key' or (w.mode = 'permission' and w.permission_id is not null and w.permission_error is null
    and exists (select 1 from (
      select
        (select coalesce(sum(c.net_usage), 0) from wallet_tx_costs c where c.supplier_wallet_id = w.id and c.at >= ${day}::timestamptz) as bw,
        (select coalesce(sum(c.fee_sun), 0) from wallet_tx_costs c where c.supplier_wallet_id = w.id and c.at >= ${day}::timestamptz) as trx,
        (select count(*) from delegations d where d.supplier_wallet_id = w.id
          and (d.status in ('planned', 'signed', 'broadcast') or (d.status = 'reclaiming' and d.reclaim_txid is not null))) as pending
    ) s where
      (w.bandwidth_available >= (s.pending + 1) * ${tx} and s.bw + (s.pending + 1) * ${tx} <= w.daily_bandwidth_cap)
      or (w.bandwidth_available < (s.pending + 1) * ${tx}
        and s.trx + (s.pending + 1) * ${tx * sunPerByte} <= w.daily_trx_cap_sun
        and w.trx_sun >= (s.pending + 1) * ${tx * sunPerByte}))))`;
}

/** Per permission-mode wallet: what our transactions cost the owner today and in the last 30 days. */
export async function walletCostSummary(
  nowMs = Date.now(),
): Promise<
  Map<
    number,
    { todayBandwidth: bigint; todayTrxSun: bigint; monthBandwidth: bigint; monthTrxSun: bigint; txs: number }
  >
> {
  const db = await getDb();
  const day = utcDayStart(nowMs).toISOString();
  const month = new Date(nowMs - 30 * 86_400_000).toISOString();
  const rows = rowsOf<{ id: number; tbw: string; ttrx: string; mbw: string; mtrx: string; n: string }>(
    await db.execute(sql`
      select supplier_wallet_id as id,
        coalesce(sum(net_usage) filter (where at >= ${day}::timestamptz), 0) as tbw,
        coalesce(sum(fee_sun) filter (where at >= ${day}::timestamptz), 0) as ttrx,
        coalesce(sum(net_usage), 0) as mbw, coalesce(sum(fee_sun), 0) as mtrx, count(*) as n
      from wallet_tx_costs where at >= ${month}::timestamptz group by supplier_wallet_id`),
  );
  return new Map(
    rows.map((r) => [
      Number(r.id),
      {
        todayBandwidth: BigInt(r.tbw),
        todayTrxSun: BigInt(r.ttrx),
        monthBandwidth: BigInt(r.mbw),
        monthTrxSun: BigInt(r.mtrx),
        txs: Number(r.n),
      },
    ]),
  );
}

/** Open delegations the owners of revoked permission-mode wallets must undelegate themselves. */
export async function listOwnerReclaims() {
  const db = await getDb();
  return db
    .select({
      id: delegations.id,
      orderId: delegations.orderId,
      walletId: delegations.supplierWalletId,
      address: supplierWallets.address,
      receiver: delegations.receiverAddress,
      sun: delegations.sun,
      expiresAt: delegations.expiresAt,
      flaggedAt: delegations.ownerReclaimAt,
    })
    .from(delegations)
    .innerJoin(supplierWallets, eq(supplierWallets.id, delegations.supplierWalletId))
    .where(
      and(isNotNull(delegations.ownerReclaimAt), inArray(delegations.status, ["confirmed", "reclaiming"])),
    )
    .orderBy(delegations.id);
}

/**
 * Before signing for a wallet: a permission-mode wallet whose grant was found revoked is refused
 * (`permission_revoked`), and one whose owner's daily caps have no room for one more transaction
 * (`daily_cap`). Key-mode wallets pass.
 */
export async function permissionGate(
  walletId: number,
  nowMs: number,
  exceptDelegationId?: number,
): Promise<{ ok: true } | { ok: false; kind: "permission_revoked" | "daily_cap"; message: string }> {
  const db = await getDb();
  const [w] = await db
    .select({ mode: supplierWallets.mode, permissionError: supplierWallets.permissionError })
    .from(supplierWallets)
    .where(eq(supplierWallets.id, walletId));
  if (w?.mode !== "permission") return { ok: true };
  if (w.permissionError) return { ok: false, kind: "permission_revoked", message: w.permissionError };
  const cap = await checkDailyCap(walletId, nowMs, exceptDelegationId);
  return cap.ok ? cap : { ok: false, kind: "daily_cap", message: cap.message };
}

/**
 * The chain refused the operator key's signature for a wallet (SIGERROR: the permission is gone, no
 * longer names the key, or its weight fell short). For a permission-mode wallet that is a
 * revocation; a key-mode wallet is left alone.
 */
export async function permissionRefused(
  walletId: number,
  chainMessage: string,
  source: "broadcast" | "reclaim",
): Promise<boolean> {
  const db = await getDb();
  const [w] = await db
    .select({ mode: supplierWallets.mode })
    .from(supplierWallets)
    .where(eq(supplierWallets.id, walletId));
  if (w?.mode !== "permission") return false;
  await markPermissionRevoked(
    walletId,
    `The chain refused the operator key's signature (${chainMessage}): the owner revoked or changed the permission.`,
    source,
  );
  return true;
}
