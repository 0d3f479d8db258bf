/**
 * npm run keys:rotate — re-encrypts every stored secret under its ring's current key: supplier-wallet
 * private keys under KEY_ENCRYPTION_KEY (keys a web process sealed to the worker at import become
 * AES too), API callback signing secrets and admin TOTP secrets under DATA_ENCRYPTION_KEY. Run it
 * with the worker's environment (it holds both rings). Keep the previous keys in
 * KEY_ENCRYPTION_OLD_KEYS / DATA_ENCRYPTION_OLD_KEYS ("id:base64,…") while this runs; remove them
 * afterwards. Safe to re-run: rows already on the current
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
