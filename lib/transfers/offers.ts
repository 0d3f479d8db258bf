import type { Settings } from "@/lib/settings";
import { durationSeconds, type TransferOffer } from "@/lib/settings/schema";
import { rentalAddress } from "./address";

/** The offer an exact amount buys, or null (refunded). */
export function matchOffer(s: Settings, amountSun: bigint): TransferOffer | null {
  return s.transfer.offers.find((o) => o.amountSun === amountSun) ?? null;
}

export type TransferOffersView = {
  enabled: boolean;
  address: string;
  offers: { amountSun: bigint; energy: number; duration: string; durationSeconds: number }[];
  riskCapSun: bigint;
  refundFeeSun: bigint;
};

/** What the landing page, the bot and the API show: the address and the offers, cheapest first. */
export function transferOffersView(s: Settings): TransferOffersView {
  const on = s.transfer.enabled && !s.maintenance.enabled;
  return {
    enabled: on,
    address: rentalAddress(),
    offers: on
      ? [...s.transfer.offers]
          .sort((a, b) => (a.amountSun < b.amountSun ? -1 : a.amountSun > b.amountSun ? 1 : 0))
          .map((o) => ({
            amountSun: o.amountSun,
            energy: o.energy,
            duration: o.duration,
            durationSeconds: durationSeconds(o.duration),
          }))
      : [],
    riskCapSun: s.transfer.riskCapSun,
    refundFeeSun: s.transfer.refundFeeSun,
  };
}
