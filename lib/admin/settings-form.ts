import { AppError } from "@/lib/errors";
import { formatAmount, parseAmount, parseTrx } from "@/lib/money";
import { type Settings, type SettingsInput, serializeSettings, settingsSchema } from "@/lib/settings";

/**
 * The settings form ⇄ a settings patch. TRX / USDT amounts are typed as decimals and parsed to
 * integer base units with lib/money; everything is then validated by lib/settings' zod schema.
 */
type Form = { get(name: string): FormDataEntryValue | null; getAll?(name: string): FormDataEntryValue[] };

const str = (f: Form, k: string) => String(f.get(k) ?? "").trim();
const int = (f: Form, k: string): number => {
  const v = str(f, k).replace(/[,\s]/g, "");
  if (!/^-?\d{1,12}$/.test(v))
    throw new AppError("bad_request", "Enter whole numbers.", { fields: { [k]: "Enter a whole number." } });
  return Number(v);
};
const trxSun = (f: Form, k: string) => parseTrx(str(f, k), { field: k }).toString();
/** A TRX amount where 0 means "none" (the per-order fee, the minimum order price). */
const trxSunOrZero = (f: Form, k: string) => parseTrx(str(f, k), { field: k, allowZero: true }).toString();

/**
 * Pay-by-transfer offers as typed on the form: "4 = 65000 / 1h; 8 = 131000 / 1h" (TRX sent = energy /
 * duration), separated by semicolons or new lines. Ranges and durations are checked by the schema.
 */
export function parseTransferOffers(text: string, field = "transferOffers") {
  const bad = () =>
    new AppError("bad_request", "Offers are written as: TRX = energy / duration; …", {
      fields: { [field]: 'Write each offer as "4 = 65000 / 1h", separated by semicolons.' },
    });
  return text
    .split(/[;\n]+/)
    .map((x) => x.trim())
    .filter(Boolean)
    .map((item) => {
      const m = /^([\d.]+)\s*(?:TRX)?\s*=\s*([\d,_ ]+?)\s*(?:energy)?\s*\/\s*(\S+)$/i.exec(item);
      if (!m) throw bad();
      const energy = m[2].replace(/[,_ ]/g, "");
      if (!/^\d{1,12}$/.test(energy)) throw bad();
      return {
        amountSun: parseTrx(m[1], { field }).toString(),
        energy: Number(energy),
        duration: m[3],
      };
    });
}

/** Offers as the form shows them (the inverse of parseTransferOffers). */
export function formatTransferOffers(offers: Settings["transfer"]["offers"]): string {
  return offers
    .map(
      (o) => `${formatAmount(o.amountSun, { decimals: 6, grouping: false })} = ${o.energy} / ${o.duration}`,
    )
    .join("; ");
}

/** Packages as typed on the form: "10 = 30; 50 = 140" (transfers = TRX), separated by semicolons or new lines. */
export function parsePackageOffers(text: string, field = "packageOffers") {
  const bad = () =>
    new AppError("bad_request", "Packages are written as: transfers = TRX; …", {
      fields: { [field]: 'Write each package as "10 = 30", separated by semicolons.' },
    });
  return text
    .split(/[;\n]+/)
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const m = /^([\d,]+)\s*(?:transfers?)?\s*=\s*([\d.,]+)\s*(?:TRX)?$/i.exec(s);
      if (!m) throw bad();
      const transfers = Number(m[1].replace(/,/g, ""));
      if (!Number.isSafeInteger(transfers) || transfers <= 0) throw bad();
      let priceSun: bigint;
      try {
        priceSun = parseAmount(m[2].replace(/,/g, ""), { field });
      } catch {
        throw bad();
      }
      return { transfers, priceSun: priceSun.toString() };
    });
}

export function formatPackageOffers(offers: Settings["packages"]["offers"]): string {
  return offers
    .map((o) => `${o.transfers} = ${formatAmount(o.priceSun, { decimals: 6, grouping: false })}`)
    .join("; ");
}
/**
 * "a:b, c:d" pairs of whole numbers (the smart pricing curve and volume discounts); empty → none.
 * Only the shape is checked here; the bounds and the order are the schema's.
 */
function pairs(f: Form, k: string, message: string): [number, number][] {
  return str(f, k)
    .split(/[,;\n]+/)
    .map((p) => p.trim().replace(/[%\s_]/g, ""))
    .filter(Boolean)
    .map((p) => {
      const m = /^(\d{1,9}):(\d{1,9})$/.exec(p);
      if (!m) throw new AppError("bad_request", message, { fields: { [k]: message } });
      return [Number(m[1]), Number(m[2])];
    });
}
const pairsText = (v: [number, number][]) => v.map(([a, b]) => `${a}:${b}`).join(", ");

/**
 * The "sell below the floor" ticks of a list of offers: one checkbox per offer, named `name`, whose
 * value is the offer's key as written before "=" (a transfer offer's TRX amount, a package's size).
 * Returns the ticked keys as the offers carry them (sun as a decimal string, sizes as numbers).
 */
function ticked(f: Form, name: string, read: (key: string) => string): Set<string> {
  const out = new Set<string>();
  for (const v of f.getAll?.(name) ?? []) {
    try {
      out.add(read(String(v).trim()));
    } catch {
      // a tick for no offer (its text no longer parses) ticks nothing
    }
  }
  return out;
}
const trxKey = (v: string) => parseTrx(v.replace(/\s*TRX$/i, ""), { field: "belowFloor" }).toString();
const sizeKey = (v: string) => {
  const n = v.replace(/[,\s]/g, "");
  if (!/^\d{1,6}$/.test(n)) throw new Error("not a size");
  return String(Number(n));
};

/** The offers of the form with their "sell below the floor" ticks (only `true` is stored). */
function withTicks<T extends Record<string, unknown>>(
  offers: T[],
  ticks: Set<string>,
  key: (o: T) => string,
) {
  return offers.map((o) => (ticks.has(key(o)) ? { ...o, belowFloor: true } : o));
}

export function settingsPatchFromForm(f: Form, current: Settings): Partial<SettingsInput> {
  const durations = current.durations.map((d) => {
    const price = str(f, `price_${d.key}`);
    if (!/^\d{1,12}$/.test(price))
      throw new AppError("bad_request", "Prices are whole sun per energy.", {
        fields: { [`price_${d.key}`]: "Enter a whole number of sun." },
      });
    return { key: d.key, unitPriceSun: price, enabled: f.get(`enabled_${d.key}`) === "on" };
  });
  const presets = str(f, "presets")
    .split(/[,\s]+/)
    .filter(Boolean)
    .map((p) => {
      if (!/^\d{1,12}$/.test(p))
        throw new AppError("bad_request", "Presets are whole numbers.", {
          fields: { presets: "Whole numbers, comma-separated." },
        });
      return Number(p);
    });
  return {
    durations,
    energyMin: int(f, "energyMin"),
    energyMax: int(f, "energyMax"),
    presets,
    minDepositTrxSun: trxSun(f, "minDepositTrx"),
    minDepositUsdtBase: parseAmount(str(f, "minDepositUsdt"), { field: "minDepositUsdt" }).toString(),
    usdtRateSun: trxSun(f, "usdtRateTrx"),
    maintenance: { enabled: f.get("maintenanceEnabled") === "on", message: str(f, "maintenanceMessage") },
    alerts: {
      poolLowEnergy: int(f, "poolLowEnergy"),
      walletLowTrxSun: trxSun(f, "walletLowTrx"),
      stuckOrderMinutes: int(f, "stuckOrderMinutes"),
      failureRatePercent: int(f, "failureRatePercent"),
      scannerLagBlocks: int(f, "scannerLagBlocks"),
      walletMinTxs: int(f, "walletMinTxs"),
    },
    delegatedAprBps: int(f, "delegatedAprBps"),
    orderFeeSun: trxSunOrZero(f, "orderFeeTrx"),
    minOrderPriceSun: trxSunOrZero(f, "minOrderPriceTrx"),
    driftHeadroomBpsPerDay: int(f, "driftHeadroomBpsPerDay"),
    transfer: {
      enabled: f.get("transferEnabled") === "on",
      offers: withTicks(
        parseTransferOffers(str(f, "transferOffers")),
        ticked(f, "transferBelowFloor", trxKey),
        (o) => o.amountSun,
      ),
      riskCapSun: trxSunOrZero(f, "transferRiskCapTrx"),
      refundFeeSun: trxSunOrZero(f, "transferRefundFeeTrx"),
    },
    // referral commissions
    referral: { commissionBps: int(f, "referralCommissionBps"), windowDays: int(f, "referralWindowDays") },
    // third-party suppliers
    suppliers: {
      selection: str(f, "supplierSelection") as Settings["suppliers"]["selection"],
      commissionBps: int(f, "supplierCommissionBps"),
      payoutAutoMaxSun: trxSunOrZero(f, "supplierPayoutAutoMaxTrx"),
      payoutAutoAboveSun: trxSunOrZero(f, "supplierPayoutAutoAboveTrx"),
      payoutMinSun: trxSun(f, "supplierPayoutMinTrx"),
    },
    subscriptions: {
      topupDuration: str(f, "subscriptionTopupDuration"),
      maxDays: int(f, "subscriptionMaxDays"),
      lowBalanceTopups: int(f, "subscriptionLowBalanceTopups"),
    },
    // per-transfer packages
    packages: {
      offers: withTicks(
        parsePackageOffers(str(f, "packageOffers")),
        ticked(f, "packageBelowFloor", sizeKey),
        (o) => String(o.transfers),
      ),
      validityDays: int(f, "packageValidityDays"),
      refundPercent: int(f, "packageRefundPercent"),
      supplyDuration: str(f, "packageSupplyDuration"),
    },
    batchMaxLines: int(f, "batchMaxLines"),
    // smart pricing
    pricing: pricingFromForm(f),
  };
}

/** The smart pricing block of the form (also the price simulation's form). */
function pricingFromForm(f: Form): SettingsInput["pricing"] {
  return {
    utilisationCurve: pairs(
      f,
      "pricingCurve",
      "Write points as utilisation%:multiplier bp, e.g. 0:10000, 80:12500.",
    ).map(([utilisationPercent, multiplierBps]) => ({ utilisationPercent, multiplierBps })),
    volumeDiscounts: pairs(
      f,
      "pricingVolumeDiscounts",
      "Write discounts as energy:percent, e.g. 500000:5.",
    ).map(([energy, percent]) => ({ energy, percent })),
    resellerDiscountPercent: int(f, "pricingResellerDiscount"),
    floorMarginBps: int(f, "pricingFloorMarginBps"),
    liveBurnPrice: f.get("pricingLiveBurnPrice") === "on",
  };
}

/**
 * The price simulation's settings: the current ones with the unit prices and the smart pricing
 * block as edited on its form (fields of the same names as the settings form), validated by the
 * settings schema. Bad input → `bad_request` with field errors.
 */
export function simulationSettingsFromForm(f: Form, current: Settings): Settings {
  const s = serializeSettings(current);
  const durations = s.durations.map((d) => {
    const price = str(f, `price_${d.key}`);
    if (price === "") return d;
    if (!/^\d{1,12}$/.test(price))
      throw new AppError("bad_request", "Prices are whole sun per energy.", {
        fields: { [`price_${d.key}`]: "Enter a whole number of sun." },
      });
    return { ...d, unitPriceSun: price };
  });
  const parsed = settingsSchema.safeParse({
    ...s,
    durations,
    orderFeeSun: trxSunOrZero(f, "orderFeeTrx"),
    minOrderPriceSun: trxSunOrZero(f, "minOrderPriceTrx"),
    pricing: pricingFromForm(f),
  });
  if (!parsed.success)
    throw new AppError("bad_request", "Some settings are not valid.", {
      fields: Object.fromEntries(parsed.error.issues.map((i) => [i.path.join("."), i.message])),
    });
  return parsed.data;
}

/** Current values as form defaults. */
export function settingsFormValues(s: Settings): Record<string, string> {
  const j = serializeSettings(s);
  const trx = (v: bigint) => formatAmount(v, { decimals: 6, grouping: false });
  return {
    energyMin: String(j.energyMin),
    energyMax: String(j.energyMax),
    presets: j.presets.join(", "),
    minDepositTrx: trx(s.minDepositTrxSun),
    minDepositUsdt: trx(s.minDepositUsdtBase),
    usdtRateTrx: trx(s.usdtRateSun),
    maintenanceMessage: s.maintenance.message,
    poolLowEnergy: String(s.alerts.poolLowEnergy),
    walletLowTrx: trx(s.alerts.walletLowTrxSun),
    stuckOrderMinutes: String(s.alerts.stuckOrderMinutes),
    failureRatePercent: String(s.alerts.failureRatePercent),
    scannerLagBlocks: String(s.alerts.scannerLagBlocks),
    delegatedAprBps: String(s.delegatedAprBps),
    orderFeeTrx: trx(s.orderFeeSun),
    minOrderPriceTrx: trx(s.minOrderPriceSun),
    driftHeadroomBpsPerDay: String(s.driftHeadroomBpsPerDay),
    walletMinTxs: String(s.alerts.walletMinTxs),
    transferOffers: formatTransferOffers(s.transfer.offers),
    transferRiskCapTrx: trx(s.transfer.riskCapSun),
    transferRefundFeeTrx: trx(s.transfer.refundFeeSun),
    // referral commissions
    referralCommissionBps: String(s.referral.commissionBps),
    referralWindowDays: String(s.referral.windowDays),
    // third-party suppliers
    supplierSelection: s.suppliers.selection,
    supplierCommissionBps: String(s.suppliers.commissionBps),
    supplierPayoutAutoMaxTrx: trx(s.suppliers.payoutAutoMaxSun),
    supplierPayoutAutoAboveTrx: trx(s.suppliers.payoutAutoAboveSun),
    supplierPayoutMinTrx: trx(s.suppliers.payoutMinSun),
    subscriptionTopupDuration: s.subscriptions.topupDuration,
    subscriptionMaxDays: String(s.subscriptions.maxDays),
    subscriptionLowBalanceTopups: String(s.subscriptions.lowBalanceTopups),
    // per-transfer packages
    packageOffers: formatPackageOffers(s.packages.offers),
    packageValidityDays: String(s.packages.validityDays),
    packageRefundPercent: String(s.packages.refundPercent),
    packageSupplyDuration: s.packages.supplyDuration,
    batchMaxLines: String(s.batchMaxLines),
    // smart pricing
    pricingCurve: pairsText(s.pricing.utilisationCurve.map((p) => [p.utilisationPercent, p.multiplierBps])),
    pricingVolumeDiscounts: pairsText(s.pricing.volumeDiscounts.map((d) => [d.energy, d.percent])),
    pricingResellerDiscount: String(s.pricing.resellerDiscountPercent),
    pricingFloorMarginBps: String(s.pricing.floorMarginBps),
  };
}
