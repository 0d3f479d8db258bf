import { HDKey } from "@scure/bip32";
import { mnemonicToSeedSync } from "@scure/bip39";
import { TronWeb } from "tronweb";
import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";
import { captureLogs } from "@/lib/log";
import {
  addressFromMnemonic,
  addressFromXpub,
  DEV_TEST_MNEMONIC,
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

  it("production refuses to start without DEPOSIT_XPUB, and validates its shape", () => {
    const prod = {
      NODE_ENV: "production",
      KEY_ENCRYPTION_KEY: "x",
      AUTH_SECRET: "y",
      INNGEST_DEV: "1",
    } as const;
    expect(() => parseEnv({ ...prod })).toThrow(/DEPOSIT_XPUB/);
    const xpub = xpubFromMnemonic(DEV_TEST_MNEMONIC);
    expect(parseEnv({ ...prod, DEPOSIT_XPUB: xpub }).DEPOSIT_XPUB).toBe(xpub);
    expect(() => parseEnv({ NODE_ENV: "test", DEPOSIT_XPUB: "zpub-nope" })).toThrow(/DEPOSIT_XPUB/);
    expect(parseEnv({ NODE_ENV: "test", DEPOSIT_SCAN_START_BLOCK: "123" }).DEPOSIT_SCAN_START_BLOCK).toBe(
      123,
    );
  });
});
