import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import {
  fromEvmHex,
  isTronAddress,
  parseAddress,
  sameAddress,
  shortAddress,
  toHex,
} from "@/lib/tron/address";

const USDT = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t";
const USDT_HEX = "41a614f803b6fd780986a42c78ec9c7f77e6ded13c";
const PK1 = "TMVQGm1qAQYVdetCeGRRkTWYYrLXuHK2HC";
const PK1_HEX = "417e5f4552091a69125d5dfcb7b8c2659029395bdf";

function reason(input: string): string | undefined {
  try {
    parseAddress(input);
    return undefined;
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe("invalid_address");
    expect((e as AppError).message.length).toBeGreaterThan(5);
    return (e as AppError).details?.reason as string;
  }
}

describe("parseAddress", () => {
  it("accepts real base58 addresses", () => {
    expect(parseAddress(USDT)).toBe(USDT);
    expect(parseAddress(PK1)).toBe(PK1);
    expect(parseAddress(`  ${USDT}\n`)).toBe(USDT);
  });
  it("normalises 41-hex in any case to base58", () => {
    expect(parseAddress(USDT_HEX)).toBe(USDT);
    expect(parseAddress(USDT_HEX.toUpperCase())).toBe(USDT);
    expect(parseAddress(PK1_HEX)).toBe(PK1);
  });
  it("refuses each bad form with a stable reason", () => {
    expect(reason("")).toBe("empty");
    expect(reason("   ")).toBe("empty");
    expect(reason("TR7NHqjeKQxGTCi8q8ZY4 pL8otSzgjLj6t")).toBe("whitespace");
    expect(reason("0xa614f803b6fd780986a42c78ec9c7f77e6ded13c")).toBe("evm_format");
    expect(reason("a614f803b6fd780986a42c78ec9c7f77e6ded13c")).toBe("evm_format");
    expect(reason("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6")).toBe("bad_length");
    expect(reason("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6tt")).toBe("bad_length");
    expect(reason("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u")).toBe("bad_checksum");
    expect(reason("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLjOt")).toBe("bad_characters");
    expect(reason("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjL-6t")).toBe("bad_characters");
    expect(reason("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa")).toBe("other_chain");
    expect(reason("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy")).toBe("other_chain");
    expect(reason("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq")).toBe("other_chain");
    expect(reason("tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx")).toBe("other_chain");
    // A valid TRON address that happens to start like a bech32 testnet address
    expect(parseAddress("TB1AaZzwQbXXmWfnQ2h7t1L3Asxm2qzxH3")).toBe("TB1AaZzwQbXXmWfnQ2h7t1L3Asxm2qzxH3");
    expect(reason("So11111111111111111111111111111111111111112")).toBe("other_chain");
    expect(reason("42a614f803b6fd780986a42c78ec9c7f77e6ded13c")).toBe("bad_prefix");
    expect(reason("41a614f803b6fd780986a42c78ec9c7f77e6ded1")).toBe("evm_format");
    expect(reason("41a614f803b6fd780986a42c78ec9c7f77e6ded13c00")).toBe("bad_length");
    expect(reason("abc")).toBe("bad_prefix");
  });
  it("isTronAddress mirrors parseAddress", () => {
    expect(isTronAddress(USDT)).toBe(true);
    expect(isTronAddress("0x00")).toBe(false);
  });
});

describe("helpers", () => {
  it("toHex is lowercase 41…", () => {
    expect(toHex(USDT)).toBe(USDT_HEX);
    expect(toHex(USDT_HEX.toUpperCase())).toBe(USDT_HEX);
    expect(toHex(PK1)).toBe(PK1_HEX);
  });
  it("sameAddress compares across forms and hex case", () => {
    expect(sameAddress(USDT, USDT_HEX.toUpperCase())).toBe(true);
    expect(sameAddress(USDT, PK1)).toBe(false);
    expect(sameAddress("junk", "junk")).toBe(false);
  });
  it("shortAddress", () => {
    expect(shortAddress(USDT)).toBe("TR7NHq…Lj6t");
  });
  it("fromEvmHex decodes log addresses and ABI words", () => {
    expect(fromEvmHex(USDT_HEX.slice(2))).toBe(USDT);
    expect(fromEvmHex(`${"0".repeat(24)}${USDT_HEX.slice(2)}`)).toBe(USDT);
  });
});
