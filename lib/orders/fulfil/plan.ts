import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { getDb } from "@/db";
import { delegations, orders } from "@/db/schema";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { planDelegation, walletsLockedToReceiver } from "@/lib/pool";
import { chainNow } from "@/lib/pool/chain";
import { tron } from "@/lib/tron/client";
import { getSettings } from "@/lib/settings";
import {
  delegationSunForEnergy,
  driftHeadroomBps,
  LockPeriodError,
  lockPeriodBlocksLive,
} from "@/lib/tron/resources";
import { IN_FLIGHT } from "../parts";
import { addOrderEvent } from "../transitions";

type PlanResult = { parts: number[]; noCapacity: boolean; remainingEnergy: string };

/**
 * Plans the order's uncovered energy (order energy − parts planned/signed/broadcast/confirmed):
 * sizes it from the chain's live weights, and under the wallet row locks picks wallets (best fit or
 * split) and inserts one `planned` delegation per wallet. Returns the in-flight part ids.
 */
export async function planOrder(orderId: number, excludeWalletIds: number[] = []): Promise<PlanResult> {
  const db = await getDb();
  const [o0] = await db.select().from(orders).where(eq(orders.id, orderId));
  if (!o0) throw new AppError("not_found", `Order ${orderId} not found.`);
  const client = tron();
  const weights = await client.getEnergyWeights();
  let lockBlocks: number;
  try {
    lockBlocks = await lockPeriodBlocksLive(client, o0.durationSeconds);
  } catch (e) {
    // The network's maximum lock is shorter than the rental: no wallet can deliver it.
    if (!(e instanceof LockPeriodError)) throw e;
    await addOrderEvent(db, { orderId, type: "no_capacity", details: { reason: e.message } });
    return { parts: [], noCapacity: true, remainingEnergy: o0.energy.toString() };
  }
  const [nowMs, settings, params] = await Promise.all([
    chainNow(),
    getSettings(),
    client.getChainParameters(),
  ]);
  const out = await db.transaction(async (tx) => {
    // The pool's wallet row locks are its queue: every plan takes them in turn, so a burst of orders
    // waits here by design. It may wait as long as a statement may run, not the short lock timeout
    // meant to catch a stuck transaction (with that, 50 orders at once failed plans under load).
    const waitMs = Math.max(env.DATABASE_LOCK_TIMEOUT_MS, env.DATABASE_STATEMENT_TIMEOUT_MS);
    await tx.execute(sql.raw(`set local lock_timeout = '${Math.floor(waitMs)}ms'`));
    const [o] = await tx.select().from(orders).where(eq(orders.id, orderId)).for("update");
    if (o.status !== "delegating") return { parts: [], noCapacity: false, remainingEnergy: "0" };
    const parts = await tx.select().from(delegations).where(eq(delegations.orderId, orderId));
    const covered = parts.filter((d) => d.status !== "failed").reduce((a, d) => a + d.energy, 0n);
    const remaining = o.energy - covered;
    let noCapacity = false;
    if (remaining > 0n) {
      // headroom for the network's total stake growing during the rental (the energy falls with it)
      const headroomBps = driftHeadroomBps(o.durationSeconds, settings.driftHeadroomBpsPerDay);
      const needSun = delegationSunForEnergy(remaining, weights, { headroomBps });
      const plan = await planDelegation(tx, {
        needSun,
        excludeWalletIds,
        receiver: o.receiverAddress,
        nowMs,
        sunPerByte: params.getTransactionFee,
        order: { priceSun: o.priceSun, energy: o.energy, durationSeconds: o.durationSeconds, needEnergy: remaining },
        rule: settings.suppliers.selection,
      });
      if (!plan) {
        noCapacity = true;
        const lockedToReceiver = await walletsLockedToReceiver(tx, o.receiverAddress, nowMs);
        await addOrderEvent(tx, {
          orderId,
          type: "no_capacity",
          details: { remainingEnergy: remaining, needSun, excluded: excludeWalletIds, lockedToReceiver },
        });
      } else {
        let energyLeft = remaining;
        const rows = plan.map((p, idx) => {
          const e = idx === plan.length - 1 ? energyLeft : (remaining * p.sun) / needSun;
          energyLeft -= e;
          return {
            orderId,
            supplierWalletId: p.walletId,
            receiverAddress: o.receiverAddress,
            sun: p.sun,
            energy: e,
            lockPeriodBlocks: lockBlocks,
            status: "planned" as const,
          };
        });
        const inserted = await tx.insert(delegations).values(rows).returning({ id: delegations.id });
        await addOrderEvent(tx, {
          orderId,
          type: "planned",
          details: {
            parts: plan.map((p, idx) => ({
              delegationId: inserted[idx].id,
              walletId: p.walletId,
              sun: p.sun,
            })),
            energy: remaining,
            lockPeriodBlocks: lockBlocks,
          },
        });
      }
    }
    const open = await tx
      .select({ id: delegations.id })
      .from(delegations)
      .where(and(eq(delegations.orderId, orderId), inArray(delegations.status, [...IN_FLIGHT])))
      .orderBy(asc(delegations.id));
    return { parts: open.map((d) => d.id), noCapacity, remainingEnergy: remaining.toString() };
  });
  return out;
}
