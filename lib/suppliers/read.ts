import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { getDb, rowsOf } from "@/db";
import { type SupplierPayout, type SupplierProfile, supplierPayouts } from "@/db/schema";
import { type FeeShortage, feeShortages, operatorAddress, type PoolWallet } from "@/lib/pool";
import { getSettings } from "@/lib/settings";
import { listPayouts, withdrawableSun } from "./payouts";
import { getSupplierProfile, listSupplierWallets } from "./profile";

/** The share of a wallet's energy stake lent at its last refresh, in basis points (a whole number). */
function utilisationBps(w: Pick<PoolWallet, "stakedEnergySun" | "delegatedEnergySun">): number {
  return w.stakedEnergySun > 0n ? Number((w.delegatedEnergySun * 10_000n) / w.stakedEnergySun) : 0;
}

export type SupplierDashboard = {
  profile: SupplierProfile | null;
  operator: string | null;
  /**
   * `shortOf`: why the wallet is out of selection for what pays its transactions (its bandwidth, its
   * TRX or the daily caps on them), null while it can take one more (lib/pool feeShortages).
   */
  wallets: (PoolWallet & { utilisationBps: number; shortOf: FeeShortage | null })[];
  /**
   * Last 30 UTC days with earnings or repaid fees, newest first: `earningSun` what deliveries
   * earned (after the platform's commission), `feesRepaidSun` the TRX our transactions burned from
   * the supplier's wallets, repaid.
   */
  earningsByDay: { day: string; earningSun: bigint; parts: number; feesRepaidSun: bigint }[];
  earnedSun: bigint;
  /** Every fee repaid so far (part of what can be paid out). */
  feesRepaidSun: bigint;
  withdrawableSun: bigint;
  payouts: SupplierPayout[];
};

/** What the supplier page shows the signed-in user: nothing of anyone else's. */
export async function supplierDashboard(userId: number): Promise<SupplierDashboard> {
  const profile = await getSupplierProfile(userId);
  const operator = await operatorAddress().catch(() => null);
  if (!profile)
    return {
      profile,
      operator,
      wallets: [],
      earningsByDay: [],
      earnedSun: 0n,
      feesRepaidSun: 0n,
      withdrawableSun: 0n,
      payouts: [],
    };
  const db = await getDb();
  const [wallets, days, total, withdrawable, payouts] = await Promise.all([
    listSupplierWallets(userId),
    db.execute(sql`select to_char(date_trunc('day', at at time zone 'UTC'), 'YYYY-MM-DD') as day,
        sum(earning) as earning, sum(parts) as parts, sum(repaid) as repaid
      from (
        select created_at as at, earning_sun as earning, 1 as parts, 0 as repaid
          from supplier_earnings where supplier_user_id = ${userId} and created_at >= now() - interval '30 days'
        union all
        select created_at, 0, 0, fee_sun from wallet_tx_costs
          where supplier_user_id = ${userId} and repaid_entry_id is not null and created_at >= now() - interval '30 days'
      ) e group by 1 order by 1 desc`),
    db.execute(sql`select
      (select coalesce(sum(earning_sun), 0) from supplier_earnings where supplier_user_id = ${userId}) as s,
      (select coalesce(sum(fee_sun), 0) from wallet_tx_costs
        where supplier_user_id = ${userId} and repaid_entry_id is not null) as repaid`),
    withdrawableSun(userId),
    listPayouts({ userId, limit: 50 }),
  ]);
  const short = await feeShortages(wallets.filter((w) => w.status === "enabled"));
  return {
    profile,
    operator,
    wallets: wallets.map((w) => {
      return { ...w, utilisationBps: utilisationBps(w), shortOf: short.get(w.id) ?? null };
    }),
    earningsByDay: rowsOf<{ day: string; earning: string; parts: string; repaid: string }>(days).map((r) => ({
      day: r.day,
      earningSun: BigInt(r.earning),
      parts: Number(r.parts),
      feesRepaidSun: BigInt(r.repaid),
    })),
    earnedSun: BigInt(rowsOf<{ s: string }>(total)[0].s),
    feesRepaidSun: BigInt(rowsOf<{ repaid: string }>(total)[0].repaid),
    withdrawableSun: withdrawable,
    payouts,
  };
}

/** Whether the user has a supplier profile (the bot's menu shows the supply entry only then). */
export async function isSupplier(userId: number): Promise<boolean> {
  const db = await getDb();
  const [r] = rowsOf<{ yes: boolean }>(
    await db.execute(sql`select exists(select 1 from supplier_profiles where user_id = ${userId}) as yes`),
  );
  return r.yes === true;
}

/** A supplier's wallet as their summary shows it. */
export type SupplierWalletLine = {
  id: number;
  address: string;
  status: PoolWallet["status"];
  /** Why the grant no longer works (null: it does). */
  permissionError: string | null;
  /**
   * Planning may choose it now: the supplier is available, the wallet enabled and its grant intact
   * (an order still needs a price at or above their minimum, and their cap leaves room).
   */
  inSelection: boolean;
  /** Share of the wallet's energy stake delegated at its last refresh, in basis points. */
  utilisationBps: number;
};

export type SupplierSummary = {
  profile: SupplierProfile;
  wallets: SupplierWalletLine[];
  /** Earnings credited since 00:00 UTC today, and in the last 7 × 24 hours. */
  earnedTodaySun: bigint;
  earned7dSun: bigint;
  withdrawableSun: bigint;
  /** The smallest payout (settings `suppliers.payoutMinSun`). */
  payoutMinSun: bigint;
  /**
   * A payout of everything withdrawable can be asked for now: a payout address, and at least the
   * smallest payout withdrawable (`requestPayout` decides again when asked).
   */
  payoutReady: boolean;
  /** The newest payout not yet paid, returned or failed (null: none). */
  openPayout: SupplierPayout | null;
};

/** The supplier's own supply at a glance (the bot's /supplier); null without a profile. */
export async function supplierSummary(userId: number): Promise<SupplierSummary | null> {
  const profile = await getSupplierProfile(userId);
  if (!profile) return null;
  const db = await getDb();
  const [wallets, sums, withdrawable, open, settings] = await Promise.all([
    listSupplierWallets(userId),
    db.execute(sql`select
        coalesce(sum(earning_sun) filter (where created_at >= date_trunc('day', now() at time zone 'UTC') at time zone 'UTC'), 0) as today,
        coalesce(sum(earning_sun), 0) as week
      from supplier_earnings where supplier_user_id = ${userId} and created_at >= now() - interval '7 days'`),
    withdrawableSun(userId),
    db
      .select()
      .from(supplierPayouts)
      .where(
        and(
          eq(supplierPayouts.supplierUserId, userId),
          inArray(supplierPayouts.status, ["pending", "approved", "signed", "broadcast"]),
        ),
      )
      .orderBy(desc(supplierPayouts.id))
      .limit(1),
    getSettings(),
  ]);
  const [s] = rowsOf<{ today: string; week: string }>(sums);
  return {
    profile,
    wallets: wallets.map((w) => ({
      id: w.id,
      address: w.address,
      status: w.status,
      permissionError: w.permissionError,
      inSelection: profile.available && w.status === "enabled" && w.permissionError === null,
      utilisationBps: utilisationBps(w),
    })),
    earnedTodaySun: BigInt(s.today),
    earned7dSun: BigInt(s.week),
    withdrawableSun: withdrawable,
    payoutMinSun: settings.suppliers.payoutMinSun,
    payoutReady:
      profile.payoutAddress !== null && withdrawable > 0n && withdrawable >= settings.suppliers.payoutMinSun,
    openPayout: open[0] ?? null,
  };
}
