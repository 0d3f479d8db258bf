import { randomBytes } from "node:crypto";
import { HDKey } from "@scure/bip32";
import { mnemonicToSeedSync } from "@scure/bip39";
import { TronWeb } from "tronweb";
import { describe, expect, it } from "vitest";
import { parseEnv, reloadEnv } from "@/lib/env";
import { captureLogs } from "@/lib/log";
import { isPublicMnemonic, isPublicXpub, PUBLIC_MNEMONICS, PUBLIC_XPUBS } from "@/lib/security/secrets";
import {
  addressFromMnemonic,
  addressFromXpub,
  DEV_TEST_MNEMONIC,
  depositMnemonic,
  depositXpub,
  generateDepositKeys,
  withDepositPrivateKey,
  xpubFromMnemonic,
} from "./derive";

/**
 * Independent values for the BIP39 test vector "abandon ×11 about" (empty passphrase):
 * - BIP39 seed 5eb00bbddcf069084889a8ab9155568165f5c453ccb85e70811aaed6f6da5fc1
 *   9a5ac40b389cd370d086206dec8aa6c43daea6690f20ad3d8d48b2d2ce9e38e4 (the BIP39 reference vectors,
 *   trezor/python-mnemonic vectors.json, entropy 00…00, passphrase "" — also what every wallet uses);
 * - its TRON address m/44'/195'/0'/0/0 is TUEZSdKsoDHQMeZwihtdoBiN46zxhGWYdH (the address TRON
 *   wallets show for this mnemonic; cross-checked below with tronweb's own, separate derivation code,
 *   ethers' HDNodeWallet:
 *   `TronWeb.fromMnemonic(m, "m/44'/195'/0'/0/0")`).
 */
const VECTOR_SEED_HEX =
  "5eb00bbddcf069084889a8ab9155568165f5c453ccb85e70811aaed6f6da5fc19a5ac40b389cd370d086206dec8aa6c43daea6690f20ad3d8d48b2d2ce9e38e4";
const VECTOR_ADDRESS_0 = "TUEZSdKsoDHQMeZwihtdoBiN46zxhGWYdH";

describe("deposit address derivation", () => {
  it("matches the BIP39 test vector (seed) and the known TRON address at index 0", () => {
    expect(Buffer.from(mnemonicToSeedSync(DEV_TEST_MNEMONIC)).toString("hex")).toBe(VECTOR_SEED_HEX);
    const xpub = xpubFromMnemonic(DEV_TEST_MNEMONIC);
    expect(addressFromXpub(xpub, 0)).toBe(VECTOR_ADDRESS_0);
    expect(addressFromMnemonic(DEV_TEST_MNEMONIC, 0)).toBe(VECTOR_ADDRESS_0);
    // tronweb's independent implementation (ethers HDNodeWallet)
    const tw = TronWeb.fromMnemonic(DEV_TEST_MNEMONIC, "m/44'/195'/0'/0/0") as { address: string };
    expect(tw.address).toBe(VECTOR_ADDRESS_0);
  });

  it("xpub (public derivation) equals mnemonic (private derivation) for many indices", () => {
    const { mnemonic, xpub } = generateDepositKeys();
    expect(mnemonic.split(" ")).toHaveLength(24);
    expect(xpub.startsWith("xpub")).toBe(true);
    for (const i of [0, 1, 2, 7, 100, 12_345, 2 ** 31 - 1]) {
      const a = addressFromXpub(xpub, i);
      expect(a).toBe(addressFromMnemonic(mnemonic, i));
      if (i < 3) {
        const tw = TronWeb.fromMnemonic(mnemonic, `m/44'/195'/0'/0/${i}`) as { address: string };
        expect(a).toBe(tw.address);
      }
    }
    expect(addressFromXpub(xpub, 0)).not.toBe(addressFromXpub(xpub, 1));
  });

  it("a web process (APP_ROLE=web) has no deposit mnemonic, not even the development one", () => {
    const saved = process.env.APP_ROLE;
    expect(depositMnemonic()).toBe(DEV_TEST_MNEMONIC);
    process.env.APP_ROLE = "web";
    reloadEnv();
    try {
      expect(() => depositMnemonic()).toThrow(/APP_ROLE=web/);
      // deriving addresses from the xpub still works there
      expect(addressFromXpub(depositXpub(), 0)).toBe(VECTOR_ADDRESS_0);
    } finally {
      if (saved === undefined) delete process.env.APP_ROLE;
      else process.env.APP_ROLE = saved;
      reloadEnv();
    }
  });

  it("the private key from the mnemonic controls the derived address", async () => {
    const addr = await withDepositPrivateKey(DEV_TEST_MNEMONIC, 3, (pk, a) => {
      expect(TronWeb.address.fromPrivateKey(pk)).toBe(a);
      return a;
    });
    expect(addr).toBe(addressFromXpub(xpubFromMnemonic(DEV_TEST_MNEMONIC), 3));
  });

  it("refuses a non-account-level or malformed xpub and bad indices", () => {
    const master = HDKey.fromMasterSeed(mnemonicToSeedSync(DEV_TEST_MNEMONIC)).publicExtendedKey;
    expect(() => addressFromXpub(master, 0)).toThrow(/depth 3/);
    expect(() => addressFromXpub("xpubnope", 0)).toThrow();
    const xpub = xpubFromMnemonic(DEV_TEST_MNEMONIC);
    expect(() => addressFromXpub(xpub, -1)).toThrow();
    expect(() => addressFromXpub(xpub, 2 ** 31)).toThrow();
    expect(() => addressFromMnemonic("abandon abandon", 0)).toThrow(/not a valid/);
  });

  it("dev default xpub is the test mnemonic's, with a loud warning, and no secret in logs", async () => {
    const cap = captureLogs();
    try {
      expect(depositXpub()).toBe(xpubFromMnemonic(DEV_TEST_MNEMONIC));
      await withDepositPrivateKey(DEV_TEST_MNEMONIC, 0, () => {
        throw new Error("boom");
      }).catch(() => {});
    } finally {
      cap.stop();
    }
    expect(cap.lines.join("\n")).not.toContain("abandon");
  });

  it("production refuses to start without DEPOSIT_XPUB, with a public one, or with one-letter secrets", () => {
    const { mnemonic, xpub: ownXpub } = generateDepositKeys();
    const prod = {
      NODE_ENV: "production",
      KEY_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      DATA_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      AUTH_SECRET: randomBytes(32).toString("base64"),
      INNGEST_SIGNING_KEY: `signkey-prod-${randomBytes(32).toString("hex")}`,
      INNGEST_EVENT_KEY: randomBytes(48).toString("base64url"),
      DEPOSIT_XPUB: ownXpub,
    } as const;
    // a sound configuration starts
    expect(parseEnv({ ...prod }).DEPOSIT_XPUB).toBe(ownXpub);
    expect(parseEnv({ ...prod, DEPOSIT_MNEMONIC: mnemonic }).DEPOSIT_MNEMONIC).toBe(mnemonic);
    const { DEPOSIT_XPUB: _, ...noXpub } = prod;
    expect(() => parseEnv(noXpub)).toThrow(/DEPOSIT_XPUB: is required/);
    // the public BIP39 test vector's xpub: anyone can derive its deposit keys
    const testXpub = xpubFromMnemonic(DEV_TEST_MNEMONIC);
    expect(() => parseEnv({ ...prod, DEPOSIT_XPUB: testXpub })).toThrow(
      /DEPOSIT_XPUB: belongs to a published/,
    );
    // ... nor its mnemonic as the collector's (however it is spaced or cased)
    expect(() => parseEnv({ ...prod, DEPOSIT_MNEMONIC: ` ${DEV_TEST_MNEMONIC.toUpperCase()}\n` })).toThrow(
      /DEPOSIT_MNEMONIC: is a published test mnemonic/,
    );
    // one-letter secrets (what this test used to accept), every problem named at once
    const e = (() => {
      try {
        parseEnv({ ...prod, KEY_ENCRYPTION_KEY: "x", AUTH_SECRET: "y", DEPOSIT_XPUB: testXpub });
      } catch (err) {
        return String(err);
      }
    })();
    expect(e).toMatch(/KEY_ENCRYPTION_KEY: must decode to 32 bytes/);
    expect(e).toMatch(/AUTH_SECRET: must be at least 32 characters/);
    expect(e).toMatch(/DEPOSIT_XPUB: belongs to a published/);
    // outside production the dev default is allowed, and the shape is still checked
    expect(() => parseEnv({ NODE_ENV: "test", DEPOSIT_XPUB: "zpub-nope" })).toThrow(/DEPOSIT_XPUB/);
    expect(parseEnv({ NODE_ENV: "test", DEPOSIT_SCAN_START_BLOCK: "123" }).DEPOSIT_SCAN_START_BLOCK).toBe(
      123,
    );
  });

  it("the refused public xpubs are the published mnemonics' own (derived again here)", () => {
    expect(PUBLIC_XPUBS).toHaveLength(PUBLIC_MNEMONICS.length);
    PUBLIC_MNEMONICS.forEach((m, i) => {
      expect(isPublicMnemonic(m)).toBe(true);
      expect(xpubFromMnemonic(m)).toBe(PUBLIC_XPUBS[i]);
    });
    expect(isPublicXpub(generateDepositKeys().xpub)).toBe(false);
  });
});
