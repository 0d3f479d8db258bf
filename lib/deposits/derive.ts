import { HDKey } from "@scure/bip32";
import { generateMnemonic, mnemonicToSeedSync, validateMnemonic } from "@scure/bip39";
import { wordlist } from "@scure/bip39/wordlists/english.js";
import { TronWeb, utils } from "tronweb";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/log";

/**
 * Deposit address derivation (BIP32/BIP39/BIP44, TRON coin type 195) with @scure/bip32 and
 * @scure/bip39: no hand-written derivation. Path of user `i`: m/44'/195'/0'/0/i.
 *
 * - web, bot and scanner hold only the account-level extended PUBLIC key (m/44'/195'/0',
 *   DEPOSIT_XPUB) and derive `…/0/i` from it (non-hardened, so public derivation works);
 * - the collector alone holds the mnemonic (DEPOSIT_MNEMONIC) and derives a private key inside its
 *   signing step. Nothing here logs a key, a seed or a mnemonic.
 */

const ACCOUNT_PATH = "m/44'/195'/0'";
const depositPath = (index: number) => `${ACCOUNT_PATH}/0/${index}`;

/** The BIP39 test vector mnemonic: the loud DEVELOPMENT default when DEPOSIT_XPUB is unset. */
export const DEV_TEST_MNEMONIC =
  "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

const MAX_INDEX = 0x7fffffff; // non-hardened child indices only

function checkIndex(index: number): void {
  if (!Number.isSafeInteger(index) || index < 0 || index > MAX_INDEX) {
    throw new AppError("bad_request", "A deposit derivation index is an integer from 0 to 2^31-1.");
  }
}

function seedOf(mnemonic: string): Uint8Array {
  const m = mnemonic.trim().normalize("NFKD").split(/\s+/).join(" ");
  if (!validateMnemonic(m, wordlist)) {
    // Never echo the words.
    throw new AppError("internal", "DEPOSIT_MNEMONIC is not a valid BIP39 English mnemonic.");
  }
  return mnemonicToSeedSync(m);
}

/** The account-level xpub (m/44'/195'/0') of a mnemonic. */
export function xpubFromMnemonic(mnemonic: string): string {
  return HDKey.fromMasterSeed(seedOf(mnemonic)).derive(ACCOUNT_PATH).publicExtendedKey;
}

/** A fresh 24-word mnemonic and its account xpub (`npm run deposits:keygen`). */
export function generateDepositKeys(): { mnemonic: string; xpub: string } {
  const mnemonic = generateMnemonic(wordlist, 256);
  return { mnemonic, xpub: xpubFromMnemonic(mnemonic) };
}

/** Base58 TRON address of a secp256k1 public key (compressed or not), via tronweb's own helpers. */
function addressOfPublicKey(publicKey: Uint8Array): string {
  const uncompressed = utils.ethersUtils.SigningKey.computePublicKey(publicKey, false); // 0x04…
  const bytes = utils.code.hexStr2byteArray(uncompressed.slice(2));
  const addr = utils.crypto.computeAddress(bytes);
  return TronWeb.address.fromHex(utils.bytes.byteArray2hexStr(addr));
}

const changeNodes = new Map<string, HDKey>();

/** The external chain node (…/0) of an account xpub, parsed once per xpub. */
function externalChain(xpub: string): HDKey {
  let node = changeNodes.get(xpub);
  if (!node) {
    let acct: HDKey;
    try {
      acct = HDKey.fromExtendedKey(xpub);
    } catch {
      throw new AppError("internal", "DEPOSIT_XPUB is not a valid extended public key.");
    }
    if (acct.depth !== 3) {
      throw new AppError("internal", "DEPOSIT_XPUB must be the account-level key m/44'/195'/0' (depth 3).");
    }
    node = acct.deriveChild(0);
    changeNodes.set(xpub, node);
  }
  return node;
}

/** Deposit address `index` from an account xpub (public derivation only). */
export function addressFromXpub(xpub: string, index: number): string {
  checkIndex(index);
  const child = externalChain(xpub).deriveChild(index);
  if (!child.publicKey) throw new AppError("internal", "Public derivation failed.");
  return addressOfPublicKey(child.publicKey);
}

/** Deposit address `index` from the mnemonic (collector-side cross-check). */
export function addressFromMnemonic(mnemonic: string, index: number): string {
  checkIndex(index);
  const node = HDKey.fromMasterSeed(seedOf(mnemonic)).derive(depositPath(index));
  if (!node.publicKey) throw new AppError("internal", "Derivation failed.");
  return addressOfPublicKey(node.publicKey);
}

/**
 * Runs `fn` with the hex private key of deposit address `index`. Use only inside a signing step;
 * the key is never returned from here on purpose (the callback's result is).
 */
export async function withDepositPrivateKey<T>(
  mnemonic: string,
  index: number,
  fn: (privateKeyHex: string, address: string) => Promise<T> | T,
): Promise<T> {
  checkIndex(index);
  const node = HDKey.fromMasterSeed(seedOf(mnemonic)).derive(depositPath(index));
  if (!node.privateKey || !node.publicKey) throw new AppError("internal", "Derivation failed.");
  const pk = Buffer.from(node.privateKey).toString("hex");
  const address = addressOfPublicKey(node.publicKey);
  try {
    return await fn(pk, address);
  } catch (e) {
    const { scrubError } = await import("@/lib/tron/keys");
    throw scrubError(e, pk);
  }
}

let devWarned = false;
let devXpub: string | null = null;

/**
 * The configured account xpub. Development/test without DEPOSIT_XPUB: the BIP39 TEST mnemonic's
 * xpub, logged loudly (anyone can spend from it). Production refuses to start without it (lib/env).
 */
export function depositXpub(): string {
  if (env.DEPOSIT_XPUB) return env.DEPOSIT_XPUB;
  if (env.NODE_ENV === "production")
    throw new AppError("internal", "DEPOSIT_XPUB is required in production.");
  if (!devWarned) {
    devWarned = true;
    logger.warn(
      { path: ACCOUNT_PATH },
      "DEPOSIT_XPUB is not set: using the PUBLIC BIP39 TEST mnemonic's xpub as a DEVELOPMENT default. " +
        "Anyone can spend funds sent to these deposit addresses. Never use this in production.",
    );
  }
  devXpub ??= xpubFromMnemonic(DEV_TEST_MNEMONIC);
  return devXpub;
}

/**
 * The collector's mnemonic. Development/test without DEPOSIT_MNEMONIC *and* without DEPOSIT_XPUB:
 * the test mnemonic (matching the dev xpub). Always checked against the configured xpub, so a
 * mnemonic of another wallet can never sign for our addresses.
 */
export function depositMnemonic(): string {
  if (env.APP_ROLE === "web")
    throw new AppError(
      "internal",
      "This process (APP_ROLE=web) holds no deposit mnemonic: the worker collects deposits.",
    );
  let m = env.DEPOSIT_MNEMONIC;
  if (!m) {
    if (env.NODE_ENV === "production" || env.DEPOSIT_XPUB) {
      throw new AppError("internal", "DEPOSIT_MNEMONIC is not set: this process cannot collect deposits.");
    }
    m = DEV_TEST_MNEMONIC;
  }
  const xpub = depositXpub();
  if (verifiedPair?.m !== m || verifiedPair.xpub !== xpub) {
    if (xpubFromMnemonic(m) !== xpub) {
      throw new AppError("internal", "DEPOSIT_MNEMONIC does not belong to DEPOSIT_XPUB.");
    }
    verifiedPair = { m, xpub };
  }
  return m;
}

let verifiedPair: { m: string; xpub: string } | null = null;

// ---------------------------------------------------------------- pay by transfer: the rental address

/**
 * The rental address (pay by transfer, lib/transfers): the first address of the account's INTERNAL
 * chain, m/44'/195'/0'/1/0. Derived from the same xpub as the deposit addresses (web, bot and
 * scanner show it without any secret) on a branch no deposit address ever uses; its key comes from
 * DEPOSIT_MNEMONIC, in the worker only, for refunds.
 */
const RENTAL_PATH = `${ACCOUNT_PATH}/1/0`;

export function rentalAddressFromXpub(xpub: string): string {
  externalChain(xpub); // validates the xpub (depth 3)
  const child = HDKey.fromExtendedKey(xpub).deriveChild(1).deriveChild(0);
  if (!child.publicKey) throw new AppError("internal", "Public derivation failed.");
  return addressOfPublicKey(child.publicKey);
}

/** Runs `fn` with the rental address's private key (refund signing only; never returned or logged). */
export async function withRentalPrivateKey<T>(
  mnemonic: string,
  fn: (privateKeyHex: string, address: string) => Promise<T> | T,
): Promise<T> {
  const node = HDKey.fromMasterSeed(seedOf(mnemonic)).derive(RENTAL_PATH);
  if (!node.privateKey || !node.publicKey) throw new AppError("internal", "Derivation failed.");
  const pk = Buffer.from(node.privateKey).toString("hex");
  try {
    return await fn(pk, addressOfPublicKey(node.publicKey));
  } catch (e) {
    const { scrubError } = await import("@/lib/tron/keys");
    throw scrubError(e, pk);
  }
}
