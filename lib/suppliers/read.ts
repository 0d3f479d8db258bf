import { sql } from "drizzle-orm";
import { getDb, rowsOf } from "@/db";
import type { SupplierPayout, SupplierProfile } from "@/db/schema";
import { type FeeShortage, feeShortages, operatorAddress, type PoolWallet } from "@/lib/pool";
import { listPayouts, withdrawableSun } from "./payouts";
import { getSupplierProfile, listSupplierWallets } from "./profile";

export type SupplierDashboard = {
  profile: SupplierProfile | null;
  operator: string | null;
  /**
   * `shortOf`: why the wallet is out of selection for what pays its transactions (its bandwidth, its
   * TRX or the daily caps on them), null while it can take one more (lib/pool feeShortages).
   */
  wallets: (PoolWallet & { utilisationBps: number; shortOf: FeeShortage | null })[];
  /** Last 30 UTC days with earnings, newest first. */
  earningsByDay: { day: string; earningSun: bigint; parts: number }[];
  earnedSun: bigint;
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
      withdrawableSun: 0n,
      payouts: [],
    };
  const db = await getDb();
  const [wallets, days, total, withdrawable, payouts] = await Promise.all([
    listSupplierWallets(userId),
    db.execute(sql`select to_char(date_trunc('day', created_at at time zone 'UTC'), 'YYYY-MM-DD') as day,
        sum(earning_sun) as earning, count(*) as parts
      from supplier_earnings where supplier_user_id = ${userId} and created_at >= now() - interval '30 days'
      group by 1 order by 1 desc`),
    db.execute(
      sql`select coalesce(sum(earning_sun), 0) as s from supplier_earnings where supplier_user_id = ${userId}`,
    ),
    withdrawableSun(userId),
    listPayouts({ userId, limit: 50 }),
  ]);
  const short = await feeShortages(wallets.filter((w) => w.status === "enabled"));
  return {
    profile,
    operator,
    wallets: wallets.map((w) => {
      const staked = w.stakedEnergySun;
      const bps = staked > 0n ? Number((w.delegatedEnergySun * 10_000n) / staked) : 0;
      return { ...w, utilisationBps: bps, shortOf: short.get(w.id) ?? null };
    }),
    earningsByDay: rowsOf<{ day: string; earning: string; parts: string }>(days).map((r) => ({
      day: r.day,
      earningSun: BigInt(r.earning),
      parts: Number(r.parts),
    })),
    earnedSun: BigInt(rowsOf<{ s: string }>(total)[0].s),
    withdrawableSun: withdrawable,
    payouts,
  };
}
