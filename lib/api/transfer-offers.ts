import { durationLabel, translator } from "@/lib/i18n";
import { formatInteger, formatTrx } from "@/lib/money";
import { getSettings } from "@/lib/settings";
import { transferOffersView } from "@/lib/transfers";
import type { TransferOffersJson } from "./schemas";

/** The public pay-by-transfer offers as the API answers them (sun as decimal strings). */
export async function transferOffersJson(lang: "en" | "zh"): Promise<TransferOffersJson> {
  const v = transferOffersView(await getSettings());
  const t = translator(lang);
  return {
    enabled: v.enabled,
    address: v.address,
    offers: v.offers.map((o) => ({
      amount_sun: o.amountSun.toString(),
      energy: o.energy,
      duration: o.duration,
      duration_seconds: o.durationSeconds,
      label: t("transfer-offer-line", {
        trx: formatTrx(o.amountSun),
        energy: formatInteger(BigInt(o.energy)),
        duration: durationLabel(t, o.duration, true),
      }),
    })),
    risk_cap_sun: v.riskCapSun.toString(),
    refund_fee_sun: v.refundFeeSun.toString(),
  };
}
