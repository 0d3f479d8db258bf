import { randomBytes } from "node:crypto";
import { TronWeb, utils } from "tronweb";
import { afterEach, describe, expect, it } from "vitest";
import { reloadEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { captureLogs } from "@/lib/log";
import {
  decryptSecret,
  decryptSupplierKey,
  encryptSecret,
  importKey,
  KeyError,
  keyIdOf,
  reencryptSupplierKey,
  withDecryptedKey,
} from "@/lib/tron/keys";

const PK = "0000000000000000000000000000000000000000000000000000000000000001";
const ADDR = "TMVQGm1qAQYVdetCeGRRkTWYYrLXuHK2HC";
const OTHER = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t";

const saved = {
  APP_ROLE: process.env.APP_ROLE,
  KEY_ENCRYPTION_KEY: process.env.KEY_ENCRYPTION_KEY,
  KEY_ENCRYPTION_KEY_ID: process.env.KEY_ENCRYPTION_KEY_ID,
  KEY_ENCRYPTION_OLD_KEYS: process.env.KEY_ENCRYPTION_OLD_KEYS,
  DATA_ENCRYPTION_KEY: process.env.DATA_ENCRYPTION_KEY,
  DATA_ENCRYPTION_KEY_ID: process.env.DATA_ENCRYPTION_KEY_ID,
  DATA_ENCRYPTION_OLD_KEYS: process.env.DATA_ENCRYPTION_OLD_KEYS,
};

function setKeys(vars: Partial<typeof saved>) {
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  reloadEnv();
}

afterEach(() => setKeys(saved));

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error("expected a throw");
}

async function caughtAsync(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (e) {
    return e;
  }
  throw new Error("expected a throw");
}

function assertNoKey(text: string, pk: string) {
  expect(text.toLowerCase()).not.toContain(pk.toLowerCase());
}

describe("keys", () => {
  it("round trips with the dev key when KEY_ENCRYPTION_KEY is unset", async () => {
    setKeys({ KEY_ENCRYPTION_KEY: undefined });
    const { ciphertext, keyId } = importKey(ADDR, PK);
    expect(keyId).toBe("dev");
    expect(ciphertext.startsWith("v1:dev:")).toBe(true);
    expect(ciphertext).not.toContain(PK);
    expect(await decryptSupplierKey(ciphertext)).toBe(PK);
  });

  it("data secrets use DATA_ENCRYPTION_KEY and its id; two encryptions differ (random IV)", () => {
    setKeys({ DATA_ENCRYPTION_KEY: randomBytes(32).toString("base64"), DATA_ENCRYPTION_KEY_ID: "d7" });
    const a = encryptSecret("hello");
    const b = encryptSecret("hello");
    expect(a).not.toBe(b);
    expect(keyIdOf(a)).toBe("d7");
    expect(decryptSecret(a)).toBe("hello");
  });

  it("decrypts with an old key after rotation, and reencrypt moves to the current key", async () => {
    const k1 = randomBytes(32).toString("base64");
    const k2 = randomBytes(32).toString("base64");
    setKeys({ KEY_ENCRYPTION_KEY: k1, KEY_ENCRYPTION_KEY_ID: "k1", KEY_ENCRYPTION_OLD_KEYS: "" });
    const ct = importKey(ADDR, PK).ciphertext;
    setKeys({ KEY_ENCRYPTION_KEY: k2, KEY_ENCRYPTION_KEY_ID: "k2", KEY_ENCRYPTION_OLD_KEYS: `k1:${k1}` });
    expect(await decryptSupplierKey(ct)).toBe(PK);
    const moved = await reencryptSupplierKey(ct);
    expect(keyIdOf(moved)).toBe("k2");
    setKeys({ KEY_ENCRYPTION_KEY: k2, KEY_ENCRYPTION_KEY_ID: "k2", KEY_ENCRYPTION_OLD_KEYS: "" });
    expect(await decryptSupplierKey(moved)).toBe(PK);
    const e = await caughtAsync(() => decryptSupplierKey(ct));
    expect(e).toBeInstanceOf(KeyError);
    expect((e as KeyError).reason).toBe("unknown_key_id");
  });

  it("refuses tampered ciphertext, relabelled key id and garbage", async () => {
    setKeys({
      KEY_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      KEY_ENCRYPTION_KEY_ID: "k1",
      KEY_ENCRYPTION_OLD_KEYS: `k9:${randomBytes(32).toString("base64")}`,
    });
    const ct = importKey(ADDR, PK).ciphertext;
    const parts = ct.split(":");
    const body = Buffer.from(parts[4], "base64");
    body[0] ^= 1;
    const tampered = [...parts.slice(0, 4), body.toString("base64")].join(":");
    const relabelled = ["v1", "k9", ...parts.slice(2)].join(":");
    for (const bad of [tampered, relabelled]) {
      const e = (await caughtAsync(() => decryptSupplierKey(bad))) as KeyError;
      expect(e).toBeInstanceOf(KeyError);
      expect(e.reason).toBe("tampered");
      assertNoKey(`${e.message} ${JSON.stringify(e)} ${e.stack}`, PK);
    }
    expect(((await caughtAsync(() => decryptSupplierKey("nope"))) as KeyError).reason).toBe("malformed");
  });

  it("importKey verifies the key matches the address", () => {
    const e = caught(() => importKey(OTHER, PK)) as AppError;
    expect(e).toBeInstanceOf(KeyError);
    expect(e.details?.reason).toBe("key_mismatch");
    assertNoKey(`${e.message} ${JSON.stringify(e)} ${JSON.stringify(e.details)}`, PK);
    expect((caught(() => importKey(ADDR, "zz")) as KeyError).reason).toBe("bad_private_key");
  });

  it("never puts the private key in a log line, message or thrown object", async () => {
    const acct = utils.accounts.generateAccount();
    const pk = acct.privateKey.replace(/^0x/, "");
    const cap = captureLogs();
    const errors: unknown[] = [];
    try {
      setKeys({ KEY_ENCRYPTION_KEY: undefined });
      const { ciphertext } = importKey(acct.address.base58, pk);
      errors.push(caught(() => importKey(OTHER, pk)));
      errors.push(caught(() => importKey(acct.address.base58, `${pk}00`)));
      const tw = new TronWeb({ fullHost: "http://127.0.0.1:1" });
      const tx = await tw.transactionBuilder.sendTrx(OTHER, 1_000_000, acct.address.base58, {
        blockHeader: {
          ref_block_bytes: "0001",
          ref_block_hash: "0011223344556677",
          expiration: Date.now() + 60_000,
          timestamp: Date.now(),
        },
      });
      const signed = await withDecryptedKey(ciphertext, (k) => tw.trx.sign(tx, k));
      expect(signed.signature?.length).toBe(1);
      // A signing step that fails with the key in its message: scrubbed before it propagates.
      errors.push(
        await caughtAsync(() =>
          withDecryptedKey(ciphertext, (k) => {
            throw new Error(`boom ${k}`);
          }),
        ),
      );
      errors.push(
        await caughtAsync(() =>
          withDecryptedKey(ciphertext, (k) => {
            throw new AppError("internal", `bad ${k}`, { details: { k } });
          }),
        ),
      );
      // Signing with a key that does not own the tx.
      const otherCt = importKey(ADDR, PK).ciphertext;
      errors.push(await caughtAsync(() => withDecryptedKey(otherCt, (k) => tw.trx.sign(tx, k))));
      const parts = ciphertext.split(":");
      errors.push(
        await caughtAsync(() =>
          decryptSupplierKey([...parts.slice(0, 3), "AAAAAAAAAAAAAAAAAAAAAA==", parts[4]].join(":")),
        ),
      );
    } finally {
      cap.stop();
    }
    for (const line of cap.lines) assertNoKey(line, pk);
    expect(errors.length).toBe(6);
    for (const e of errors) {
      const err = e as Error;
      assertNoKey(err.message, pk);
      assertNoKey(String(err.stack), pk);
      assertNoKey(JSON.stringify(err), pk);
      assertNoKey(JSON.stringify((err as AppError).details ?? {}), pk);
      assertNoKey(String((err as { cause?: unknown }).cause ?? ""), pk);
    }
  });
});
