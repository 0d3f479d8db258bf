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
    batchMaxLines: int(f, "batchMaxLines"),
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
    batchMaxLines: String(s.batchMaxLines),
  };
}
