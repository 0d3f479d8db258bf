import { AppError } from "@/lib/errors";
import { formatAmount, parseAmount, parseTrx } from "@/lib/money";
import { type Settings, type SettingsInput, serializeSettings } from "@/lib/settings";

/**
 * The settings form ⇄ a settings patch. TRX / USDT amounts are typed as decimals and parsed to
 * integer base units with lib/money; everything is then validated by lib/settings' zod schema.
 */
type Form = { get(name: string): FormDataEntryValue | null };

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
      offers: parseTransferOffers(str(f, "transferOffers")),
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
  };
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
  };
}
