import { hkdfSync } from "node:crypto";
import { desc, sql } from "drizzle-orm";
import sodium from "libsodium-wrappers";
import { getDb } from "@/db";
import { keyImportKeys } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/log";
import { KeyError, type KeyRing, supplierKeyRing } from "@/lib/tron/keys";

/**
 * Importing a supplier wallet in a process that must not hold the key-encryption key (APP_ROLE=web).
 *
 * The worker derives an X25519 key pair from each key-encryption key it holds (HKDF-SHA256 over the
 * 32-byte key, then libsodium's `crypto_box_seed_keypair`) and publishes the public half of the
 * current one in `key_import_keys` when it starts. The web seals a newly imported private key to
 * the newest published public key with libsodium's sealed box (`crypto_box_seal`: an ephemeral
 * X25519 key, XSalsa20-Poly1305), stored as `x1:<keyId>:<box base64>`. Only a process holding the
 * key-encryption key of that id can open it; `npm run keys:rotate` re-seals such keys with AES under
 * the current key like every other. Rotating the key-encryption key rotates the import key with it.
 */

const PREFIX = "x1";
const INFO = "tron-energy-helper supplier-key import x25519 v1";

type KeyPair = { publicKey: Uint8Array; privateKey: Uint8Array };

async function ready(): Promise<typeof sodium> {
  await sodium.ready;
  return sodium;
}

/** The X25519 key pair of one key-encryption key (deterministic: same key, same pair). */
async function importKeyPair(kek: Buffer): Promise<KeyPair> {
  const s = await ready();
  const seed = new Uint8Array(hkdfSync("sha256", kek, Buffer.alloc(0), INFO, 32));
  const kp = s.crypto_box_seed_keypair(seed);
  seed.fill(0);
  return { publicKey: kp.publicKey, privateKey: kp.privateKey };
}

export function isSealedImport(ciphertext: string): boolean {
  return typeof ciphertext === "string" && ciphertext.startsWith(`${PREFIX}:`);
}

export function parseSealedImport(ciphertext: string): { keyId: string; box: Buffer } {
  const parts = ciphertext.split(":");
  const box = parts.length === 3 ? Buffer.from(parts[2], "base64") : Buffer.alloc(0);
  // A sealed box is the 32-byte ephemeral public key, a 16-byte tag and the message.
  if (parts.length !== 3 || parts[0] !== PREFIX || !parts[1] || box.length <= 48)
    throw new KeyError("malformed", "The stored key is not in a recognised encrypted format.");
  return { keyId: parts[1], box };
}

/** Opens a sealed import with the key ring's key of its id (worker only). */
export async function openSealedImport(ciphertext: string, ring: KeyRing): Promise<string> {
  const { keyId, box } = parseSealedImport(ciphertext);
  const kek = ring.byId.get(keyId);
  if (!kek)
    throw new KeyError("unknown_key_id", `No key-encryption key with id "${keyId}" is configured.`, {
      keyId,
    });
  const s = await ready();
  const kp = await importKeyPair(kek);
  try {
    return s.to_string(s.crypto_box_seal_open(new Uint8Array(box), kp.publicKey, kp.privateKey));
  } catch {
    throw new KeyError("tampered", "The stored key could not be decrypted (tampered or wrong key).", {
      keyId,
    });
  } finally {
    kp.privateKey.fill(0);
  }
}

/**
 * Publishes this process's import public key (the key ring's current key), so web processes can
 * seal new wallets' keys to it. Called by a worker (or a single `all` process) when it starts;
 * idempotent, and the newest publication wins.
 */
export async function publishImportKey(): Promise<{ keyId: string; publicKey: string }> {
  const ring = supplierKeyRing();
  const kp = await importKeyPair(ring.current);
  kp.privateKey.fill(0);
  const publicKey = Buffer.from(kp.publicKey).toString("base64");
  const db = await getDb();
  await db
    .insert(keyImportKeys)
    .values({ keyId: ring.currentId, publicKey })
    .onConflictDoUpdate({ target: keyImportKeys.keyId, set: { publicKey, publishedAt: sql`now()` } });
  logger.info({ keyId: ring.currentId, publicKey }, "supplier-key import key published");
  return { keyId: ring.currentId, publicKey };
}

/** Seals a private key to the newest published import key (web role). */
export async function sealToWorker(plaintext: string): Promise<string> {
  const db = await getDb();
  const [row] = await db
    .select()
    .from(keyImportKeys)
    .orderBy(desc(keyImportKeys.publishedAt), desc(keyImportKeys.keyId))
    .limit(1);
  if (!row)
    throw new AppError(
      "provider_unavailable",
      "No worker has published its key-import key yet: start the worker (APP_ROLE=worker), then import again.",
    );
  const pub = Buffer.from(row.publicKey, "base64");
  if (pub.length !== 32)
    throw new AppError(
      "internal",
      `The published key-import key "${row.keyId}" is not an X25519 public key.`,
    );
  const s = await ready();
  const box = s.crypto_box_seal(plaintext, new Uint8Array(pub));
  return `${PREFIX}:${row.keyId}:${Buffer.from(box).toString("base64")}`;
}
