/**
 * npm run keys:rotate — re-encrypts every stored secret (supplier-wallet private keys, API callback
 * signing secrets, admin TOTP secrets) with the current KEY_ENCRYPTION_KEY (id
 * KEY_ENCRYPTION_KEY_ID). Keep the previous key in KEY_ENCRYPTION_OLD_KEYS ("id:base64,…") while
 * this runs; remove it afterwards. Safe to re-run: rows already on the current
 * key are skipped, and each update only applies if the row still holds the ciphertext we read
 * (lib/tron/rotate).
 *
 *   npm run keys:rotate            # rotate
 *   npm run keys:rotate -- --dry-run
 *
 * Prints counts and row labels (wallet address, key prefix, admin email) only, never key material.
 */
import { announceTarget } from "@/scripts/load-env";
import { closeDb } from "@/db";
import { KeyError } from "@/lib/tron/keys";
import { rotateStoredSecrets } from "@/lib/tron/rotate";

async function main(): Promise<number> {
  const dryRun = process.argv.includes("--dry-run");
  await announceTarget(dryRun ? "keys:rotate (dry run)" : "keys:rotate", { network: false, keys: true });
  const r = await rotateStoredSecrets({ dryRun });
  for (const line of r.lines) console.warn(line);
  console.log(
    `${dryRun ? "[dry run] would rotate" : "rotated"} ${r.rotated}, already on the current key ${r.current}, failed ${r.failed}, total ${r.total}`,
  );
  return r.failed > 0 ? 1 : 0;
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
