import { eq } from "drizzle-orm";
import { getDb } from "@/db";
import { type Delegation, delegations, supplierWallets } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/log";
import { refreshWallet } from "@/lib/pool";

/** An order's delegations ("parts", one per supplier wallet), as fulfilment and reclaim read them. */

/** Part statuses on their way to the chain: they hold the order's energy until they end. */
export const IN_FLIGHT = ["planned", "signed", "broadcast"] as const;

export async function loadPart(id: number): Promise<Delegation> {
  const db = await getDb();
  const [d] = await db.select().from(delegations).where(eq(delegations.id, id));
  if (!d) throw new AppError("not_found", `Delegation ${id} not found.`);
  return d;
}

export async function walletAddress(id: number): Promise<string> {
  const db = await getDb();
  const [w] = await db
    .select({ a: supplierWallets.address })
    .from(supplierWallets)
    .where(eq(supplierWallets.id, id));
  return w.a;
}

export async function walletsOfOrder(orderId: number): Promise<number[]> {
  const db = await getDb();
  const rows = await db
    .selectDistinct({ id: delegations.supplierWalletId })
    .from(delegations)
    .where(eq(delegations.orderId, orderId));
  return rows.map((r) => r.id);
}

/** Refreshes wallets from the chain (after a refusal, or after delivery). Never throws. */
export async function refreshWallets(ids: number[]): Promise<number[]> {
  const done: number[] = [];
  for (const id of [...new Set(ids)]) {
    try {
      await refreshWallet(id);
      done.push(id);
    } catch (e) {
      logger.warn({ walletId: id, err: e instanceof Error ? e.message : String(e) }, "wallet refresh failed");
    }
  }
  return done;
}
