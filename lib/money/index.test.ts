import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import {
  ceilDiv,
  formatAmount,
  formatInteger,
  formatTrx,
  formatUsdt,
  MAX_SUN,
  parseAmount,
  parseTrx,
  parseUsdt,
  percentOf,
  sunFromJson,
} from "./index";

const reason = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe("invalid_amount");
    expect((e as AppError).status).toBe(400);
    return (e as AppError).details?.reason;
  }
  throw new Error("expected a refusal");
};

describe("parseTrx", () => {
  it.each([
    ["12.5", 12_500_000n],
    ["0.000001", 1n],
    ["1,000", 1_000_000_000n],
    ["1,234,567.89", 1_234_567_890_000n],
    ["1 000", 1_000_000_000n],
    ["  7 ", 7_000_000n],
    [".5", 500_000n],
    ["5.", 5_000_000n],
    ["+3", 3_000_000n],
    ["００１２．５", 12_500_000n],
    ["1000000000000000", MAX_SUN],
    [42, 42_000_000n],
  ])("%s → %s sun", (input, sun) => {
    expect(parseTrx(input as string)).toBe(sun);
  });

  it("keeps every digit of large values exactly", () => {
    expect(parseTrx("999999999999999.999999")).toBe(999_999_999_999_999_999_999n);
  });

  it.each([
    ["", "empty"],
    ["   ", "empty"],
    ["1.0000001", "too_many_decimals"],
    ["-1", "negative"],
    ["NaN", "not_a_number"],
    ["Infinity", "not_a_number"],
    ["-inf", "not_a_number"],
    ["1e6", "exponent"],
    ["1E-3", "exponent"],
    ["1000000000000000.000001", "too_large"],
    ["10000000000000000", "too_large"],
    ["0", "zero"],
    ["0.000000", "zero"],
    ["12abc", "format"],
    ["1,00", "format"],
    ["1.2.3", "format"],
    ["0x10", "format"],
    ["--1", "format"],
    ["1,000.5.5", "format"],
  ])("refuses %j (%s)", (input, why) => {
    expect(reason(() => parseTrx(input))).toBe(why);
  });

  it("refuses floats and bigints given as numbers", () => {
    expect(reason(() => parseTrx(0.1))).toBe("type");
    expect(reason(() => parseTrx(Number.NaN))).toBe("type");
    expect(reason(() => parseAmount(5n as any))).toBe("type");
  });

  it("allows negatives and zero only when asked", () => {
    expect(parseTrx("-2.5", { allowNegative: true })).toBe(-2_500_000n);
    expect(parseTrx("0", { allowZero: true })).toBe(0n);
  });

  it("names the field in the error", () => {
    try {
      parseTrx("x", { field: "minDeposit" });
    } catch (e) {
      expect((e as AppError).fields).toEqual({ minDeposit: "That is not a valid amount." });
    }
  });

  it("parses USDT with 6 decimals", () => {
    expect(parseUsdt("10.25")).toBe(10_250_000n);
    expect(reason(() => parseUsdt("0.0000001"))).toBe("too_many_decimals");
  });
});

describe("format", () => {
  it.each([
    [20_500_000n, "20.5 TRX"],
    [1n, "0.000001 TRX"],
    [0n, "0 TRX"],
    [1_234_500_000n, "1,234.5 TRX"],
    [5_895_000n, "5.895 TRX"],
    [-1_995_000n, "-1.995 TRX"],
    [MAX_SUN, "1,000,000,000,000,000 TRX"],
    [999_999_999_999_999_999_999n, "999,999,999,999,999.999999 TRX"],
  ])("%s sun → %s", (sun, text) => {
    expect(formatTrx(sun)).toBe(text);
  });

  it("round-trips every formatted value", () => {
    for (const v of [1n, 10n, 123_456_789n, 1_000_000n, 987_654_321_012_345n]) {
      expect(parseTrx(formatTrx(v, { unit: false }))).toBe(v);
    }
  });

  it("truncates, never rounds up, when fewer decimals are shown", () => {
    expect(formatAmount(1_999_999n, { maxDecimals: 2 })).toBe("1.99");
    expect(formatAmount(1_500_000n, { minDecimals: 2 })).toBe("1.50");
    expect(formatAmount(1_000_000n, { grouping: false, signed: true })).toBe("+1");
  });

  it("formats USDT and integers", () => {
    expect(formatUsdt(1_000_000n)).toBe("1 USDT");
    expect(formatInteger(131_000n)).toBe("131,000");
    expect(formatInteger(600)).toBe("600");
  });
});

describe("helpers", () => {
  it("ceilDiv and percentOf are exact", () => {
    expect(ceilDiv(10n, 3n)).toBe(4n);
    expect(ceilDiv(9n, 3n)).toBe(3n);
    expect(ceilDiv(0n, 3n)).toBe(0n);
    expect(() => ceilDiv(1n, 0n)).toThrow(RangeError);
    expect(percentOf(7_205_000n, 13_100_000n)).toBe(55n);
  });

  it("sunFromJson accepts integer strings only", () => {
    expect(sunFromJson("5895000")).toBe(5_895_000n);
    expect(() => sunFromJson("1.5")).toThrow(AppError);
    expect(() => sunFromJson("1e3")).toThrow(AppError);
  });
});
