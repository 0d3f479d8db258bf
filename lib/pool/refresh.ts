import { asc, eq, sql } from "drizzle-orm";
import { getDb, rowsOf } from "@/db";
import { supplierWallets } from "@/db/schema";
import { raiseAlert, resolveAlert } from "@/lib/alerts";
import { AppError } from "@/lib/errors";
import { formatTrx } from "@/lib/money";
import { getSettings } from "@/lib/settings";
import { energyForSun } from "@/lib/tron/resources";
import { tron } from "@/lib/tron/client";
import { verifyWalletPermission } from "./permission";
import { getWallet, type PoolWallet } from "./read";

/**
 * Reads one wallet from the chain (TRX, staked-for-energy, delegated-out, getcandelegatedmaxsize)
 * and stores it; raises / resolves the low-energy alert, and the low-TRX and low-bandwidth ones for
 * key-mode wallets (`operatorPaysFees`). A permission-mode wallet's grant is verified too
 * (lib/pool/permission: revoked → out of selection, alerted). `refreshed_at` is the time BEFORE the
 * chain read, so a delegation confirmed during the read stays reserved.
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
    // permission mode: the grant is checked on chain before anything is planned or broadcast
    if (w.mode === "permission" && w.removedAt === null) await verifyWalletPermission(w);
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
function transactionsLeft(w: Pick<PoolWallet, "bandwidthAvailable" | "trxSun">, sunPerByte: bigint): bigint {
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

/**
 * Whether the pool's low-TRX and low-bandwidth alerts concern a wallet: a key-mode wallet's TRX and
 * bandwidth are the operator's to top up. A permission-mode wallet's are its owner's: the operator
 * cannot top them up, and the owner's daily caps already keep it out of selection when one more
 * transaction would not fit (the Pool page shows its spend against the caps, a supplier's page why
 * it is out).
 */
export function operatorPaysFees(w: Pick<PoolWallet, "mode">): boolean {
  return w.mode === "key";
}

async function checkWalletAlerts(w: PoolWallet): Promise<void> {
  if (w.status !== "enabled") {
    await resolveAlert(`pool:low_energy:${w.id}`);
    await resolveAlert(`pool:low_trx:${w.id}`);
    await resolveAlert(`pool:low_bandwidth:${w.id}`);
    return;
  }
  if (operatorPaysFees(w)) await checkBandwidthAlert(w);
  else await resolveAlert(`pool:low_bandwidth:${w.id}`);
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
  if (operatorPaysFees(w) && w.trxSun < s.alerts.walletLowTrxSun) {
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
