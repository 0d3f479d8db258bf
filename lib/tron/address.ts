import { createHash } from "node:crypto";
import { AppError } from "@/lib/errors";

/**
 * TRON addresses: 21 bytes (0x41 + 20-byte body), shown as Base58Check (34 chars, "T…") or as hex
 * "41…" (42 chars). Base58 is the canonical form everywhere in the app; hex is what the node speaks
 * with visible=false.
 */

/** Every reason `parseAddress` gives (`details.reason`); surfaces localize each one. */
export const ADDRESS_REFUSALS = [
  "empty",
  "whitespace",
  "evm_format",
  "bad_length",
  "bad_checksum",
  "bad_characters",
  "other_chain",
  "bad_prefix",
  // a valid address that is a smart contract (from the chain, not parseAddress): no delegation
  "contract",
] as const;

export type AddressRefusal = (typeof ADDRESS_REFUSALS)[number];

export function isAddressRefusal(v: unknown): v is AddressRefusal {
  return typeof v === "string" && (ADDRESS_REFUSALS as readonly string[]).includes(v);
}

const ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const ALPHABET_MAP = new Map([...ALPHABET].map((c, i) => [c, BigInt(i)]));
const BASE58_RE = /^[1-9A-HJ-NP-Za-km-z]+$/;
const HEX_RE = /^[0-9a-fA-F]+$/;

function refuse(reason: AddressRefusal, message: string): never {
  throw new AppError("invalid_address", message, { details: { reason }, fields: { address: message } });
}

function sha256(b: Uint8Array): Buffer {
  return createHash("sha256").update(b).digest();
}

function checksum(body: Uint8Array): Buffer {
  return sha256(sha256(body)).subarray(0, 4);
}

function base58Decode(s: string): Uint8Array {
  let n = 0n;
  for (const c of s) n = n * 58n + ALPHABET_MAP.get(c)!;
  let hex = n === 0n ? "" : n.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let zeros = 0;
  while (zeros < s.length && s[zeros] === "1") zeros++;
  return Uint8Array.from(Buffer.concat([Buffer.alloc(zeros), Buffer.from(hex, "hex")]));
}

function base58Encode(bytes: Uint8Array): string {
  let n = BigInt(`0x${Buffer.from(bytes).toString("hex") || "0"}`);
  let out = "";
  while (n > 0n) {
    out = ALPHABET[Number(n % 58n)] + out;
    n /= 58n;
  }
  for (const b of bytes) {
    if (b !== 0) break;
    out = `1${out}`;
  }
  return out;
}

/** 21 address bytes (0x41…) → Base58Check. */
export function hexToBase58(hex21: string): string {
  const body = Buffer.from(hex21, "hex");
  return base58Encode(Buffer.concat([body, checksum(body)]));
}

function fromBase58(s: string): string {
  if (s.length !== 34) {
    refuse("bad_length", `A TRON address has 34 characters; this one has ${s.length}.`);
  }
  const raw = base58Decode(s);
  if (raw.length !== 25) refuse("bad_length", "This TRON address does not decode to 25 bytes.");
  const body = raw.subarray(0, 21);
  const sum = raw.subarray(21);
  if (!checksum(body).equals(Buffer.from(sum))) {
    refuse("bad_checksum", "This TRON address has a bad checksum (a typo or a changed character).");
  }
  if (body[0] !== 0x41) refuse("bad_prefix", "This is not a TRON address (wrong version byte).");
  return s;
}

/**
 * Validates a TRON address given as Base58Check ("T…") or hex ("41…", any case) and returns the
 * canonical Base58 form. Outer whitespace is trimmed; everything else that is not a TRON mainnet-form
 * address is refused with AppError("invalid_address") and a stable `details.reason`.
 */
export function parseAddress(input: string): string {
  if (typeof input !== "string") refuse("empty", "Enter a TRON address.");
  const s = input.trim();
  if (s === "") refuse("empty", "Enter a TRON address.");
  if (/\s/.test(s)) refuse("whitespace", "The address contains spaces or line breaks inside it.");
  if (/^0x/i.test(s)) {
    refuse(
      "evm_format",
      "This looks like an Ethereum/EVM address (0x…). Enter a TRON address starting with T.",
    );
  }
  if (HEX_RE.test(s) && (s.length === 42 || s.length === 40)) {
    if (s.length === 40) {
      refuse(
        "evm_format",
        "This looks like a 20-byte EVM address without 0x. Enter a TRON address starting with T.",
      );
    }
    if (!/^41/.test(s)) refuse("bad_prefix", "A hex TRON address starts with 41.");
    return hexToBase58(s.toLowerCase());
  }
  // Bech32 addresses are all lower case (or all upper case). Only the lower-case "tb1" form is
  // tested: an upper-case "TB1…" is a valid TRON base58 address about once in 1,400.
  if (
    /^(bc1|ltc1|tb1|bnb1|cosmos1)[02-9ac-hj-np-z]{6,}$/.test(s) ||
    /^(BC1|LTC1|BNB1|COSMOS1)[02-9AC-HJ-NP-Z]{6,}$/.test(s)
  ) {
    refuse("other_chain", "This looks like a Bitcoin (or other chain) address, not a TRON address.");
  }
  if (!BASE58_RE.test(s)) {
    if (HEX_RE.test(s) && /^41/.test(s)) {
      refuse("bad_length", `A hex TRON address has 42 characters; this one has ${s.length}.`);
    }
    refuse("bad_characters", "The address contains characters that cannot appear in a TRON address.");
  }
  if (s[0] === "T") return fromBase58(s);
  if ((s[0] === "1" || s[0] === "3") && s.length >= 25 && s.length <= 35) {
    refuse("other_chain", "This looks like a Bitcoin address, not a TRON address.");
  }
  if (s.length >= 32 && s.length <= 44) {
    refuse("other_chain", "This looks like an address from another chain (e.g. Solana), not a TRON address.");
  }
  refuse("bad_prefix", "A TRON address starts with T.");
}

/** True when `input` is a valid TRON address (Base58 or 41-hex). */
export function isTronAddress(input: string): boolean {
  try {
    parseAddress(input);
    return true;
  } catch {
    return false;
  }
}

/** Lowercase 41-hex (21 bytes) of a valid address in either form. */
export function toHex(addr: string): string {
  const b58 = parseAddress(addr);
  return Buffer.from(base58Decode(b58).subarray(0, 21)).toString("hex");
}

/**
 * The node prints 20-byte EVM-style bodies in logs/ABI words (no 41 prefix): 40 hex chars, or a
 * 64-char ABI word. Returns Base58.
 */
export function fromEvmHex(hex: string): string {
  const h = hex.replace(/^0x/i, "").toLowerCase();
  const body = h.length === 64 ? h.slice(24) : h;
  if (!/^[0-9a-f]{40}$/.test(body)) refuse("bad_length", "Not a 20-byte address body.");
  return hexToBase58(`41${body}`);
}

/** Same address regardless of form (Base58 or hex, any hex case). Invalid input is never "same". */
export function sameAddress(a: string, b: string): boolean {
  try {
    return toHex(a) === toHex(b);
  } catch {
    return false;
  }
}

/** "TR7NHq…Lj6t" (lib/format shortens addresses for every surface). */
export { shortAddress } from "@/lib/format";
