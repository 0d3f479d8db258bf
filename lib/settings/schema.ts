import { z } from "zod";

/** Settings values travel as JSON: sun amounts are decimal strings (or safe integers) read as bigint. */
const sunValue = z
  .union([z.string().regex(/^\d{1,22}$/, "Must be a whole number of sun."), z.number().int().nonnegative()])
  .transform((v) => BigInt(v));
const positiveSun = sunValue.refine((v) => v > 0n, "Must be greater than zero.");

export const durationKeyRe = /^[1-9]\d{0,2}[hd]$/;

export const durationSchema = z.object({
  key: z.string().regex(durationKeyRe, 'Use a key like "1h" or "3d".'),
  /** Unit price in sun per energy for the whole rental. */
  unitPriceSun: positiveSun,
  enabled: z.boolean().default(true),
});

export const settingsSchema = z
  .object({
    durations: z
      .array(durationSchema)
      .min(1, "Offer at least one duration.")
      .max(12)
      .refine((d) => new Set(d.map((x) => x.key)).size === d.length, "Durations must be unique."),
    energyMin: z.number().int().min(10_000).max(100_000_000),
    energyMax: z.number().int().min(10_000).max(100_000_000),
    presets: z.array(z.number().int().positive()).min(1).max(6),
    /** Sun burned per energy without energy (chain parameter getEnergyFee; 100 on mainnet now). */
    burnPriceSun: positiveSun,
    /** Flat fee added to every order, in sun (covers the bandwidth each delegate / undelegate burns). */
    orderFeeSun: sunValue,
    /** No order costs less than this, in sun (0: no minimum). */
    minOrderPriceSun: sunValue,
    /** Extra energy delegated per started day of a rental, in basis points, against the total weight drifting. */
    driftHeadroomBpsPerDay: z.number().int().min(0).max(100),
    /** Energy a USDT transfer needs when the recipient holds USDT / holds none. */
    usdtEnergyHolder: z.number().int().positive(),
    usdtEnergyEmpty: z.number().int().positive(),
    quoteTtlSeconds: z.number().int().min(30).max(3600),
    minDepositTrxSun: positiveSun,
    minDepositUsdtBase: positiveSun,
    /** Sun credited per 1 USDT (1,000,000 base units). */
    usdtRateSun: positiveSun,
    maintenance: z.object({ enabled: z.boolean(), message: z.string().max(500) }),
    alerts: z.object({
      poolLowEnergy: z.number().int().nonnegative(),
      walletLowTrxSun: sunValue,
      stuckOrderMinutes: z.number().int().positive(),
      failureRatePercent: z.number().int().min(1).max(100),
      scannerLagBlocks: z.number().int().positive(),
      /** Warn when a pool wallet's bandwidth and TRX pay for fewer delegate / undelegate transactions than this. */
      walletMinTxs: z.number().int().min(0).max(100_000).default(20),
    }),
    collection: z.object({
      intervalMinutes: z.number().int().min(1).max(1440),
      trxThresholdSun: positiveSun,
      usdtThresholdBase: positiveSun,
    }),
    /** Opportunity cost of delegated TRX for finance, in basis points per year. */
    delegatedAprBps: z.number().int().min(0).max(10_000),
  })
  .refine((s) => s.energyMin <= s.energyMax, {
    message: "Minimum energy must not exceed the maximum.",
    path: ["energyMin"],
  })
  .refine((s) => s.presets.every((p) => p >= s.energyMin && p <= s.energyMax), {
    message: "Presets must lie between the minimum and maximum energy.",
    path: ["presets"],
  });

export type Settings = z.infer<typeof settingsSchema>;
export type SettingsInput = z.input<typeof settingsSchema>;
export type DurationSetting = Settings["durations"][number];

/** The defaults a fresh install starts with (the seed writes them, reads fall back to them). */
export const defaultSettings: SettingsInput = {
  durations: [
    { key: "1h", unitPriceSun: "45" },
    { key: "1d", unitPriceSun: "75" },
    { key: "3d", unitPriceSun: "210" },
    { key: "7d", unitPriceSun: "460" },
    { key: "14d", unitPriceSun: "880" },
    { key: "30d", unitPriceSun: "1800" },
  ],
  energyMin: 32_000,
  energyMax: 5_000_000,
  presets: [65_000, 131_000],
  burnPriceSun: "100",
  orderFeeSun: "0",
  minOrderPriceSun: "0",
  driftHeadroomBpsPerDay: 5,
  usdtEnergyHolder: 65_000,
  usdtEnergyEmpty: 131_000,
  quoteTtlSeconds: 300,
  minDepositTrxSun: "1000000",
  minDepositUsdtBase: "1000000",
  usdtRateSun: "3500000",
  maintenance: { enabled: false, message: "" },
  alerts: {
    poolLowEnergy: 1_000_000,
    walletLowTrxSun: "50000000",
    stuckOrderMinutes: 10,
    failureRatePercent: 20,
    scannerLagBlocks: 100,
    walletMinTxs: 20,
  },
  collection: { intervalMinutes: 60, trxThresholdSun: "10000000", usdtThresholdBase: "10000000" },
  delegatedAprBps: 400,
};

/** "1h" → 3600, "3d" → 259200. */
export function durationSeconds(key: string): number {
  const m = /^(\d+)([hd])$/.exec(key);
  if (!m) throw new RangeError(`Bad duration key ${key}`);
  return Number(m[1]) * (m[2] === "h" ? 3600 : 86_400);
}

/** JSON-safe form of settings (bigints as strings), for storing and for clients. */
export function serializeSettings(s: Settings): SettingsInput {
  return JSON.parse(JSON.stringify(s, (_k, v) => (typeof v === "bigint" ? v.toString() : v)));
}
