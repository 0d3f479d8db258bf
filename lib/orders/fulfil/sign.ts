import { and, eq } from "drizzle-orm";
import { getDb } from "@/db";
import { type Delegation, delegations } from "@/db/schema";
import { permissionGate, walletSigner } from "@/lib/pool";
import { chainNow } from "@/lib/pool/chain";
import { tron } from "@/lib/tron/client";
import { isChainError } from "@/lib/tron/errors";
import { buildDelegateEnergy } from "@/lib/tron/tx";
import { loadPart } from "../parts";
import { addOrderEvent } from "../transitions";
import { failPartIf, type PartState, VALIDATION_KINDS } from "./part-state";

/**
 * Signs the part's delegateResource tx and stores signed tx + txid + expiration (status `signed`)
 * BEFORE anything is broadcast. Checks getcandelegatedmaxsize first; a shortfall fails the part
 * (its wallet is refreshed and the order re-planned elsewhere), as does a permission-mode wallet
 * whose grant is revoked or whose owner's daily caps are reached. The key is decrypted only here
 * (for a permission-mode wallet, the operator key, with the owner's Permission_id).
 */
export async function signPart(id: number): Promise<PartState> {
  const d = await loadPart(id);
  if (d.status === "signed" || d.status === "broadcast")
    return { state: "signed", txid: d.txid ?? undefined };
  if (d.status === "confirmed" || d.status === "reclaiming" || d.status === "reclaimed")
    return { state: "confirmed", txid: d.txid ?? undefined };
  if (d.status === "failed")
    return { state: "failed", walletId: d.supplierWalletId, kind: d.error ?? "failed" };
  const client = tron();
  const w = await walletSigner(d.supplierWalletId);
  const [max, records, now] = await Promise.all([
    client.getCanDelegatedMaxSize(w.address, "ENERGY"),
    client.getDelegatedResourceV2(w.address, d.receiverAddress),
    chainNow(),
  ]);
  if (max < d.sun)
    return refuseUnsigned(d, "insufficient_delegatable", `can delegate ${max} sun, part needs ${d.sun} sun`);
  // A locked delegation to this receiver the database does not know of (made outside the app):
  // ours would merge into its lock. Never signed, so nothing is burned; re-planned elsewhere.
  const lockedUntil = records.reduce(
    (m, r) =>
      r.energySun > 0n && r.energyExpireAt !== null && r.energyExpireAt >= now
        ? Math.max(m, r.energyExpireAt)
        : m,
    0,
  );
  if (lockedUntil)
    return refuseUnsigned(
      d,
      "receiver_locked",
      `the wallet already has a delegation to ${d.receiverAddress} locked until ${new Date(lockedUntil).toISOString()}`,
    );
  // permission mode: the grant must still hold and the owner's daily caps leave room for this tx
  const gate = await permissionGate(d.supplierWalletId, now, d.id);
  if (!gate.ok) return refuseUnsigned(d, gate.kind, gate.message);
  let signed: Awaited<ReturnType<typeof buildDelegateEnergy>>;
  try {
    signed = await buildDelegateEnergy(
      client,
      {
        owner: w.address,
        receiver: d.receiverAddress,
        sun: d.sun,
        lock: true,
        lockPeriodBlocks: d.lockPeriodBlocks,
      },
      { encryptedKey: w.encryptedKey },
      // permission mode: the operator key signs through the owner's Active permission
      w.permissionId !== undefined ? { permissionId: w.permissionId } : {},
    );
  } catch (e) {
    if (isChainError(e) && VALIDATION_KINDS.has(e.kind)) return refuseUnsigned(d, e.kind, e.chainMessage);
    throw e;
  }
  const db = await getDb();
  const stored = await db.transaction(async (tx) => {
    const rows = await tx
      .update(delegations)
      .set({
        status: "signed",
        signedTx: signed.signedTx,
        txid: signed.txid,
        txExpiresAt: new Date(signed.expiration),
      })
      .where(and(eq(delegations.id, id), eq(delegations.status, "planned")))
      .returning({ id: delegations.id });
    if (rows.length)
      await addOrderEvent(tx, {
        orderId: d.orderId,
        type: "tx_signed",
        details: { delegationId: id, txid: signed.txid, walletId: d.supplierWalletId, sun: d.sun },
      });
    return rows.length > 0;
  });
  if (!stored) return signPart(id); // raced with another run: use what it stored
  return { state: "signed", txid: signed.txid };
}

/** A refusal found before signing: only a part still `planned` is failed; else its current state. */
async function refuseUnsigned(d: Delegation, kind: string, message: string): Promise<PartState> {
  if (await failPartIf(d, kind, message, ["planned"]))
    return { state: "failed", walletId: d.supplierWalletId, kind };
  return signPart(d.id);
}
