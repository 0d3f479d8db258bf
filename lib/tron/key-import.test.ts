import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { TronWeb, utils } from "tronweb";
import { afterEach, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { keyImportKeys, supplierWallets } from "@/db/schema";
import { reloadEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { publishImportKey } from "@/lib/tron/key-import";
import {
  decryptSupplierKey,
  importKey,
  KeyError,
  keyIdOf,
  sealNewSupplierKey,
  withDecryptedKey,
} from "@/lib/tron/keys";
import { rotateStoredSecrets } from "@/lib/tron/rotate";

/**
 * APP_ROLE=web never holds the key-encryption key: it seals a newly imported supplier key to the
 * worker's published X25519 key, and only a process holding the key-encryption key opens it.
 */
const VARS = ["APP_ROLE", "KEY_ENCRYPTION_KEY", "KEY_ENCRYPTION_KEY_ID", "KEY_ENCRYPTION_OLD_KEYS"] as const;
const saved = Object.fromEntries(VARS.map((k) => [k, process.env[k]]));

function setEnv(vars: Partial<Record<(typeof VARS)[number], string | undefined>>) {
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  reloadEnv();
}
afterEach(() => setEnv(saved));

const worker = (key: string, id = "w1", old?: string) =>
  setEnv({
    APP_ROLE: "worker",
    KEY_ENCRYPTION_KEY: key,
    KEY_ENCRYPTION_KEY_ID: id,
    KEY_ENCRYPTION_OLD_KEYS: old,
  });
const web = () =>
  setEnv({ APP_ROLE: "web", KEY_ENCRYPTION_KEY: undefined, KEY_ENCRYPTION_OLD_KEYS: undefined });

async function caught(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (e) {
    return e;
  }
  throw new Error("expected a throw");
}

function account() {
  const a = utils.accounts.generateAccount();
  return { address: a.address.base58, pk: a.privateKey.replace(/^0x/, "").toLowerCase() };
}

describe("supplier keys imported by a web process", () => {
  it("the web role holds no key ring: it cannot seal with AES nor open any stored key", async () => {
    const kek = randomBytes(32).toString("base64");
    worker(kek);
    const a = account();
    const stored = importKey(a.address, a.pk).ciphertext;
    web();
    for (const e of [
      await caught(() => importKey(a.address, a.pk)),
      await caught(() => decryptSupplierKey(stored)),
      await caught(() => withDecryptedKey(stored, () => "signed")),
    ]) {
      expect(e).toBeInstanceOf(KeyError);
      expect((e as KeyError).reason).toBe("bad_config");
      expect((e as Error).message).toMatch(/APP_ROLE=web/);
    }
  });

  it("the web seals to the worker's published key; only the worker opens it and signs with it", async () => {
    const kek = randomBytes(32).toString("base64");
    worker(kek, "w1");
    const published = await publishImportKey();
    expect(published.keyId).toBe("w1");
    expect(Buffer.from(published.publicKey, "base64")).toHaveLength(32);

    web();
    const a = account();
    const sealed = await sealNewSupplierKey(a.address, a.pk);
    expect(sealed.address).toBe(a.address);
    expect(sealed.keyId).toBe("w1");
    expect(sealed.ciphertext.startsWith("x1:w1:")).toBe(true);
    expect(sealed.ciphertext.toLowerCase()).not.toContain(a.pk);
    expect(keyIdOf(sealed.ciphertext)).toBe("w1");
    // a key that is not the address's is refused before anything is sealed
    const other = account();
    const mismatch = await caught(() => sealNewSupplierKey(other.address, a.pk));
    expect((mismatch as KeyError).reason).toBe("key_mismatch");
    // the web cannot open what it sealed
    expect(((await caught(() => decryptSupplierKey(sealed.ciphertext))) as KeyError).reason).toBe(
      "bad_config",
    );

    worker(kek, "w1");
    expect(await decryptSupplierKey(sealed.ciphertext)).toBe(a.pk);
    const tw = new TronWeb({ fullHost: "http://127.0.0.1:1" });
    const tx = await tw.transactionBuilder.sendTrx(other.address, 1_000_000, a.address, {
      blockHeader: {
        ref_block_bytes: "0001",
        ref_block_hash: "0011223344556677",
        expiration: Date.now() + 60_000,
        timestamp: Date.now(),
      },
    });
    const signed = await withDecryptedKey(sealed.ciphertext, (k) => tw.trx.sign(tx, k));
    expect(signed.signature).toHaveLength(1);

    // tampered box, and a box labelled with a key id the worker does not hold
    const parts = sealed.ciphertext.split(":");
    const box = Buffer.from(parts[2], "base64");
    box[box.length - 1] ^= 1;
    expect(
      ((await caught(() => decryptSupplierKey(`x1:w1:${box.toString("base64")}`))) as KeyError).reason,
    ).toBe("tampered");
    expect(((await caught(() => decryptSupplierKey(`x1:w9:${parts[2]}`))) as KeyError).reason).toBe(
      "unknown_key_id",
    );
    expect(((await caught(() => decryptSupplierKey("x1:w1:AAAA"))) as KeyError).reason).toBe("malformed");
  });

  it("a rotation re-seals imported keys with AES under the new key; the new key is published at start", async () => {
    const k1 = randomBytes(32).toString("base64");
    const k2 = randomBytes(32).toString("base64");
    worker(k1, "rot1");
    await publishImportKey();
    web();
    const a = account();
    const sealed = await sealNewSupplierKey(a.address, a.pk);
    expect(sealed.keyId).toBe("rot1");
    const db = await getDb();
    const [row] = await db
      .insert(supplierWallets)
      .values({
        address: a.address,
        encryptedKey: sealed.ciphertext,
        keyId: sealed.keyId,
        status: "disabled",
      })
      .returning();
    try {
      // the worker restarts on the new key (old one kept until the rotation has run) and publishes it
      worker(k2, "rot2", `rot1:${k1}`);
      await publishImportKey();
      await rotateStoredSecrets();
      const [w] = await db.select().from(supplierWallets).where(eq(supplierWallets.id, row.id));
      expect(w.encryptedKey?.startsWith("v1:rot2:")).toBe(true);
      expect(w.keyId).toBe("rot2");
      worker(k2, "rot2");
      expect(await decryptSupplierKey(w.encryptedKey!)).toBe(a.pk);
      // and a web process now seals to the new key
      web();
      expect((await sealNewSupplierKey(a.address, a.pk)).keyId).toBe("rot2");
    } finally {
      await db.delete(supplierWallets).where(eq(supplierWallets.id, row.id));
    }
  });

  it("with no worker key published, a web import is refused with a clear error and stores nothing", async () => {
    const db = await getDb();
    await db.delete(keyImportKeys);
    web();
    const a = account();
    const e = await caught(() => sealNewSupplierKey(a.address, a.pk));
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).message).toMatch(/start the worker/);
    expect(await db.select().from(keyImportKeys)).toHaveLength(0);
  });
});
