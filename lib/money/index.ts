import { AppError } from "@/lib/errors";
import { formatAmount } from "@/lib/format";

/**
 * Money is integer sun (`bigint`): 1 TRX = 1,000,000 sun; USDT in its 6-decimal base unit.
 * This module is the one place user-typed amounts become integers and integers become text.
 * No floating point anywhere.
 */
const SUN_PER_TRX = 1_000_000n;
const USDT_DECIMALS = 6;
/** The largest amount accepted from input: 10^15 TRX. */
const MAX_TRX = 10n ** 15n;
export const MAX_SUN = MAX_TRX * SUN_PER_TRX;

type ParseOptions = {
  /** Allow a leading minus sign (adjustments). Default false. */
  allowNegative?: boolean;
  /** Allow zero. Default false. */
  allowZero?: boolean;
  /** Decimal places (6 for TRX and USDT). */
  decimals?: number;
  /** Field name for the error. */
  field?: string;
};

const fail = (message: string, field: string, reason: string) =>
  new AppError("invalid_amount", message, { fields: { [field]: message }, details: { reason } });

/**
 * Parses user input ("12.5", "0.000001", "1,000", "1 000", "１２") into base units.
 * Refuses: empty, more than `decimals` decimals, negatives (unless allowed), NaN/Infinity,
 * exponent notation, values beyond 10^15 whole units, and anything that is not a plain number.
 */
export function parseAmount(input: string | number | bigint, opts: ParseOptions = {}): bigint {
  const decimals = opts.decimals ?? 6;
  const field = opts.field ?? "amount";
  if (typeof input === "bigint") throw fail("Amount must be given as text.", field, "type");
  if (typeof input === "number") {
    // Numbers are refused unless they are exact safe integers: a float is not money.
    if (!Number.isSafeInteger(input)) throw fail("Amount must be given as text.", field, "type");
    input = String(input);
  }
  // Full-width digits and separators (common in Chinese input methods) → ASCII.
  let s = input.normalize("NFKC").trim();
  if (s === "") throw fail("Enter an amount.", field, "empty");
  if (/^[+-]?(nan|infinity|inf)$/i.test(s)) throw fail("That is not a number.", field, "not_a_number");
  if (/\d[eE][+-]?\d/.test(s)) throw fail("Write the amount without exponent notation.", field, "exponent");
  let negative = false;
  if (s.startsWith("-")) {
    negative = true;
    s = s.slice(1).trim();
  } else if (s.startsWith("+")) {
    s = s.slice(1).trim();
  }
  // Thousands separators: "1,000", "1 000", "1_000" (only between groups of three digits).
  if (/^\d{1,3}([, _]\d{3})+(\.\d*)?$/.test(s)) s = s.replace(/[, _]/g, "");
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(s)) throw fail("That is not a valid amount.", field, "format");
  const [whole, frac = ""] = s.split(".");
  if (frac.length > decimals)
    throw fail(`Use at most ${decimals} decimal places.`, field, "too_many_decimals");
  const scale = 10n ** BigInt(decimals);
  const value =
    BigInt(whole || "0") * scale + BigInt((frac + "0".repeat(decimals)).slice(0, decimals) || "0");
  if (value === 0n && !opts.allowZero) throw fail("Amount must be greater than zero.", field, "zero");
  if (negative && value !== 0n && !opts.allowNegative)
    throw fail("Amount must not be negative.", field, "negative");
  if (value > MAX_TRX * scale) throw fail("That amount is too large.", field, "too_large");
  return negative ? -value : value;
}

/** "12.5" TRX → 12,500,000n sun. */
export const parseTrx = (input: string | number, opts: Omit<ParseOptions, "decimals"> = {}) =>
  parseAmount(input, { ...opts, decimals: 6 });

/** "12.5" USDT → 12,500,000n base units. */
export const parseUsdt = (input: string | number, opts: Omit<ParseOptions, "decimals"> = {}) =>
  parseAmount(input, { ...opts, decimals: USDT_DECIMALS });

/** Integers → text lives in lib/format (pure, also used by client components); re-exported here. */
export { formatAmount, formatInteger, formatTrx, formatUsdt } from "@/lib/format";

/** Reads a decimal-string integer from JSON back into bigint, refusing anything else. */
export function sunFromJson(v: string, field = "amount"): bigint {
  if (!/^-?\d{1,25}$/.test(v)) throw fail("Amount must be an integer string.", field, "format");
  return BigInt(v);
}

/** ceil(a / b) for non-negative bigints. */
export function ceilDiv(a: bigint, b: bigint): bigint {
  if (b <= 0n || a < 0n) throw new RangeError("ceilDiv expects a >= 0 and b > 0");
  return (a + b - 1n) / b;
}

/** Percentage of `part` in `whole`, truncated to whole percent (for "You save 55%"). */
export function percentOf(part: bigint, whole: bigint): bigint {
  if (whole <= 0n) return 0n;
  return (part * 100n) / whole;
}

/**
 * TRX as a JS number for chart axes only (plotting needs numbers). Never use it for arithmetic,
 * storage or any displayed amount: those stay bigint and go through `formatTrx`.
 */
export function trxForChart(sunValue: bigint): number {
  return Number(formatAmount(sunValue, { decimals: 6, grouping: false }));
}
