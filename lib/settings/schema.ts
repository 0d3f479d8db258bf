import { z } from "zod";

/**
 * How the admin console shows a setting (zod metadata, so the schema stays the one description of every
 * setting): the form field's name, its group, the kind of value typed, its unit and whether it has help
 * text. Bounds are the schema's own checks. Settings without it are not on the form.
 */
export type SettingFormMeta = {
  /** The form field's name (lib/admin/settings-form reads it back). */
  field: string;
  group: SettingGroup;
  /** integer: a whole number; integers: a comma-separated list; trx / usdt: a decimal amount; flag: a checkbox. */
  kind: "integer" | "integers" | "trx" | "usdt" | "text" | "flag";
  unit?: SettingUnit;
  /** The console has a help line for it. */
  help?: true;
};
/** The form's sections, in order. */
export const settingGroups = [
  "prices",
  "limits",
  "costs",
  "deposits",
  "transfers",
  "alerts",
  "maintenance",
  "referrals",
  "suppliers",
] as const;
export type SettingGroup = (typeof settingGroups)[number];
export type SettingUnit =
  | "energy"
  | "sunPerEnergy"
  | "trx"
  | "usdt"
  | "offers"
  | "packages"
  | "bp"
  | "bpPerDay"
  | "percent"
  | "minutes"
  | "blocks"
  | "days";
const form = (m: SettingFormMeta) => ({ form: m });
/** A setting's form metadata, if it is on the form. */
export function settingFormMeta(schema: z.ZodType): SettingFormMeta | undefined {
  return (schema.meta() as { form?: SettingFormMeta } | undefined)?.form;
}

/** Settings values travel as JSON: sun amounts are decimal strings (or safe integers) read as bigint. */
const sunValue = z
  .union([z.string().regex(/^\d{1,22}$/, "Must be a whole number of sun."), z.number().int().nonnegative()])
  .transform((v) => BigInt(v));
const positiveSun = sunValue.refine((v) => v > 0n, "Must be greater than zero.");

const durationKeyRe = /^[1-9]\d{0,2}[hd]$/;

export const durationSchema = z.object({
  key: z.string().regex(durationKeyRe, 'Use a key like "1h" or "3d".'),
  /** Unit price in sun per energy for the whole rental. */
  unitPriceSun: positiveSun.meta(
    form({ field: "price", group: "prices", kind: "integer", unit: "sunPerEnergy" }),
  ),
  enabled: z
    .boolean()
    .default(true)
    .meta(form({ field: "enabled", group: "prices", kind: "flag" })),
});

// Pay by transfer: one offer is "send exactly amountSun to the rental address → energy for duration".
export const transferOfferSchema = z.object({
  amountSun: positiveSun,
  energy: z.number().int().positive(),
  duration: z.string().regex(durationKeyRe, 'Use a key like "1h" or "3d".'),
  /**
   * The operator ticked "sell below the floor": the console saves it even when its amount is below
   * what the same energy and duration cost at the pricing floor (lib/pricing/offer-floors).
   */
  belowFloor: z.boolean().optional(),
});
export type TransferOffer = z.infer<typeof transferOfferSchema>;
// ---- smart pricing: the utilisation curve, discounts and the cost floor (lib/pricing/smart.ts)

/** One point of the utilisation curve: at `utilisationPercent` of the pool delegated, prices × `multiplierBps` / 10,000. */
export const curvePointSchema = z.object({
  utilisationPercent: z.number().int().min(0).max(100),
  multiplierBps: z.number().int().min(1_000).max(100_000),
});
/** A volume discount: orders of at least `energy` get `percent` off. */
export const volumeDiscountSchema = z.object({
  energy: z.number().int().positive().max(100_000_000),
  percent: z.number().int().min(1).max(90),
});

export const pricingSchema = z.object({
  /** Piecewise-linear multiplier by pool utilisation: utilisation strictly increasing, multiplier never falling. */
  utilisationCurve: z
    .array(curvePointSchema)
    .min(1, "Give at least one point.")
    .max(12, "At most 12 points.")
    .refine(
      (c) => c.every((p, i) => i === 0 || p.utilisationPercent > c[i - 1].utilisationPercent),
      "Utilisation must rise from point to point.",
    )
    .refine(
      (c) => c.every((p, i) => i === 0 || p.multiplierBps >= c[i - 1].multiplierBps),
      "The multiplier must not fall as utilisation rises.",
    )
    .meta(form({ field: "pricingCurve", group: "prices", kind: "text", help: true })),
  /** Volume discounts by energy threshold (the largest threshold reached applies). */
  volumeDiscounts: z
    .array(volumeDiscountSchema)
    .max(10, "At most 10 discounts.")
    .refine(
      (v) => v.every((d, i) => i === 0 || d.energy > v[i - 1].energy),
      "Thresholds must rise from one discount to the next.",
    )
    .refine(
      (v) => v.every((d, i) => i === 0 || d.percent >= v[i - 1].percent),
      "A larger order must not get a smaller discount.",
    )
    .meta(form({ field: "pricingVolumeDiscounts", group: "prices", kind: "text", help: true })),
  /** Percent off for orders placed through the reseller API. */
  resellerDiscountPercent: z
    .number()
    .int()
    .min(0)
    .max(90)
    .meta(
      form({
        field: "pricingResellerDiscount",
        group: "prices",
        kind: "integer",
        unit: "percent",
        help: true,
      }),
    ),
  /** The floor is the pool's cost of the order plus this margin, in basis points of that cost. */
  floorMarginBps: z
    .number()
    .int()
    .min(0)
    .max(100_000)
    .meta(form({ field: "pricingFloorMarginBps", group: "prices", kind: "integer", unit: "bp", help: true })),
  /** Read the burn price (getEnergyFee) from the chain; off: use `burnPriceSun`. */
  liveBurnPrice: z.boolean().meta(form({ field: "pricingLiveBurnPrice", group: "prices", kind: "flag" })),
});
export type PricingSettings = z.infer<typeof pricingSchema>;

// Per-transfer packages (lib/packages): N transfers at a price.
export const packageOfferSchema = z.object({
  transfers: z.number().int().min(1).max(10_000),
  priceSun: positiveSun,
  /** The operator ticked "sell below the floor" (see `transferOfferSchema`). */
  belowFloor: z.boolean().optional(),
});
export type PackageOffer = z.infer<typeof packageOfferSchema>;

export const settingsSchema = z
  .object({
    durations: z
      .array(durationSchema)
      .min(1, "Offer at least one duration.")
      .max(12)
      .refine((d) => new Set(d.map((x) => x.key)).size === d.length, "Durations must be unique."),
    energyMin: z
      .number()
      .int()
      .min(10_000)
      .max(100_000_000)
      .meta(form({ field: "energyMin", group: "limits", kind: "integer", unit: "energy" })),
    energyMax: z
      .number()
      .int()
      .min(10_000)
      .max(100_000_000)
      .meta(form({ field: "energyMax", group: "limits", kind: "integer", unit: "energy" })),
    presets: z
      .array(z.number().int().positive())
      .min(1)
      .max(6)
      .meta(form({ field: "presets", group: "limits", kind: "integers", unit: "energy" })),
    /** Sun burned per energy without energy: the fallback when `pricing.liveBurnPrice` is off or the chain's getEnergyFee cannot be read. */
    burnPriceSun: positiveSun,
    /** Flat fee added to every order, in sun (covers the bandwidth each delegate / undelegate burns). */
    orderFeeSun: sunValue.meta(
      form({ field: "orderFeeTrx", group: "costs", kind: "trx", unit: "trx", help: true }),
    ),
    /** No order costs less than this, in sun (0: no minimum). */
    minOrderPriceSun: sunValue.meta(
      form({ field: "minOrderPriceTrx", group: "costs", kind: "trx", unit: "trx", help: true }),
    ),
    /** Extra energy delegated per started day of a rental, in basis points, against the total weight drifting. */
    driftHeadroomBpsPerDay: z
      .number()
      .int()
      .min(0)
      .max(100)
      .meta(
        form({
          field: "driftHeadroomBpsPerDay",
          group: "costs",
          kind: "integer",
          unit: "bpPerDay",
          help: true,
        }),
      ),
    /** Energy a USDT transfer needs when the recipient holds USDT / holds none. */
    usdtEnergyHolder: z.number().int().positive(),
    usdtEnergyEmpty: z.number().int().positive(),
    quoteTtlSeconds: z.number().int().min(30).max(3600),
    minDepositTrxSun: positiveSun.meta(
      form({ field: "minDepositTrx", group: "deposits", kind: "trx", unit: "trx" }),
    ),
    minDepositUsdtBase: positiveSun.meta(
      form({ field: "minDepositUsdt", group: "deposits", kind: "usdt", unit: "usdt" }),
    ),
    /** Sun credited per 1 USDT (1,000,000 base units). */
    usdtRateSun: positiveSun.meta(
      form({ field: "usdtRateTrx", group: "deposits", kind: "trx", unit: "trx" }),
    ),
    maintenance: z.object({
      enabled: z.boolean().meta(form({ field: "maintenanceEnabled", group: "maintenance", kind: "flag" })),
      message: z
        .string()
        .max(500)
        .meta(form({ field: "maintenanceMessage", group: "maintenance", kind: "text" })),
    }),
    alerts: z.object({
      poolLowEnergy: z
        .number()
        .int()
        .nonnegative()
        .meta(form({ field: "poolLowEnergy", group: "alerts", kind: "integer", unit: "energy" })),
      walletLowTrxSun: sunValue.meta(
        form({ field: "walletLowTrx", group: "alerts", kind: "trx", unit: "trx" }),
      ),
      stuckOrderMinutes: z
        .number()
        .int()
        .positive()
        .meta(form({ field: "stuckOrderMinutes", group: "alerts", kind: "integer", unit: "minutes" })),
      failureRatePercent: z
        .number()
        .int()
        .min(1)
        .max(100)
        .meta(form({ field: "failureRatePercent", group: "alerts", kind: "integer", unit: "percent" })),
      scannerLagBlocks: z
        .number()
        .int()
        .positive()
        .meta(form({ field: "scannerLagBlocks", group: "alerts", kind: "integer", unit: "blocks" })),
      /** Warn when a pool wallet's bandwidth and TRX pay for fewer delegate / undelegate transactions than this. */
      walletMinTxs: z
        .number()
        .int()
        .min(0)
        .max(100_000)
        .default(20)
        .meta(form({ field: "walletMinTxs", group: "alerts", kind: "integer", help: true })),
    }),
    collection: z.object({
      intervalMinutes: z.number().int().min(1).max(1440),
      trxThresholdSun: positiveSun,
      usdtThresholdBase: positiveSun,
    }),
    // Pay by transfer (转账即租): offers, the per-transfer risk cap and the refund fee.
    transfer: z.object({
      enabled: z.boolean().meta(form({ field: "transferEnabled", group: "transfers", kind: "flag" })),
      /** Exact amount → (energy, duration); amounts distinct, checked against the ranges below. */
      offers: z
        .array(transferOfferSchema)
        .max(20, "At most 20 offers.")
        .refine(
          (o) => new Set(o.map((x) => x.amountSun)).size === o.length,
          "Offer amounts must be distinct.",
        )
        .meta(
          form({ field: "transferOffers", group: "transfers", kind: "text", unit: "offers", help: true }),
        ),
      /** Transfers up to this are delivered from the head block; larger ones wait for solidification. */
      riskCapSun: sunValue.meta(
        form({ field: "transferRiskCapTrx", group: "transfers", kind: "trx", unit: "trx", help: true }),
      ),
      /** Kept from every on-chain refund (it pays the refund's bandwidth). */
      refundFeeSun: sunValue.meta(
        form({ field: "transferRefundFeeTrx", group: "transfers", kind: "trx", unit: "trx", help: true }),
      ),
    }),
    // ---- smart pricing
    pricing: pricingSchema,
    /** Opportunity cost of delegated TRX for finance, in basis points per year. */
    delegatedAprBps: z
      .number()
      .int()
      .min(0)
      .max(10_000)
      .meta(form({ field: "delegatedAprBps", group: "limits", kind: "integer", unit: "bp", help: true })),
    // Referral commissions (lib/referrals): the referrer's share of each delivered order of the
    // users they invited, in basis points of what the order kept (0: off), and for how many days
    // after the invitee's first contact (0: for ever).
    referral: z.object({
      commissionBps: z
        .number()
        .int()
        .min(0)
        .max(5_000)
        .meta(
          form({
            field: "referralCommissionBps",
            group: "referrals",
            kind: "integer",
            unit: "bp",
            help: true,
          }),
        ),
      windowDays: z
        .number()
        .int()
        .min(0)
        .max(3_650)
        .meta(
          form({
            field: "referralWindowDays",
            group: "referrals",
            kind: "integer",
            unit: "days",
            help: true,
          }),
        ),
    }),
    // Third-party suppliers (lib/suppliers, docs/suppliers.md): which wallets an order is planned on
    // first, the platform's commission on supplier earnings (basis points of each delivered share),
    // and payouts: at or below `payoutAutoMaxSun` paid without approval (0: every payout approved by
    // hand); `payoutAutoAboveSun` > 0 pays a supplier's whole balance automatically once it reaches it.
    suppliers: z.object({
      selection: z
        .enum(["own_first", "suppliers_first", "cheapest"])
        .default("own_first")
        .meta(form({ field: "supplierSelection", group: "suppliers", kind: "text", help: true })),
      commissionBps: z
        .number()
        .int()
        .min(0)
        .max(10_000)
        .default(2_000)
        .meta(
          form({
            field: "supplierCommissionBps",
            group: "suppliers",
            kind: "integer",
            unit: "bp",
            help: true,
          }),
        ),
      payoutAutoMaxSun: sunValue.default(0n).meta(
        form({
          field: "supplierPayoutAutoMaxTrx",
          group: "suppliers",
          kind: "trx",
          unit: "trx",
          help: true,
        }),
      ),
      payoutAutoAboveSun: sunValue.default(0n).meta(
        form({
          field: "supplierPayoutAutoAboveTrx",
          group: "suppliers",
          kind: "trx",
          unit: "trx",
          help: true,
        }),
      ),
      payoutMinSun: sunValue
        .default(10_000_000n)
        .meta(
          form({ field: "supplierPayoutMinTrx", group: "suppliers", kind: "trx", unit: "trx", help: true }),
        ),
    }),
    // Keep-energy subscriptions (watched addresses, lib/subscriptions)
    subscriptions: z.object({
      /** Rental time of each top-up delegation (one of the durations). */
      topupDuration: z
        .string()
        .regex(durationKeyRe, 'Use a key like "1h" or "3d".')
        .default("1h")
        .meta(form({ field: "subscriptionTopupDuration", group: "limits", kind: "text", help: true })),
      /** Longest subscription a user can start, in days. */
      maxDays: z
        .number()
        .int()
        .min(1)
        .max(365)
        .default(30)
        .meta(form({ field: "subscriptionMaxDays", group: "limits", kind: "integer" })),
      /** Warn the user (bot) when the balance pays for fewer top-ups than this. */
      lowBalanceTopups: z
        .number()
        .int()
        .min(1)
        .max(100)
        .default(2)
        .meta(form({ field: "subscriptionLowBalanceTopups", group: "limits", kind: "integer", help: true })),
    }),
    // Per-transfer packages (lib/packages): sizes and prices, validity, refund rule, supply rental
    packages: z.object({
      /** What a user can buy: N transfers for a price (none: packages are not sold). */
      offers: z
        .array(packageOfferSchema)
        .max(10, "At most 10 packages.")
        .refine(
          (o) => new Set(o.map((x) => x.transfers)).size === o.length,
          "Package sizes must be distinct.",
        )
        .meta(form({ field: "packageOffers", group: "limits", kind: "text", unit: "packages", help: true })),
      /** Days a package is valid after purchase. */
      validityDays: z
        .number()
        .int()
        .min(1)
        .max(365)
        .meta(form({ field: "packageValidityDays", group: "limits", kind: "integer", unit: "days" })),
      /** Percent of the unused transfers' share of the price refunded at expiry (0: none). */
      refundPercent: z
        .number()
        .int()
        .min(0)
        .max(100)
        .meta(
          form({
            field: "packageRefundPercent",
            group: "limits",
            kind: "integer",
            unit: "percent",
            help: true,
          }),
        ),
      /** Rental time of each supply delegation (one of the durations). */
      supplyDuration: z
        .string()
        .regex(durationKeyRe, 'Use a key like "1h" or "3d".')
        .meta(form({ field: "packageSupplyDuration", group: "limits", kind: "text", help: true })),
    }),
    // Batch orders (lib/batches)
    /** The most lines one batch order may have (portal list, bot list, POST /api/v1/batches). */
    batchMaxLines: z
      .number()
      .int()
      .min(1)
      .max(500)
      .default(100)
      .meta(form({ field: "batchMaxLines", group: "limits", kind: "integer", help: true })),
  })
  .refine((s) => s.energyMin <= s.energyMax, {
    message: "Minimum energy must not exceed the maximum.",
    path: ["energyMin"],
  })
  .refine((s) => s.presets.every((p) => p >= s.energyMin && p <= s.energyMax), {
    message: "Presets must lie between the minimum and maximum energy.",
    path: ["presets"],
  })
  // Pay by transfer, while it is on: every offer within the offered energy range, on an offered
  // (enabled) duration. Offers kept while it is off do not hold other settings back; they are checked
  // again when it is turned on.
  .refine(
    (s) =>
      !s.transfer.enabled ||
      s.transfer.offers.every((o) => o.energy >= s.energyMin && o.energy <= s.energyMax),
    {
      message: "Transfer offers must lie between the minimum and maximum energy.",
      path: ["transfer", "offers"],
    },
  )
  .refine(
    (s) =>
      !s.transfer.enabled ||
      s.transfer.offers.every((o) => s.durations.some((d) => d.key === o.duration && d.enabled)),
    {
      message: "Transfer offers must use an offered duration.",
      path: ["transfer", "offers"],
    },
  )
  .refine((s) => s.durations.some((d) => d.key === s.subscriptions.topupDuration), {
    message: "The subscription top-up rental must be one of the durations.",
    path: ["subscriptions", "topupDuration"],
  })
  .refine((s) => s.durations.some((d) => d.key === s.packages.supplyDuration), {
    message: "The package supply rental must be one of the durations.",
    path: ["packages", "supplyDuration"],
  });

/** A setting on the console's form: its metadata, its schema and where it sits in the settings. */
export type SettingFormField = SettingFormMeta & { schema: z.ZodType; path: string[] };

/** Every setting on the form (nested objects included), in the schema's order; durations excepted. */
export function settingFormFields(
  shape: Record<string, z.ZodType> = settingsSchema.shape,
  at: string[] = [],
): SettingFormField[] {
  return Object.entries(shape).flatMap(([key, schema]) => {
    const meta = settingFormMeta(schema);
    if (meta) return [{ ...meta, schema, path: [...at, key] }];
    const inner = (schema as { shape?: Record<string, z.ZodType> }).shape;
    return inner ? settingFormFields(inner, [...at, key]) : [];
  });
}

/** A numeric setting's bounds, read from its schema checks (a default's inner schema included). */
export function settingBounds(schema: z.ZodType): { min?: number; max?: number } {
  let s = schema as z.ZodType & {
    minValue?: number | null;
    maxValue?: number | null;
    unwrap?: () => z.ZodType;
  };
  if (s._zod.def.type === "default" && s.unwrap) s = s.unwrap() as typeof s;
  if (s._zod.def.type !== "number") return {};
  const finite = (n: number | null | undefined) => (n != null && Number.isFinite(n) ? n : undefined);
  return { min: finite(s.minValue), max: finite(s.maxValue) };
}

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
  // Pay by transfer
  transfer: {
    enabled: true,
    offers: [
      { amountSun: "4000000", energy: 65_000, duration: "1h" },
      { amountSun: "8000000", energy: 131_000, duration: "1h" },
    ],
    riskCapSun: "20000000",
    refundFeeSun: "1000000",
  },
  referral: { commissionBps: 0, windowDays: 0 },
  subscriptions: { topupDuration: "1h", maxDays: 30, lowBalanceTopups: 2 },
  packages: {
    offers: [
      { transfers: 10, priceSun: "30000000" },
      { transfers: 50, priceSun: "140000000" },
      { transfers: 100, priceSun: "270000000" },
    ],
    validityDays: 30,
    refundPercent: 50,
    supplyDuration: "1h",
  },
  batchMaxLines: 100,
  // ---- smart pricing: a flat curve, no discounts, the floor at cost
  pricing: {
    utilisationCurve: [{ utilisationPercent: 0, multiplierBps: 10_000 }],
    volumeDiscounts: [],
    resellerDiscountPercent: 0,
    floorMarginBps: 0,
    liveBurnPrice: true,
  },
  // Third-party suppliers
  suppliers: {
    selection: "own_first",
    commissionBps: 2_000,
    payoutAutoMaxSun: "0",
    payoutAutoAboveSun: "0",
    payoutMinSun: "10000000",
  },
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
