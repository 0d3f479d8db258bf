import { and, eq, sql } from "drizzle-orm";
import { getDb } from "@/db";
import { delegations } from "@/db/schema";
import { logger } from "@/lib/log";
import { walletSigner } from "@/lib/pool";
import { tron } from "@/lib/tron/client";
import { energyForSun, SUN_PER_TRX } from "@/lib/tron/resources";
import { buildUndelegateEnergy } from "@/lib/tron/tx";
import { loadPart } from "../parts";
import { addOrderEvent } from "../transitions";

/**
 * What undelegating `sun` from the receiver will cost the supplier after the rental
 * (UnDelegateResourceActuator): the receiver's share of its used energy,
 * min(energy of `sun`, usage × sun / its whole energy stake), moves to the owner and keeps that
 * much stake from being delegated again until it recovers (about 24 h). Null when not readable.
 */
async function estimateMovedUsage(
  receiver: string,
  sun: bigint,
): Promise<{ energy: bigint; blockedSun: bigint } | null> {
  try {
    const client = tron();
    const [res, acct, w] = await Promise.all([
      client.getAccountResources(receiver),
      client.getAccount(receiver),
      client.getEnergyWeights(),
    ]);
    const stake = acct.frozenEnergySun + acct.delegatedInEnergySun;
    if (stake <= 0n || acct.delegatedInEnergySun < sun || res.energyUsed <= 0n)
      return { energy: 0n, blockedSun: 0n };
    const share = (res.energyUsed * sun) / stake;
    const max = energyForSun(sun, w);
    const energy = share < max ? share : max;
    const blockedSun =
      (energy * w.totalEnergyWeight * SUN_PER_TRX + w.totalEnergyLimit - 1n) / w.totalEnergyLimit;
    return { energy, blockedSun };
  } catch (e) {
    logger.warn({ receiver, err: (e as Error).message }, "could not estimate the usage a reclaim moves");
    return null;
  }
}

/** Signs the undelegate tx for `sun` and stores it before broadcast (with the usage it will move). */
export async function signReclaim(id: number, sun: bigint): Promise<{ txid: string }> {
  const d = await loadPart(id);
  if (d.reclaimTxid) return { txid: d.reclaimTxid };
  const w = await walletSigner(d.supplierWalletId);
  const [signed, moved] = await Promise.all([
    buildUndelegateEnergy(
      tron(),
      { owner: w.address, receiver: d.receiverAddress, sun },
      { encryptedKey: w.encryptedKey },
      w.permissionId !== undefined ? { permissionId: w.permissionId } : {},
    ),
    estimateMovedUsage(d.receiverAddress, sun),
  ]);
  const db = await getDb();
  const ok = await db.transaction(async (tx) => {
    const rows = await tx
      .update(delegations)
      .set({
        reclaimSun: sun,
        reclaimSignedTx: signed.signedTx,
        reclaimTxid: signed.txid,
        reclaimTxExpiresAt: new Date(signed.expiration),
        reclaimAttempts: sql`${delegations.reclaimAttempts} + 1`,
        ...(moved ? { reclaimMovedEnergy: moved.energy, reclaimBlockedSun: moved.blockedSun } : {}),
      })
      .where(and(eq(delegations.id, id), sql`${delegations.reclaimTxid} is null`))
      .returning({ id: delegations.id });
    if (rows.length)
      await addOrderEvent(tx, {
        orderId: d.orderId,
        type: "reclaim_signed",
        details: { delegationId: id, txid: signed.txid, sun },
      });
    return rows.length > 0;
  });
  if (!ok) return { txid: (await loadPart(id)).reclaimTxid! };
  return { txid: signed.txid };
}
