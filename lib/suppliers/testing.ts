import { eq } from "drizzle-orm";
import { getDb } from "@/db";
import { supplierWallets } from "@/db/schema";
import { devnetAccount } from "@/devnet/genesis";
import type { OrderKit } from "@/lib/orders/testing";
import { type PoolWallet, permissionSetup, refreshWallet } from "@/lib/pool";
import { createUser } from "@/lib/users";
import { ownershipMessage, registerSupplierWallet, saveSupplierProfile } from "./profile";

/**
 * Test helpers (DEVNET ONLY keys): a third-party supplier whose wallet is a devnet genesis account in
 * permission mode, set up as the portal does it — the owner signs the grant the page shows and the
 * ownership message with the account's own key. Not used by the app.
 */

export type TestSupplierTerms = {
  minPriceSunPerEnergyDay: bigint;
  available?: boolean;
  energyCap?: bigint | null;
};

/**
 * A new user with a supplier profile on `terms` whose wallet is devnet account `index`, granted,
 * registered and enabled. An earlier row of that wallet (another test's) is removed first, so the
 * registration takes it over.
 */
export async function supplierWithWallet(
  kit: Pick<OrderKit, "client" | "mine">,
  index: number,
  terms: TestSupplierTerms,
): Promise<{ userId: number; wallet: PoolWallet }> {
  const owner = devnetAccount(index);
  const db = await getDb();
  await db
    .update(supplierWallets)
    .set({ removedAt: new Date() })
    .where(eq(supplierWallets.address, owner.base58));
  const user = await createUser({ firstName: "supplier" });
  await saveSupplierTerms(user.id, terms);
  const tw = kit.client.tronWeb;
  const setup = await permissionSetup(owner.base58);
  if (!setup.granted) {
    const r = await tw.trx.sendRawTransaction(
      await tw.trx.sign(setup.transaction as never, owner.privateKey),
    );
    if (!r.result) throw new Error(`grant refused: ${JSON.stringify(r)}`);
    await kit.mine();
  }
  const signature = tw.trx.signMessageV2(ownershipMessage(user.id, owner.base58), owner.privateKey);
  const w = await registerSupplierWallet(user.id, { address: owner.base58, signature });
  await db.update(supplierWallets).set({ status: "enabled" }).where(eq(supplierWallets.id, w.id));
  return { userId: user.id, wallet: await refreshWallet(w.id) };
}

/** Changes a test supplier's terms (no payout address). */
export async function saveSupplierTerms(userId: number, terms: TestSupplierTerms): Promise<void> {
  await saveSupplierProfile(userId, {
    minPriceSunPerEnergyDay: terms.minPriceSunPerEnergyDay,
    available: terms.available ?? true,
    energyCap: terms.energyCap ?? null,
    payoutAddress: null,
  });
}

/** The wallet of devnet account `index` goes back to being nobody's (suites share the database). */
export async function releaseSupplierWallet(index: number): Promise<void> {
  const db = await getDb();
  await db
    .update(supplierWallets)
    .set({ supplierUserId: null })
    .where(eq(supplierWallets.address, devnetAccount(index).base58));
}
