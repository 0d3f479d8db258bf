/**
 * Checks that a production secret is really secret. Pure functions over the values (lib/env calls
 * them at start; nothing here reads the environment or imports heavy code), each returning a
 * problem sentence or null.
 *
 * "Public" means published somewhere anyone can read: the BIP39 reference vectors and the
 * development tools' default mnemonics, the development defaults of this repository, and values
 * its test harnesses once used. Anyone can derive the deposit keys of a public mnemonic, sign
 * sessions with a public AUTH_SECRET, or decrypt supplier keys sealed with a public key.
 */

/**
 * Mnemonics printed in specifications and tool documentation (BIP39 reference vectors with an empty
 * passphrase, Hardhat/Anvil's default). Their account xpubs (m/44'/195'/0') are below; a test
 * derives each one again with the project's own derivation code.
 */
export const PUBLIC_MNEMONICS: readonly string[] = [
  "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about",
  "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon art",
  "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon agent",
  "legal winner thank year wave sausage worth useful legal winner thank yellow",
  "letter advice cage absurd amount doctor acoustic avoid letter advice cage above",
  "zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo wrong",
  "zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo zoo vote",
  "test test test test test test test test test test test junk",
];

/** The account xpubs of PUBLIC_MNEMONICS, in the same order. */
export const PUBLIC_XPUBS: readonly string[] = [
  "xpub6D1AabNHCupeiLM65ZR9UStMhJ1vCpyV4XbZdyhMZBiJXALQtmn9p42VTQckoHVn8WNqS7dqnJokZHAHcHGoaQgmv8D45oNUKx6DZMNZBCd",
  "xpub6DLYF9ZdBa3xMBye6z8ahLqGVn3ka2DYCkQaMQGDBwVJngwMznwh1LXcE6Rs7rCtaEDaErbPCQKF9F6s5YPineCwTQXQLsPrLFiYiFs3Tnv",
  "xpub6Cb1bHy39FZApBw9JchoVffGr7XVg4yUZnty6Yb9xqp63DhX3i717MJ6haPyeGbpS1ivnhvtUJjoM1TsLfXjz6bzRAr4tidJ9NW3VijpYjW",
  "xpub6CCd6xRaRNYQJ9yrjm8WrCbkawvA1W621T26y9JjXGMyq7n4ocuMRoSCMhuwN6hHGkBQxMoQJkSkz7AwoXVzCs4bziNpALtHQBSNQTcVv8w",
  "xpub6CXpSHg2cLmY83wxQjCUV6WFDMnKAF9VexLQx5JMU9qHFPrVzkbeWseRXd7d4e9sawJEjiV6bd7SaeKMibx7WYkR6ZykeAg47z5KELJnkuQ",
  "xpub6Cv1P8VkRhjDgqfd6BsYiv9K2opd7E6DEicijfcmf7YrpERj9jnNHdMibBhsGMsKyBU2GHB4KhNhiVtjWnWVZhDheJwRyztZ296J2MuMzSk",
  "xpub6BsUX8oQjCaiio3qnonFwXueYKYTAe1nswe7kGhsuG5K4qKkac6ebS28pNPBQfi7LtrdZsEHnPxuXp4wEiUq6MuFbE4Hpt675ASXZ3zJGRC",
  "xpub6BuRy7ZmkGfP2RWhoor1kWB1w9DvrtmJbFBvnC1bQ4SB5NbCHTyQYCJSXZtxDbFyHTmC7wkU2he3nYYdpZ3Vf6qUAkXSnL6RPif4BDtDEKr",
];

/** Secrets this repository has published (development defaults, old test harness values). */
const PUBLIC_SECRETS: readonly string[] = [
  "dev-only-insecure-auth-secret-set-AUTH_SECRET-in-production",
  "e2e-only-secret-not-for-production-0123456789",
  "ZTJlLW9ubHkta2V5LTAxMjM0NTY3ODlhYmNkZWZnaGk=",
];

/** A mnemonic as BIP39 reads it: NFKD, lower case, single spaces. */
function normalizeMnemonic(m: string): string {
  return m.normalize("NFKD").trim().toLowerCase().split(/\s+/).join(" ");
}

export function isPublicMnemonic(m: string): boolean {
  return PUBLIC_MNEMONICS.includes(normalizeMnemonic(m));
}

export function isPublicXpub(xpub: string): boolean {
  return PUBLIC_XPUBS.includes(xpub.trim());
}

const distinct = (s: string | Uint8Array) => new Set<string | number>(s as Iterable<string | number>).size;

/**
 * AUTH_SECRET keys every portal session (Auth.js derives the encryption key from it): at least
 * 32 characters that do not look typed by hand (`openssl rand -base64 32` gives 44).
 */
export function authSecretProblem(secret: string): string | null {
  if (PUBLIC_SECRETS.includes(secret)) return "is a published development value";
  if (secret.length < 32) return "must be at least 32 characters (openssl rand -base64 32)";
  if (distinct(secret) < 16) return "is not random enough (openssl rand -base64 32)";
  return null;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$|^[A-Za-z0-9_-]+$/;

/** Decodes a 32-byte key given as base64 (or base64url), or returns the problem. */
export function decodeKey32(b64: string): { key: Buffer } | { problem: string } {
  const s = b64.trim();
  if (!BASE64.test(s)) return { problem: "must be base64 (openssl rand -base64 32)" };
  const key = Buffer.from(s, s.includes("-") || s.includes("_") ? "base64url" : "base64");
  if (key.length !== 32) return { problem: `must decode to 32 bytes, not ${key.length}` };
  return { key };
}

/**
 * A key-encryption key seals every supplier private key at rest: exactly 32 random bytes. Bytes
 * that are all printable text (a phrase base64-encoded) or repeat a few values are not random:
 * 32 random bytes are all printable with a chance of about 1 in 10^13.
 */
export function keyEncryptionKeyProblem(b64: string): string | null {
  if (PUBLIC_SECRETS.includes(b64.trim())) return "is a published development value";
  const d = decodeKey32(b64);
  if ("problem" in d) return d.problem;
  if (d.key.every((b) => b >= 0x20 && b < 0x7f))
    return "is text, not 32 random bytes (openssl rand -base64 32)";
  if (distinct(d.key) < 16) return "is not random enough (openssl rand -base64 32)";
  return null;
}

/** "id:base64,id:base64" of older keys still accepted for decryption. */
export function oldKeysProblem(list: string): string | null {
  for (const part of list.split(",")) {
    const p = part.trim();
    if (!p) continue;
    const i = p.indexOf(":");
    if (i <= 0 || !/^[A-Za-z0-9_-]{1,32}$/.test(p.slice(0, i))) return "must be a list of id:base64";
    const d = decodeKey32(p.slice(i + 1));
    if ("problem" in d) return `key "${p.slice(0, i)}" ${d.problem}`;
  }
  return null;
}

/**
 * Inngest signing keys are `signkey-<env>-<hex>`; the SDK hex-decodes the part after the prefix to
 * authenticate to the Inngest API and HMACs every call with it. At least 32 hex digits (128 bits).
 */
const SIGNING_KEY_RE = /^signkey-[a-z0-9]+-([0-9a-f]{32,})$/;

export function signingKeyProblem(key: string): string | null {
  const m = SIGNING_KEY_RE.exec(key);
  if (!m) return "must look like signkey-prod-<hex> (from Inngest, or generated for a self-hosted server)";
  if (m[1].length % 2 !== 0) return "must have an even number of hex digits";
  if (distinct(m[1]) < 8) return "is not random enough";
  return null;
}

/** Event keys authenticate event sends; Inngest's are long random strings. */
export function eventKeyProblem(key: string): string | null {
  if (key.length < 32) return "must be at least 32 characters";
  if (distinct(key) < 8) return "is not random enough";
  return null;
}
