/**
 * npm run keys:rotate — re-encrypts every stored supplier-wallet private key with the current
 * KEY_ENCRYPTION_KEY (id KEY_ENCRYPTION_KEY_ID). Keep the previous key in KEY_ENCRYPTION_OLD_KEYS
 * ("id:base64,…") while this runs; remove it afterwards. Safe to re-run: rows already on the current
 * key are skipped, and each update only applies if the row still holds the ciphertext we read.
 *
 *   npm run keys:rotate            # rotate
 *   npm run keys:rotate -- --dry-run
 *
 * Prints counts and wallet addresses only, never key material.
 */
import { announceTarget } from "@/scripts/load-env";
import { and, eq, isNotNull } from "drizzle-orm";
import { closeDb, getDb } from "@/db";
import { supplierWallets } from "@/db/schema";
import { currentKeyId, KeyError, keyIdOf, reencrypt } from "@/lib/tron/keys";

async function main(): Promise<number> {
  const dryRun = process.argv.includes("--dry-run");
  await announceTarget(dryRun ? "keys:rotate (dry run)" : "keys:rotate", { network: false, keys: true });
  const db = await getDb();
  const target = currentKeyId();
  const rows = await db
    .select({
      id: supplierWallets.id,
      address: supplierWallets.address,
      encryptedKey: supplierWallets.encryptedKey,
    })
    .from(supplierWallets)
    .where(isNotNull(supplierWallets.encryptedKey));
  let rotated = 0;
  let current = 0;
  let failed = 0;
  for (const row of rows) {
    const ct = row.encryptedKey!;
    try {
      if (keyIdOf(ct) === target) {
        current++;
        continue;
      }
      const next = reencrypt(ct);
      if (!dryRun) {
        const res = await db
          .update(supplierWallets)
          .set({ encryptedKey: next, keyId: target, updatedAt: new Date() })
          .where(and(eq(supplierWallets.id, row.id), eq(supplierWallets.encryptedKey, ct)))
          .returning({ id: supplierWallets.id });
        if (res.length === 0) {
          console.warn(`wallet ${row.address}: changed while rotating; re-run to pick it up`);
          continue;
        }
      }
      rotated++;
    } catch (e) {
      failed++;
      const why = e instanceof KeyError ? e.reason : "error";
      console.error(`wallet ${row.address}: cannot re-encrypt (${why})`);
    }
  }
  console.log(
    `${dryRun ? "[dry run] would rotate" : "rotated"} ${rotated}, already on key "${target}" ${current}, failed ${failed}, total ${rows.length}`,
  );
  return failed > 0 ? 1 : 0;
}

main()
  .then(async (code) => {
    await closeDb();
    process.exit(code);
  })
  .catch(async (e) => {
    console.error(`keys:rotate failed: ${e instanceof KeyError ? e.message : ((e as Error)?.message ?? e)}`);
    await closeDb().catch(() => {});
    process.exit(1);
  });
