import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { TronWeb } from "tronweb";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/log";
import { parseAddress } from "@/lib/tron/address";

/**
 * Private keys at rest: AES-256-GCM with KEY_ENCRYPTION_KEY (32 bytes, base64). Each ciphertext
 * carries the id of the key that sealed it:
 *
 *   v1:<keyId>:<iv b64>:<tag b64>:<ciphertext b64>
 *
 * The "v1:<keyId>" header is authenticated (AAD), so a ciphertext can't be relabelled to another key.
 * Decryption picks the key by id from the current key plus KEY_ENCRYPTION_OLD_KEYS ("id:base64,…").
 * Nothing here ever puts key material (plaintext or key-encryption key) in a log, message or error.
 */

export type KeyErrorReason =
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
let devWarned = false;

type KeyRing = { currentId: string; current: Buffer; byId: Map<string, Buffer> };

function decodeKey(id: string, b64: string): Buffer {
  const key = Buffer.from(b64.trim(), "base64");
  if (key.length !== 32) {
    throw new KeyError("bad_config", `Key-encryption key "${id}" must be 32 bytes (base64).`, { keyId: id });
  }
  return key;
}

let cachedRing: { src: string; ring: KeyRing } | null = null;

function keyRing(): KeyRing {
  const src = `${env.KEY_ENCRYPTION_KEY ?? ""}|${env.KEY_ENCRYPTION_KEY_ID}|${env.KEY_ENCRYPTION_OLD_KEYS}|${env.NODE_ENV}`;
  if (cachedRing && cachedRing.src === src) return cachedRing.ring;
  const byId = new Map<string, Buffer>();
  for (const part of env.KEY_ENCRYPTION_OLD_KEYS.split(",")) {
    const p = part.trim();
    if (!p) continue;
    const i = p.indexOf(":");
    if (i <= 0) throw new KeyError("bad_config", "KEY_ENCRYPTION_OLD_KEYS must be a list of id:base64.");
    const id = p.slice(0, i);
    byId.set(id, decodeKey(id, p.slice(i + 1)));
  }
  let currentId: string;
  let current: Buffer;
  if (env.KEY_ENCRYPTION_KEY) {
    currentId = env.KEY_ENCRYPTION_KEY_ID;
    current = decodeKey(currentId, env.KEY_ENCRYPTION_KEY);
  } else {
    if (env.NODE_ENV === "production") throw new KeyError("bad_config", "KEY_ENCRYPTION_KEY is required.");
    if (!devWarned) {
      devWarned = true;
      logger.warn(
        { keyId: DEV_KEY_ID },
        "KEY_ENCRYPTION_KEY is not set: using the fixed INSECURE development key (id 'dev'). Never use this in production.",
      );
    }
    currentId = DEV_KEY_ID;
    current = DEV_KEY;
  }
  byId.set(currentId, current);
  const ring = { currentId, current, byId };
  cachedRing = { src, ring };
  return ring;
}

/** The id of the key new ciphertexts are sealed with. */
export function currentKeyId(): string {
  return keyRing().currentId;
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

/** The key id a ciphertext was sealed with (for the `key_id` column). */
export function keyIdOf(ciphertext: string): string {
  return parseCiphertext(ciphertext).keyId;
}

/** Encrypts a secret string with the current key. */
export function encryptSecret(plaintext: string): string {
  const ring = keyRing();
  return seal(plaintext, ring.currentId, ring.current);
}

/** Decrypts; unknown key id or any tampering → KeyError (no key material in the error). */
export function decryptSecret(ciphertext: string): string {
  const p = parseCiphertext(ciphertext);
  const key = keyRing().byId.get(p.keyId);
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

function normalisePrivateKey(privateKeyHex: string): string {
  const pk = typeof privateKeyHex === "string" ? privateKeyHex.trim().replace(/^0x/i, "").toLowerCase() : "";
  if (!/^[0-9a-f]{64}$/.test(pk) || /^0+$/.test(pk)) {
    throw new KeyError("bad_private_key", "A private key is 64 hexadecimal characters.");
  }
  return pk;
}

/** Base58 address of a private key, or a KeyError (never echoing the key). */
export function addressOfPrivateKey(privateKeyHex: string): string {
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

/**
 * Verifies that `privateKeyHex` controls `address` and returns the ciphertext to store
 * (`keyIdOf(ciphertext)` gives the key id column).
 */
export function importKey(
  address: string,
  privateKeyHex: string,
): { address: string; ciphertext: string; keyId: string } {
  const claimed = parseAddress(address);
  const actual = addressOfPrivateKey(privateKeyHex);
  if (actual !== claimed) {
    throw new KeyError("key_mismatch", "This private key does not belong to that address.", {
      address: claimed,
    });
  }
  const ring = keyRing();
  const ciphertext = seal(normalisePrivateKey(privateKeyHex), ring.currentId, ring.current);
  return { address: claimed, ciphertext, keyId: ring.currentId };
}

/**
 * Runs `fn` with the decrypted private key. The plaintext exists only for the duration of `fn`;
 * any error thrown by `fn` has the key scrubbed from its message before it propagates.
 */
export async function withDecryptedKey<T>(
  ciphertext: string,
  fn: (privateKeyHex: string) => Promise<T> | T,
): Promise<T> {
  const pk = decryptSecret(ciphertext);
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

/** Re-encrypts a ciphertext with the current key (no-op re-seal if already current). */
export function reencrypt(ciphertext: string): string {
  return encryptSecret(decryptSecret(ciphertext));
}

/** Generates a fresh 32-byte key for KEY_ENCRYPTION_KEY (base64). */
export function generateEncryptionKey(): string {
  return randomBytes(32).toString("base64");
}
