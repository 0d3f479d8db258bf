import { and, eq } from "drizzle-orm";
import { getDb } from "@/db";
import { type Delegation, delegations } from "@/db/schema";
import { raiseAlert } from "@/lib/alerts";
import { AppError } from "@/lib/errors";
import { nextUtcDay, permissionGate, walletSigner } from "@/lib/pool";
import { chainNow } from "@/lib/pool/chain";
import { tron } from "@/lib/tron/client";
import { loadPart } from "../parts";
import { publishOrderChanges } from "../publish";
import { addOrderEvent, type Changed, transitionIn } from "../transitions";
import { finishReclaim } from "./confirm";
import { NO_BANDWIDTH_RETRY_MS } from "./limits";

type ReclaimPrep =
  | { state: "done" | "signed" | "gone" }
  | { state: "ready"; sun: string }
  | { state: "locked"; waitMs: number; lockedSun: string; until: string }
  | { state: "waiting"; reason: "permission_revoked" | "daily_cap"; until: string };

/**
 * Marks the delegation (and its order) `reclaiming` and reads getdelegatedresourcev2 for the exact
 * unlockable amount: the unlocked record plus locked records whose expiry has passed (chain time).
 */
export async function prepareReclaim(id: number): Promise<ReclaimPrep> {
  const d = await loadPart(id);
  if (d.status === "reclaimed" || d.status === "failed") return { state: "done" };
  if (d.status !== "confirmed" && d.status !== "reclaiming")
    throw new AppError("invalid_state", `Delegation ${id} is ${d.status}, not delivered.`);
  const db = await getDb();
  const changes = await db.transaction(async (tx) => {
    const out: (Changed | null)[] = [];
    const rows = await tx
      .update(delegations)
      .set({ status: "reclaiming" })
      .where(and(eq(delegations.id, id), eq(delegations.status, "confirmed")))
      .returning({ id: delegations.id });
    if (rows.length)
      out.push(
        await transitionIn(tx, d.orderId, ["active"], "reclaiming", "reclaim_started", { delegationId: id }),
      );
    return out;
  });
  await publishOrderChanges(changes);
  if (d.reclaimTxid) return { state: "signed" };
  const w = await walletSigner(d.supplierWalletId);
  const client = tron();
  const [records, now] = await Promise.all([
    client.getDelegatedResourceV2(w.address, d.receiverAddress),
    chainNow(),
  ]);
  let unlockable = 0n;
  let lockedSun = 0n;
  let nextUnlock = Number.POSITIVE_INFINITY;
  for (const r of records) {
    if (r.energySun <= 0n) continue;
    // java-tron unlocks a locked record only once its expiry is strictly before the head block time
    if (!r.energyExpireAt || r.energyExpireAt < now) unlockable += r.energySun;
    else {
      lockedSun += r.energySun;
      nextUnlock = Math.min(nextUnlock, r.energyExpireAt);
    }
  }
  const sun = d.sun < unlockable ? d.sun : unlockable;
  if (sun > 0n) {
    // permission mode: nothing is signed while the grant is revoked (the owner must undelegate;
    // once they have, the next look finds it gone) or the owner's daily caps are spent
    const gate = await permissionGate(d.supplierWalletId, now, d.id);
    if (!gate.ok) return waitForPermission(d, gate.kind, gate.message, now);
    return { state: "ready", sun: sun.toString() };
  }
  if (lockedSun > 0n) {
    // the first block after the expiry sees it unlocked
    const until = new Date(nextUnlock + 3000);
    await db.update(delegations).set({ reclaimAfter: until }).where(eq(delegations.id, id));
    return {
      state: "locked",
      waitMs: Math.max(1000, nextUnlock - now + 3000),
      lockedSun: lockedSun.toString(),
      until: until.toISOString(),
    };
  }
  return { state: "gone" };
}

/**
 * A permission-mode wallet's reclaim cannot be signed now: revoked → flagged for the owner and
 * looked at again after NO_BANDWIDTH_RETRY_MS; daily caps spent → after the next UTC midnight.
 */
async function waitForPermission(
  d: Delegation,
  reason: "permission_revoked" | "daily_cap",
  message: string,
  now: number,
): Promise<ReclaimPrep> {
  const until = reason === "daily_cap" ? nextUtcDay(now) : new Date(now + NO_BANDWIDTH_RETRY_MS);
  const db = await getDb();
  await db.transaction(async (tx) => {
    await tx
      .update(delegations)
      .set({
        reclaimAfter: until,
        ...(reason === "permission_revoked" ? { ownerReclaimAt: d.ownerReclaimAt ?? new Date() } : {}),
      })
      .where(eq(delegations.id, d.id));
    await addOrderEvent(tx, {
      orderId: d.orderId,
      type: "reclaim_stalled",
      details: {
        delegationId: d.id,
        walletId: d.supplierWalletId,
        reason,
        message,
        until: until.toISOString(),
      },
    });
  });
  return { state: "waiting", reason, until: until.toISOString() };
}

/** Nothing of ours is delegated any more (undelegated outside the app): close it, and say so. */
export async function markGone(id: number): Promise<{ status: string }> {
  const d = await loadPart(id);
  await raiseAlert({
    rule: "reclaim_nothing_on_chain",
    dedupeKey: `reclaim:gone:${id}`,
    severity: "info",
    message: `Delegation ${id} was no longer on chain when reclaimed (undelegated elsewhere?).`,
    details: { delegationId: id, orderId: d.orderId },
  });
  return finishReclaim(id, { fee: 0n, note: "nothing delegated on chain" });
}
