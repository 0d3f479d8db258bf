import { describe, expect, it } from "vitest";
import {
  delegationSunForEnergy,
  driftHeadroomBps,
  energyForSun,
  LockPeriodError,
  lockPeriodBlocks,
  suggestUsdtEnergy,
  suggestUsdtEnergyFor,
  sunForEnergy,
} from "@/lib/tron/resources";

const W = { totalEnergyWeight: 19_000_000_000n, totalEnergyLimit: 180_000_000_000n };

describe("sunForEnergy", () => {
  it("65,000 energy at weight 19e9 / limit 180e9 is exactly 6,861,111,112 sun", () => {
    expect(sunForEnergy(65_000n, W)).toBe(6_861_111_112n);
  });
  it("131,000 energy", () => {
    // 131000e6 × 19/180 = 13,827,777,777.78 → ceil
    expect(sunForEnergy(131_000n, W)).toBe(13_827_777_778n);
  });
  it("has a minimum of 1 TRX", () => {
    expect(sunForEnergy(0n, W)).toBe(1_000_000n);
    expect(sunForEnergy(1n, W)).toBe(1_000_000n);
    expect(delegationSunForEnergy(1n, W)).toBe(1_000_000n);
    expect(delegationSunForEnergy(65_000n, W)).toBe(6_862_000_000n);
  });
  it("refuses zero weights", () => {
    expect(() => sunForEnergy(1n, { totalEnergyWeight: 0n, totalEnergyLimit: 1n })).toThrow();
  });
});

describe("energyForSun", () => {
  it("is the chain's Stake 2.0 EnergyLimit formula: fractional TRX count, doubles, truncated", () => {
    expect(energyForSun(6_861_111_112n, W)).toBe(65_000n); // 6861.111112 × 180/19
    expect(energyForSun(6_862_000_000n, W)).toBe(65_008n);
    expect(energyForSun(1_999_999n, W)).toBe(18n); // 1.999999 × 9.47 (Stake 1.0 truncated this to 9)
    expect(energyForSun(1_000_000n, W)).toBe(9n); // 180/19 = 9.47
    expect(energyForSun(0n, W)).toBe(0n);
  });
  it("rounds like the chain: 95 TRX grants 899 energy, not 900 (95 × 180/19 in doubles)", () => {
    expect(energyForSun(95_000_000n, W)).toBe(899n);
    // so 900 energy needs 96 TRX, although ceil(900 × 19 / 180) = 95
    expect(delegationSunForEnergy(900n, W)).toBe(96_000_000n);
    for (const e of [900n, 1_620n, 1_800n, 3_060n]) {
      expect(energyForSun(delegationSunForEnergy(e, W), W)).toBeGreaterThanOrEqual(e);
    }
  });
  it("adds headroom for the weight drifting during a rental", () => {
    expect(driftHeadroomBps(3600, 5)).toBe(1);
    expect(driftHeadroomBps(30 * 86_400, 5)).toBe(150);
    expect(driftHeadroomBps(30 * 86_400, 500)).toBe(1_000); // at most 10 %
    expect(driftHeadroomBps(86_400, 0)).toBe(0);
    const plain = delegationSunForEnergy(65_000n, W);
    const padded = delegationSunForEnergy(65_000n, W, { headroomBps: 150 });
    expect(energyForSun(padded, W)).toBeGreaterThanOrEqual(65_975n); // 65,000 × 1.015
    // still covered after the total weight grows by 1.4 %
    const drifted = { ...W, totalEnergyWeight: (W.totalEnergyWeight * 1014n) / 1000n };
    expect(energyForSun(plain, drifted)).toBeLessThan(65_000n);
    expect(energyForSun(padded, drifted)).toBeGreaterThanOrEqual(65_000n);
  });
  it("sunForEnergy is at most one TRX's worth of energy short of e", () => {
    for (const e of [1_000n, 65_000n, 131_000n, 1_234_567n]) {
      const got = energyForSun(sunForEnergy(e, W), W);
      expect(got).toBeLessThanOrEqual(e + 9n);
      expect(e - got).toBeLessThanOrEqual(10n);
    }
  });
  it("inverse properties: energyForSun(delegationSunForEnergy(e)) >= e, and one TRX less is < e", () => {
    const weights = [
      W,
      { totalEnergyWeight: 2_400_000_000n, totalEnergyLimit: 180_000_000_000n },
      { totalEnergyWeight: 7n, totalEnergyLimit: 13n },
    ];
    for (const w of weights) {
      for (const e of [1n, 10n, 999n, 64_285n, 65_000n, 130_285n, 131_000n, 1_000_000n, 123_456_789n]) {
        const sun = delegationSunForEnergy(e, w);
        expect(sun % 1_000_000n).toBe(0n);
        expect(energyForSun(sun, w)).toBeGreaterThanOrEqual(e);
        if (sun > 1_000_000n) expect(energyForSun(sun - 1_000_000n, w)).toBeLessThan(e);
        expect(sunForEnergy(e, w)).toBeLessThanOrEqual(sun);
      }
    }
  });
});

describe("lockPeriodBlocks", () => {
  it("is ceil(seconds / 3)", () => {
    expect(lockPeriodBlocks(3600, 864_000)).toBe(1200);
    expect(lockPeriodBlocks(86_400, 864_000)).toBe(28_800);
    expect(lockPeriodBlocks(4, 864_000)).toBe(2);
  });
  it("refuses more than the max with a typed error", () => {
    expect(() => lockPeriodBlocks(31 * 86_400, 864_000)).toThrow(LockPeriodError);
    try {
      lockPeriodBlocks(31 * 86_400, 864_000);
    } catch (e) {
      expect((e as LockPeriodError).details?.reason).toBe("too_long");
    }
    expect(lockPeriodBlocks(30 * 86_400, 864_000)).toBe(864_000);
    expect(() => lockPeriodBlocks(0, 10)).toThrow(LockPeriodError);
    expect(() => lockPeriodBlocks(Number.NaN, 10)).toThrow(LockPeriodError);
  });
  it("a chain without a max lock period (≤ 86,400 blocks) locks for 3 days whatever is asked: only 3 d rentals", () => {
    for (const [seconds, max] of [
      [3600, 86_400],
      [30 * 86_400, 86_400],
      [3600, 10_000],
    ]) {
      expect(() => lockPeriodBlocks(seconds, max)).toThrow(LockPeriodError);
      try {
        lockPeriodBlocks(seconds, max);
      } catch (e) {
        expect((e as LockPeriodError).reason).toBe("unsupported");
      }
    }
    expect(lockPeriodBlocks(3 * 86_400, 86_400)).toBe(86_400);
    expect(() => lockPeriodBlocks(3600, 864_000, { unfreezeDelayDays: 0 })).toThrow(LockPeriodError);
  });
});

describe("suggestUsdtEnergy", () => {
  it("depends on the USDT recipient's balance", () => {
    expect(suggestUsdtEnergy({ recipientUsdtBase: 0n })).toBe(131_000n);
    expect(suggestUsdtEnergy({ recipientUsdtBase: 1n })).toBe(65_000n);
    expect(suggestUsdtEnergy({ recipientUsdtBase: 0n, emptyEnergy: 140_000n })).toBe(140_000n);
  });
  it("async variant reads the recipient's balance", async () => {
    const seen: string[] = [];
    const client = {
      usdtBalanceOf: async (a: string) => {
        seen.push(a);
        return a === "holder" ? 5n : 0n;
      },
    };
    expect(await suggestUsdtEnergyFor(client, "holder")).toBe(65_000n);
    expect(await suggestUsdtEnergyFor(client, "empty")).toBe(131_000n);
    expect(seen).toEqual(["holder", "empty"]);
  });
});
