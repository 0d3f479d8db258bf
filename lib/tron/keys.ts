import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { TronWeb } from "tronweb";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/log";
import { parseAddress } from "@/lib/tron/address";
import { isSealedImport, openSealedImport, parseSealedImport, sealToWorker } from "@/lib/tron/key-import";

/**
 * Secrets at rest, AES-256-GCM, under two key rings that different processes hold:
 *
 * - the **key ring** (KEY_ENCRYPTION_KEY, …_ID, …_OLD_KEYS) seals supplier wallets' private keys.
 *   Only processes that sign hold it (APP_ROLE `worker` or `all`); the web role refuses to start
 *   with it (lib/env). A web process imports a wallet by sealing its key to the worker's X25519
 *   public key (lib/tron/key-import: a libsodium sealed box, `x1:<keyId>:<box b64>`), which only
 *   the worker can open;
 * - the **data ring** (DATA_ENCRYPTION_KEY, …_ID, …_OLD_KEYS) seals the app's own secrets that the
 *   web uses: admins' TOTP secrets and API keys' callback signing secrets. Both roles hold it.
 *
 * Each AES ciphertext carries the id of the key that sealed it:
 *
 *   v1:<keyId>:<iv b64>:<tag b64>:<ciphertext b64>
 *
 * The "v1:<keyId>" header is authenticated (AAD), so a ciphertext can't be relabelled to another key.
 * Decryption picks the key by id from the ring's current key plus its old keys ("id:base64,…").
 * In a process that holds both rings, the data ring also opens ciphertexts of the key ring's ids,
 * so secrets sealed before the data ring existed stay readable until `npm run keys:rotate`
 * re-seals them. Nothing here ever puts key material (plaintext or key) in a log, message or error.
 */

type KeyErrorReason =
  | "unknown_key_id"
  | "tampered"
  | "malformed"
  | "bad_private_key"
  | "key_mismatch"
  | "bad_config";

export class KeyError extends AppError {
  readonly reason: KeyErrorReason;
  constructor(reason: KeyErrorReason, message: string, details: Record<string, unknown> = {}) {
    super(reason === "key_mismatch" || reason === "bad_private_key" ? "bad_request" : "internal", message, {
      details: { reason, ...details },
    });
    this.name = "KeyError";
    this.reason = reason;
  }
}

/** Clearly insecure fixed key for development and tests only (never accepted in production). */
const DEV_KEY_ID = "dev";
const DEV_KEY = createHash("sha256")
  .update("tron-energy-helper INSECURE development key-encryption key")
  .digest();
const devWarned = { keys: false, data: false };

export type KeyRing = { currentId: string; current: Buffer; byId: Map<string, Buffer> };
type RingName = "keys" | "data";

function decodeKey(variable: string, id: string, b64: string): Buffer {
  const key = Buffer.from(b64.trim(), "base64");
  if (key.length !== 32) {
    throw new KeyError("bad_config", `${variable} "${id}" must be 32 bytes (base64).`, { keyId: id });
  }
  return key;
}

const cachedRings: Partial<Record<RingName, { src: string; ring: KeyRing }>> = {};

/** Whether this process may hold the key ring (everything but the web role). */
function holdsSupplierKeys(): boolean {
  return env.APP_ROLE !== "web";
}

function buildRing(name: RingName): KeyRing {
  const v =
    name === "keys"
      ? { key: env.KEY_ENCRYPTION_KEY, id: env.KEY_ENCRYPTION_KEY_ID, old: env.KEY_ENCRYPTION_OLD_KEYS }
      : { key: env.DATA_ENCRYPTION_KEY, id: env.DATA_ENCRYPTION_KEY_ID, old: env.DATA_ENCRYPTION_OLD_KEYS };
  const variable = name === "keys" ? "KEY_ENCRYPTION_KEY" : "DATA_ENCRYPTION_KEY";
  if (name === "keys" && !holdsSupplierKeys())
    throw new KeyError(
      "bad_config",
      "This process (APP_ROLE=web) holds no key-encryption key: only the worker opens supplier keys.",
    );
  const byId = new Map<string, Buffer>();
  for (const part of v.old.split(",")) {
    const p = part.trim();
    if (!p) continue;
    const i = p.indexOf(":");
    if (i <= 0)
      throw new KeyError(
        "bad_config",
        `${variable.replace("_KEY", "_OLD_KEYS")} must be a list of id:base64.`,
      );
    const id = p.slice(0, i);
    byId.set(id, decodeKey(variable, id, p.slice(i + 1)));
  }
  let currentId: string;
  let current: Buffer;
  if (v.key) {
    currentId = v.id;
    current = decodeKey(variable, currentId, v.key);
  } else {
    if (env.NODE_ENV === "production") throw new KeyError("bad_config", `${variable} is required.`);
    if (!devWarned[name]) {
      devWarned[name] = true;
      logger.warn(
        { keyId: DEV_KEY_ID },
        `${variable} is not set: using the fixed INSECURE development key (id 'dev'). Never use this in production.`,
      );
    }
    currentId = DEV_KEY_ID;
    current = DEV_KEY;
  }
  byId.set(currentId, current);
  return { currentId, current, byId };
}

function ring(name: RingName): KeyRing {
  const src = [
    env.APP_ROLE,
    env.NODE_ENV,
    env.KEY_ENCRYPTION_KEY,
    env.KEY_ENCRYPTION_KEY_ID,
    env.KEY_ENCRYPTION_OLD_KEYS,
    env.DATA_ENCRYPTION_KEY,
    env.DATA_ENCRYPTION_KEY_ID,
    env.DATA_ENCRYPTION_OLD_KEYS,
  ].join("|");
  const hit = cachedRings[name];
  if (hit && hit.src === src) return hit.ring;
  let r = buildRing(name);
  if (name === "data" && holdsSupplierKeys()) {
    // Secrets sealed under the key ring before the data ring existed stay readable here.
    const byId = new Map(buildRing("keys").byId);
    for (const [id, k] of r.byId) byId.set(id, k);
    r = { ...r, byId };
  }
  cachedRings[name] = { src, ring: r };
  return r;
}

/** The key ring (supplier keys); throws in the web role. */
export function supplierKeyRing(): KeyRing {
  return ring("keys");
}

/** The id of the key new supplier-key ciphertexts are sealed with. */
export function currentKeyId(): string {
  return ring("keys").currentId;
}

/** The id of the key new data secrets are sealed with. */
export function currentDataKeyId(): string {
  return ring("data").currentId;
}

function seal(plaintext: string, keyId: string, key: Buffer): string {
  const iv = randomBytes(12);
  const header = `v1:${keyId}`;
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(header));
  const ct = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return `${header}:${iv.toString("base64")}:${tag.toString("base64")}:${ct.toString("base64")}`;
}

type Parsed = { keyId: string; iv: Buffer; tag: Buffer; ct: Buffer };

function parseCiphertext(ciphertext: string): Parsed {
  const parts = typeof ciphertext === "string" ? ciphertext.split(":") : [];
  if (parts.length !== 5 || parts[0] !== "v1") {
    throw new KeyError("malformed", "The stored key is not in a recognised encrypted format.");
  }
  const [, keyId, ivB64, tagB64, ctB64] = parts;
  const iv = Buffer.from(ivB64, "base64");
  const tag = Buffer.from(tagB64, "base64");
  const ct = Buffer.from(ctB64, "base64");
  if (!keyId || iv.length !== 12 || tag.length !== 16 || ct.length === 0) {
    throw new KeyError("malformed", "The stored key is not in a recognised encrypted format.");
  }
  return { keyId, iv, tag, ct };
}

/** The key id a ciphertext was sealed with (for the `key_id` column): AES (`v1`) or sealed box (`x1`). */
export function keyIdOf(ciphertext: string): string {
  if (isSealedImport(ciphertext)) return parseSealedImport(ciphertext).keyId;
  return parseCiphertext(ciphertext).keyId;
}

function open(ciphertext: string, r: KeyRing): string {
  const p = parseCiphertext(ciphertext);
  const key = r.byId.get(p.keyId);
  if (!key) {
    throw new KeyError("unknown_key_id", `No key-encryption key with id "${p.keyId}" is configured.`, {
      keyId: p.keyId,
    });
  }
  try {
    const d = createDecipheriv("aes-256-gcm", key, p.iv);
    d.setAAD(Buffer.from(`v1:${p.keyId}`));
    d.setAuthTag(p.tag);
    return Buffer.concat([d.update(p.ct), d.final()]).toString("utf8");
  } catch {
    // No cause attached: the crypto error is not useful and must not travel.
    throw new KeyError("tampered", "The stored key could not be decrypted (tampered or wrong key).", {
      keyId: p.keyId,
    });
  }
}

/** Encrypts one of the app's own secrets (TOTP, callback secret) with the current data key. */
export function encryptSecret(plaintext: string): string {
  const r = ring("data");
  return seal(plaintext, r.currentId, r.current);
}

/** Decrypts a data secret; unknown key id or any tampering → KeyError (no key material in the error). */
export function decryptSecret(ciphertext: string): string {
  return open(ciphertext, ring("data"));
}

/**
 * Opens a supplier wallet's stored key: AES under the key ring, or a sealed box made by a web
 * process at import (opened with the X25519 key derived from the key ring's key of that id).
 */
export async function decryptSupplierKey(ciphertext: string): Promise<string> {
  if (isSealedImport(ciphertext)) return openSealedImport(ciphertext, ring("keys"));
  return open(ciphertext, ring("keys"));
}

function normalisePrivateKey(privateKeyHex: string): string {
  const pk = typeof privateKeyHex === "string" ? privateKeyHex.trim().replace(/^0x/i, "").toLowerCase() : "";
  if (!/^[0-9a-f]{64}$/.test(pk) || /^0+$/.test(pk)) {
    throw new KeyError("bad_private_key", "A private key is 64 hexadecimal characters.");
  }
  return pk;
}

/** Base58 address of a private key, or a KeyError (never echoing the key). */
function addressOfPrivateKey(privateKeyHex: string): string {
  const pk = normalisePrivateKey(privateKeyHex);
  let addr: string | false;
  try {
    addr = TronWeb.address.fromPrivateKey(pk);
  } catch {
    addr = false;
  }
  if (!addr) throw new KeyError("bad_private_key", "This is not a valid private key.");
  return addr;
}

function checkOwnership(address: string, privateKeyHex: string): string {
  const claimed = parseAddress(address);
  const actual = addressOfPrivateKey(privateKeyHex);
  if (actual !== claimed) {
    throw new KeyError("key_mismatch", "This private key does not belong to that address.", {
      address: claimed,
    });
  }
  return claimed;
}

/**
 * Verifies that `privateKeyHex` controls `address` and returns the AES ciphertext to store under
 * the key ring's current key (`keyIdOf(ciphertext)` gives the key id column). Needs the key ring.
 */
export function importKey(
  address: string,
  privateKeyHex: string,
): { address: string; ciphertext: string; keyId: string } {
  const claimed = checkOwnership(address, privateKeyHex);
  const r = ring("keys");
  const ciphertext = seal(normalisePrivateKey(privateKeyHex), r.currentId, r.current);
  return { address: claimed, ciphertext, keyId: r.currentId };
}

/**
 * `importKey` in any role: a process holding the key ring seals with AES; a web process seals to
 * the worker's published public key, so the web can never open the stored key again.
 */
export async function sealNewSupplierKey(
  address: string,
  privateKeyHex: string,
): Promise<{ address: string; ciphertext: string; keyId: string }> {
  if (holdsSupplierKeys()) return importKey(address, privateKeyHex);
  const claimed = checkOwnership(address, privateKeyHex);
  const ciphertext = await sealToWorker(normalisePrivateKey(privateKeyHex));
  return { address: claimed, ciphertext, keyId: keyIdOf(ciphertext) };
}

/**
 * Runs `fn` with the decrypted private key. The plaintext exists only for the duration of `fn`;
 * any error thrown by `fn` has the key scrubbed from its message before it propagates.
 */
export async function withDecryptedKey<T>(
  ciphertext: string,
  fn: (privateKeyHex: string) => Promise<T> | T,
): Promise<T> {
  const pk = await decryptSupplierKey(ciphertext);
  try {
    return await fn(pk);
  } catch (e) {
    throw scrubError(e, pk);
  }
}

/** Replaces an error whose text mentions `secret` with a clean one. */
export function scrubError(e: unknown, secret: string): unknown {
  const leaks = (v: unknown): boolean => {
    try {
      const s =
        typeof v === "string" ? v : v instanceof Error ? `${v.message} ${v.stack ?? ""}` : JSON.stringify(v);
      return typeof s === "string" && s.toLowerCase().includes(secret.toLowerCase());
    } catch {
      return true;
    }
  };
  if (e instanceof AppError && !leaks(e) && !leaks(e.details) && !leaks((e as { cause?: unknown }).cause))
    return e;
  if (e instanceof AppError)
    return new AppError(
      e.code,
      e.code === "internal" ? "Signing failed." : e.message.replaceAll(secret, "[redacted]"),
    );
  if (e instanceof Error && !leaks(e)) {
    // Drop the cause chain (could hold anything) but keep the message.
    const clean = new Error(e.message);
    clean.name = e.name;
    return clean;
  }
  return new Error("Signing failed.");
}

/** Re-encrypts a supplier key under the key ring's current key (sealed imports become AES). */
export async function reencryptSupplierKey(ciphertext: string): Promise<string> {
  const r = ring("keys");
  return seal(await decryptSupplierKey(ciphertext), r.currentId, r.current);
}

/** Re-encrypts a data secret under the data ring's current key. */
export function reencryptSecret(ciphertext: string): string {
  return encryptSecret(decryptSecret(ciphertext));
}
