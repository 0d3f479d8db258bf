import { sql } from "drizzle-orm";
import { getDb, rowsOf } from "@/db";
import type { SupplierPayout, SupplierProfile } from "@/db/schema";
import { operatorAddress, type PoolWallet } from "@/lib/pool";
import { listPayouts, withdrawableSun } from "./payouts";
import { getSupplierProfile, listSupplierWallets } from "./profile";

export type SupplierDashboard = {
  profile: SupplierProfile | null;
  operator: string | null;
  wallets: (PoolWallet & { utilisationBps: number })[];
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
  return {
    profile,
    operator,
    wallets: wallets.map((w) => {
      const staked = w.stakedEnergySun;
      const bps = staked > 0n ? Number((w.delegatedEnergySun * 10_000n) / staked) : 0;
      return { ...w, utilisationBps: bps };
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
