import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { defaultSettings, settingsSchema } from "@/lib/settings/schema";
import { parseEnergy, priceTable, quoteWith } from "./index";

const settings = settingsSchema.parse(defaultSettings);

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return (e as AppError).code;
  }
  throw new Error("expected an error");
};

describe("quote", () => {
  it("matches the worked example: 131,000 energy for 1h at 45 sun", () => {
    const q = quoteWith(settings, { energy: 131_000, duration: "1h" });
    expect(q.priceSun).toBe(5_895_000n);
    expect(q.burnSun).toBe(13_100_000n);
    expect(q.savingSun).toBe(7_205_000n);
    expect(q.savingPercent).toBe(55);
    expect(q.durationSeconds).toBe(3600);
    expect(q.unitPriceSun).toBe(45n);
  });

  it("is exact for every energy in a range (no rounding drift)", () => {
    for (let e = 32_000; e <= 32_500; e++) {
      const q = quoteWith(settings, { energy: e, duration: "3d" });
      expect(q.priceSun).toBe(BigInt(e) * 210n);
      expect(q.burnSun - q.savingSun).toBe(q.priceSun > q.burnSun ? q.burnSun : q.priceSun);
    }
  });

  it("adds the flat fee", () => {
    const s = settingsSchema.parse({ ...defaultSettings, orderFeeSun: "500000" });
    expect(quoteWith(s, { energy: 65_000, duration: "1h" }).priceSun).toBe(65_000n * 45n + 500_000n);
  });

  it("a minimum order price raises small orders to it (price table too); larger ones are unchanged", () => {
    const s = settingsSchema.parse({
      ...defaultSettings,
      orderFeeSun: "300000",
      minOrderPriceSun: "3000000",
    });
    const small = quoteWith(s, { energy: 32_000, duration: "1h" }); // 1.44 + 0.3 TRX
    expect(small.priceSun).toBe(3_000_000n);
    expect(small.feeSun).toBe(300_000n);
    const big = quoteWith(s, { energy: 131_000, duration: "1h" });
    expect(big.priceSun).toBe(5_895_000n + 300_000n);
    const t = priceTable({ ...s, presets: [32_000] });
    expect(t.rows[0].prices.find((p) => p.durationKey === "1h")?.priceSun).toBe(3_000_000n);
    expect(settingsSchema.safeParse({ ...defaultSettings, minOrderPriceSun: "-1" }).success).toBe(false);
    expect(settingsSchema.safeParse({ ...defaultSettings, driftHeadroomBpsPerDay: 101 }).success).toBe(false);
  });

  it("refuses energy outside min/max, unknown durations and non-integers", () => {
    expect(code(() => quoteWith(settings, { energy: 31_999, duration: "1h" }))).toBe("energy_out_of_range");
    expect(code(() => quoteWith(settings, { energy: 5_000_001, duration: "1h" }))).toBe(
      "energy_out_of_range",
    );
    expect(code(() => quoteWith(settings, { energy: 65_000.5, duration: "1h" }))).toBe("energy_out_of_range");
    expect(code(() => quoteWith(settings, { energy: "65000.5", duration: "1h" }))).toBe(
      "energy_out_of_range",
    );
    expect(code(() => quoteWith(settings, { energy: "abc", duration: "1h" }))).toBe("energy_out_of_range");
    expect(code(() => quoteWith(settings, { energy: -65_000, duration: "1h" }))).toBe("energy_out_of_range");
    expect(code(() => quoteWith(settings, { energy: 65_000, duration: "2h" }))).toBe("unknown_duration");
    expect(code(() => quoteWith(settings, { energy: 65_000, duration: "" }))).toBe("unknown_duration");
  });

  it("parses energy text", () => {
    expect(parseEnergy("65,000")).toBe(65_000n);
    expect(parseEnergy("131k")).toBe(131_000n);
    expect(parseEnergy("65.5k")).toBe(65_500n);
    expect(parseEnergy(" 65000 ")).toBe(65_000n);
  });
});

describe("settings validation", () => {
  it("accepts the defaults", () => {
    expect(settingsSchema.safeParse(defaultSettings).success).toBe(true);
  });
  it.each([
    [{ energyMin: 200_000, energyMax: 100_000 }, "energyMin"],
    [{ presets: [10] }, "presets"],
    [{ durations: [] }, "durations"],
    [{ durations: [{ key: "1h", unitPriceSun: "0" }] }, "durations.0.unitPriceSun"],
    [{ durations: [{ key: "1h", unitPriceSun: "1.5" }] }, "durations.0.unitPriceSun"],
    [{ durations: [{ key: "hour", unitPriceSun: "45" }] }, "durations.0.key"],
    [{ burnPriceSun: -1 }, "burnPriceSun"],
    [{ usdtRateSun: "0" }, "usdtRateSun"],
  ])("refuses %j", (patch, path) => {
    const r = settingsSchema.safeParse({ ...defaultSettings, ...patch });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.path.join("."))).toContain(path);
  });
});

describe("price table", () => {
  it("lists presets × durations with the burn", () => {
    const t = priceTable(settings);
    expect(t.durations.map((d) => d.key)).toEqual(["1h", "1d", "3d", "7d", "14d", "30d"]);
    expect(t.rows[0].energy).toBe(65_000n);
    expect(t.rows[0].burnSun).toBe(6_500_000n);
    expect(t.rows[1].prices[0]).toEqual({ durationKey: "1h", priceSun: 5_895_000n });
  });
});
