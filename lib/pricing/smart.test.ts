import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { defaultSettings, settingsSchema } from "@/lib/settings/schema";
import { delegationSunForEnergy, driftHeadroomBps } from "@/lib/tron/resources";
import { pricingChanges } from "./changes";
import { quoteToJson, quoteWith } from "./index";
import { type Market, multiplierAt, orderCostSun, smartPrice, volumeDiscountPercent } from "./smart";
import { readQuoteToken, signQuote } from "./token";

const withPricing = (pricing: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  settingsSchema.parse({
    ...defaultSettings,
    ...extra,
    pricing: { ...(defaultSettings.pricing as object), ...pricing },
  });

/** Mainnet-like chain figures: 180e9 energy over 19e9 TRX of stake, 1,000 sun per byte. */
const market = (m: Partial<Market> = {}): Market => ({
  utilisationBps: 0,
  burnPriceSun: 100n,
  burnPriceLive: true,
  weights: { totalEnergyWeight: 19_000_000_000n, totalEnergyLimit: 180_000_000_000n },
  sunPerByte: 1_000n,
  txBytes: 300n,
  afterReclaimSeconds: 43_200n,
  ...m,
});

const curve = [
  { utilisationPercent: 0, multiplierBps: 10_000 },
  { utilisationPercent: 50, multiplierBps: 10_000 },
  { utilisationPercent: 90, multiplierBps: 14_000 },
  { utilisationPercent: 100, multiplierBps: 20_000 },
];

describe("smart pricing: the utilisation curve", () => {
  it("is flat before the first point and after the last, linear between, rounded up", () => {
    const c = [{ utilisationPercent: 20, multiplierBps: 11_000 }, ...curve.slice(2)];
    expect(multiplierAt(c, 0)).toBe(11_000);
    expect(multiplierAt(c, 2_000)).toBe(11_000);
    expect(multiplierAt(c, 5_500)).toBe(11_000 + Math.ceil((3_000 * 3_500) / 7_000));
    expect(multiplierAt(c, 9_000)).toBe(14_000);
    expect(multiplierAt(c, 9_500)).toBe(17_000);
    expect(multiplierAt(c, 10_000)).toBe(20_000);
    // one basis point of utilisation over a 7,000 bp segment: 3,000 × 1 / 7,000 rounds up to 1
    expect(multiplierAt(c, 2_001)).toBe(11_001);
    expect(multiplierAt(curve, 7_000)).toBe(12_000);
    expect(multiplierAt(curve, -5)).toBe(10_000);
    expect(multiplierAt(curve, 12_000)).toBe(20_000);
  });

  it("never falls as utilisation rises", () => {
    let last = 0;
    for (let u = 0; u <= 10_000; u += 7) {
      const m = multiplierAt(curve, u);
      expect(m).toBeGreaterThanOrEqual(last);
      last = m;
    }
  });

  it("the schema refuses a curve that is not monotone, empty, or out of bounds", () => {
    const bad = [
      [],
      [
        { utilisationPercent: 50, multiplierBps: 10_000 },
        { utilisationPercent: 50, multiplierBps: 12_000 },
      ],
      [
        { utilisationPercent: 60, multiplierBps: 10_000 },
        { utilisationPercent: 50, multiplierBps: 12_000 },
      ],
      [
        { utilisationPercent: 0, multiplierBps: 12_000 },
        { utilisationPercent: 80, multiplierBps: 11_000 },
      ],
      [{ utilisationPercent: 101, multiplierBps: 10_000 }],
      [{ utilisationPercent: 0, multiplierBps: 999 }],
      [{ utilisationPercent: 0.5, multiplierBps: 10_000 }],
    ];
    for (const c of bad) {
      const r = settingsSchema.safeParse({
        ...defaultSettings,
        pricing: { ...(defaultSettings.pricing as object), utilisationCurve: c },
      });
      expect(r.success, JSON.stringify(c)).toBe(false);
    }
    expect(withPricing({ utilisationCurve: curve }).pricing.utilisationCurve).toEqual(curve);
  });
});

describe("smart pricing: discounts", () => {
  const tiers = [
    { energy: 500_000, percent: 5 },
    { energy: 2_000_000, percent: 10 },
  ];

  it("the largest threshold reached applies", () => {
    expect(volumeDiscountPercent(tiers, 499_999n)).toBe(0);
    expect(volumeDiscountPercent(tiers, 500_000n)).toBe(5);
    expect(volumeDiscountPercent(tiers, 1_999_999n)).toBe(5);
    expect(volumeDiscountPercent(tiers, 5_000_000n)).toBe(10);
    expect(volumeDiscountPercent([], 5_000_000n)).toBe(0);
  });

  it("volume and reseller discounts multiply; the discount is rounded so the price rounds up", () => {
    const s = withPricing({ volumeDiscounts: tiers, resellerDiscountPercent: 3 });
    // 500,001 × 45 = 22,500,045 sun; × 95% × 97% = 20,733,791.4675 → 20,733,792
    const p = smartPrice(
      s,
      { energy: 500_001n, unitPriceSun: 45n, durationSeconds: 3600, reseller: true },
      market(),
    );
    expect(p.basePriceSun).toBe(22_500_045n);
    expect(p.volumeDiscountPercent).toBe(5);
    expect(p.resellerDiscountPercent).toBe(3);
    expect(p.priceSun).toBe(20_733_792n);
    expect(p.discountSun).toBe(22_500_045n - 20_733_792n);
    // not a reseller: only the volume discount
    const own = smartPrice(s, { energy: 500_001n, unitPriceSun: 45n, durationSeconds: 3600 }, market());
    expect(own.resellerDiscountPercent).toBe(0);
    expect(own.priceSun).toBe(21_375_043n); // 22,500,045 × 0.95 = 21,375,042.75 → up
  });

  it("the schema refuses thresholds that fall, discounts that shrink with volume, or out of range", () => {
    for (const v of [
      [
        { energy: 500_000, percent: 5 },
        { energy: 400_000, percent: 10 },
      ],
      [
        { energy: 500_000, percent: 10 },
        { energy: 900_000, percent: 5 },
      ],
      [{ energy: 500_000, percent: 91 }],
      [{ energy: 0, percent: 5 }],
    ]) {
      const r = settingsSchema.safeParse({
        ...defaultSettings,
        pricing: { ...(defaultSettings.pricing as object), volumeDiscounts: v },
      });
      expect(r.success, JSON.stringify(v)).toBe(false);
    }
    for (const res of [-1, 91, 2.5]) {
      const r = settingsSchema.safeParse({
        ...defaultSettings,
        pricing: { ...(defaultSettings.pricing as object), resellerDiscountPercent: res },
      });
      expect(r.success).toBe(false);
    }
  });
});

describe("smart pricing: the cost floor", () => {
  it("is the bandwidth of two transactions plus the stake held at the APR, from the chain's figures", () => {
    const m = market();
    const seconds = 3600;
    const c = orderCostSun({
      energy: 65_000n,
      durationSeconds: seconds,
      market: m,
      aprBps: 400,
      headroomBpsPerDay: 5,
    });
    const delegated = delegationSunForEnergy(65_000n, m.weights!, {
      headroomBps: driftHeadroomBps(seconds, 5),
    });
    expect(c.delegatedSun).toBe(delegated);
    expect(c.bandwidthSun).toBe(600_000n);
    const sunSeconds = delegated * (3600n + 43_200n) * 400n;
    const year = 10_000n * 31_536_000n;
    expect(c.stakeSun).toBe((sunSeconds + year - 1n) / year);
    expect(c.costSun).toBe(c.bandwidthSun + c.stakeSun);
    // a 30-day rental holds the stake 30 days
    const long = orderCostSun({
      energy: 65_000n,
      durationSeconds: 30 * 86_400,
      market: m,
      aprBps: 400,
      headroomBpsPerDay: 5,
    });
    expect(long.stakeSun).toBeGreaterThan(c.stakeSun * 50n);
  });

  it("raises a price below cost to the floor (plus its margin), and leaves one above alone", () => {
    const cheap = withPricing({ floorMarginBps: 2_000 }, { durations: [{ key: "1h", unitPriceSun: "1" }] });
    const p = smartPrice(cheap, { energy: 65_000n, unitPriceSun: 1n, durationSeconds: 3600 }, market());
    expect(p.listPriceSun).toBe(65_000n);
    expect(p.floorSun).toBe((p.costSun * 12_000n + 9_999n) / 10_000n);
    expect(p.priceSun).toBe(p.floorSun);
    expect(p.atFloor).toBe(true);
    const normal = smartPrice(
      withPricing({}),
      { energy: 65_000n, unitPriceSun: 45n, durationSeconds: 3600 },
      market(),
    );
    expect(normal.atFloor).toBe(false);
    expect(normal.priceSun).toBe(2_925_000n);
  });

  it("no combination of curve, discounts, fee and minimum ever prices below the floor", () => {
    const s = withPricing(
      {
        utilisationCurve: curve,
        volumeDiscounts: [
          { energy: 100_000, percent: 40 },
          { energy: 1_000_000, percent: 90 },
        ],
        resellerDiscountPercent: 90,
        floorMarginBps: 500,
      },
      { orderFeeSun: "1000", minOrderPriceSun: "500000" },
    );
    for (const energy of [32_000n, 65_000n, 131_000n, 999_999n, 1_000_000n, 5_000_000n]) {
      for (const u of [0, 5_000, 9_999, 10_000]) {
        for (const [unit, seconds] of [
          [1n, 3600],
          [45n, 3600],
          [210n, 3 * 86_400],
          [1800n, 30 * 86_400],
        ] as const) {
          for (const reseller of [false, true]) {
            const p = smartPrice(
              s,
              { energy, unitPriceSun: unit, durationSeconds: seconds, reseller },
              market({ utilisationBps: u }),
            );
            expect(p.priceSun).toBeGreaterThanOrEqual(p.floorSun);
            expect(p.priceSun).toBeGreaterThanOrEqual(p.costSun);
            expect(p.priceSun).toBeGreaterThanOrEqual(500_000n);
            expect(typeof p.priceSun).toBe("bigint");
          }
        }
      }
    }
  });

  it("without chain figures (the settings' own market) the floor is zero and prices are the settings' alone", () => {
    const q = quoteWith(withPricing({ utilisationCurve: curve }), { energy: 131_000, duration: "1h" });
    expect(q.floorSun).toBe(0n);
    expect(q.priceSun).toBe(5_895_000n);
    expect(q.burnPriceLive).toBe(false);
  });
});

describe("smart pricing: quotes", () => {
  it("a busy pool raises the quote along the curve; the saving uses the market's burn price", () => {
    const s = withPricing({ utilisationCurve: curve });
    const idle = quoteWith(s, { energy: 131_000, duration: "1h" }, market({ utilisationBps: 3_000 }));
    const busy = quoteWith(
      s,
      { energy: 131_000, duration: "1h" },
      market({ utilisationBps: 9_500, burnPriceSun: 210n }),
    );
    expect(idle.priceSun).toBe(5_895_000n);
    expect(busy.multiplierBps).toBe(17_000);
    expect(busy.priceSun).toBe(10_021_500n); // 5,895,000 × 1.7
    expect(busy.burnPriceSun).toBe(210n);
    expect(busy.burnSun).toBe(27_510_000n);
    expect(busy.savingSun).toBe(27_510_000n - 10_021_500n);
    expect(busy.savingPercent).toBe(63);
    const json = quoteToJson(busy);
    expect(json).toMatchObject({
      price_sun: "10021500",
      burn_price_sun: "210",
      burn_price_live: true,
      discount_sun: "0",
    });
  });
});

describe("held quote tokens", () => {
  const held = {
    userId: 7,
    energy: 65_000n,
    duration: "1h",
    reseller: false,
    priceSun: 2_925_000n,
    expiresAt: new Date("2030-01-01T00:00:00Z"),
  };

  it("round-trip what was signed", () => {
    const { id, token } = signQuote(held);
    expect(readQuoteToken(token)).toEqual({ ...held, id });
  });

  it("an altered payload, signature or shape is refused", () => {
    const { token } = signQuote(held);
    const [payload, sig] = token.split(".");
    const raw = JSON.parse(Buffer.from(payload, "base64url").toString());
    const cheaper = Buffer.from(JSON.stringify({ ...raw, p: "1" })).toString("base64url");
    expect(readQuoteToken(`${cheaper}.${sig}`)).toBeNull();
    const flipped = sig[0] === "A" ? `B${sig.slice(1)}` : `A${sig.slice(1)}`;
    expect(readQuoteToken(`${payload}.${flipped}`)).toBeNull();
    for (const t of ["", "x", `${payload}`, `${payload}.${sig}.x`, `${"a".repeat(700)}.${sig}`])
      expect(readQuoteToken(t)).toBeNull();
  });
});

describe("pricing changes for the audit log", () => {
  it("names each changed price field with its old and new value, and nothing else", () => {
    const before = { ...defaultSettings } as Record<string, unknown>;
    const after = {
      ...before,
      durations: (defaultSettings.durations as { key: string; unitPriceSun: string }[]).map((d) =>
        d.key === "1h" ? { ...d, unitPriceSun: "50" } : d,
      ),
      pricing: { ...(defaultSettings.pricing as object), resellerDiscountPercent: 5 },
      energyMax: 6_000_000,
    };
    expect(pricingChanges(before, after)).toEqual([
      { field: "durations.1h.unitPriceSun", from: "45", to: "50" },
      { field: "pricing.resellerDiscountPercent", from: 0, to: 5 },
    ]);
  });
});

it("parse errors are AppErrors (the settings form's pairs)", async () => {
  const { settingsPatchFromForm, settingsFormValues } = await import("@/lib/admin/settings-form");
  const current = settingsSchema.parse(defaultSettings);
  const fd = new FormData();
  for (const [k, v] of Object.entries(settingsFormValues(current))) fd.set(k, v);
  for (const d of current.durations) fd.set(`price_${d.key}`, d.unitPriceSun.toString());
  fd.set("pricingCurve", "0:10000, 80:12500, 100:15000");
  fd.set("pricingVolumeDiscounts", "500000:5; 2000000:10");
  const patch = settingsPatchFromForm(fd, current);
  const next = settingsSchema.parse({ ...defaultSettings, ...patch });
  expect(next.pricing.utilisationCurve).toEqual([
    { utilisationPercent: 0, multiplierBps: 10_000 },
    { utilisationPercent: 80, multiplierBps: 12_500 },
    { utilisationPercent: 100, multiplierBps: 15_000 },
  ]);
  expect(next.pricing.volumeDiscounts).toEqual([
    { energy: 500_000, percent: 5 },
    { energy: 2_000_000, percent: 10 },
  ]);
  expect(settingsFormValues(next).pricingCurve).toBe("0:10000, 80:12500, 100:15000");
  fd.set("pricingCurve", "0-10000");
  expect(() => settingsPatchFromForm(fd, current)).toThrow(AppError);
  fd.set("pricingCurve", "");
  const empty = settingsSchema.safeParse({ ...defaultSettings, ...settingsPatchFromForm(fd, current) });
  expect(empty.success).toBe(false); // a curve needs a point
});
