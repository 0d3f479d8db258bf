import { describe, expect, it } from "vitest";
import { ChainError, chainErrorFromMessage, classifyChainMessage } from "@/lib/tron/errors";
import { hexToText, int0, parseJsonBig } from "@/lib/tron/json";

const hex = (s: string) => Buffer.from(s, "utf8").toString("hex");

describe("chain error classification", () => {
  const cases: [string, string | undefined, string][] = [
    [
      "Contract validate error : delegateBalance must be less than or equal to available FreezeEnergyV2 balance",
      "CONTRACT_VALIDATE_ERROR",
      "insufficient_delegatable",
    ],
    [
      "Contract validate error : Account[41a614f803b6fd780986a42c78ec9c7f77e6ded13c] not exists",
      "CONTRACT_VALIDATE_ERROR",
      "not_activated",
    ],
    [
      "Contract validate error : insufficient delegateFrozenBalance(Energy), request=5000000, unlock_balance=0",
      "CONTRACT_VALIDATE_ERROR",
      "locked",
    ],
    [
      "Contract validate error : insufficient delegateFrozenBalance(Energy), request=5000000, unlock_balance=100",
      "CONTRACT_VALIDATE_ERROR",
      "insufficient_unlocked",
    ],
    [
      "Contract validate error : delegated Resource does not exist",
      "CONTRACT_VALIDATE_ERROR",
      "no_delegation",
    ],
    [
      "Contract validate error : Validate TransferContract error, balance is not sufficient.",
      "CONTRACT_VALIDATE_ERROR",
      "insufficient_balance",
    ],
    [
      "Contract validate error : The lock period of delegate resource cannot be less than 0 and cannot exceed 864000!",
      "CONTRACT_VALIDATE_ERROR",
      "validate_other",
    ],
    ["Dup transaction.", "DUP_TRANSACTION_ERROR", "duplicate"],
    ["Transaction already exists.", undefined, "duplicate"],
    ["Tapos check error.", "TAPOS_ERROR", "tapos"],
    ["Transaction expired", "TRANSACTION_EXPIRATION_ERROR", "expired"],
    ["Validate signature error: xyz", "SIGERROR", "bad_signature"],
    ["Account resource insufficient error.", "BANDWITH_ERROR", "bandwidth"],
    ["Server busy", "SERVER_BUSY", "server_busy"],
    ["something else", "OTHER_ERROR", "unknown"],
  ];
  it.each(cases)("%s", (text, code, kind) => {
    expect(classifyChainMessage(text, code)).toBe(kind);
    const e = chainErrorFromMessage(hex(text), { code, txid: "ab" });
    expect(e).toBeInstanceOf(ChainError);
    expect(e.code).toBe("chain_error");
    expect(e.kind).toBe(kind);
    expect(e.details?.chainMessage).toBe(text);
    expect(e.details?.txid).toBe("ab");
  });
});

describe("json helpers", () => {
  it("keeps int64 amounts exact", () => {
    const v = parseJsonBig(
      '{"balance":12345678901234567890,"small":42,"s":"12345678901234567890","f":1.5,"neg":-9007199254740993}',
    ) as Record<string, unknown>;
    expect(v.balance).toBe("12345678901234567890");
    expect(v.small).toBe(42);
    expect(v.s).toBe("12345678901234567890");
    expect(v.f).toBe(1.5);
    expect(int0.parse(v.balance)).toBe(12345678901234567890n);
    expect(int0.parse(v.neg)).toBe(-9007199254740993n);
    expect(int0.parse(undefined)).toBe(0n);
    expect(() => int0.parse(1.5)).toThrow();
    expect(parseJsonBig('{"a":"x\\"1234567890123456789"}')).toEqual({ a: 'x"1234567890123456789' });
  });
  it("decodes hex messages", () => {
    expect(hexToText(hex("Dup transaction."))).toBe("Dup transaction.");
    expect(hexToText("plain text")).toBe("plain text");
    expect(hexToText(undefined)).toBe("");
  });
});
