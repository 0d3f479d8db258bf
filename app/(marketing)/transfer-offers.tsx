import { DepositQr } from "@/app/(portal)/topup/deposit-qr";
import { durationLabel, type Translate } from "@/lib/i18n";
import { formatInteger, formatTrx } from "@/lib/money";
import type { TransferOffersView } from "@/lib/transfers";

/** Pay by transfer on the landing page: the rental address (text + QR) and what each amount buys. */
export function TransferOffers({ t, v }: { t: Translate; v: TransferOffersView }) {
  if (!v.enabled || v.offers.length === 0) return null;
  return (
    <section aria-labelledby="transfer" className="space-y-3" data-testid="transfer-offers">
      <div>
        <h2 id="transfer" className="text-xl font-semibold">
          {t("transfer-title")}
        </h2>
        <p className="text-sm text-slate-500">{t("transfer-intro")}</p>
      </div>
      <div className="flex flex-col gap-4 rounded-lg border border-slate-200 bg-white p-4 sm:flex-row">
        <DepositQr address={v.address} label={t("landing-transfer-qr")} />
        <div className="min-w-0 space-y-3">
          <div>
            <div className="text-xs text-slate-500">{t("landing-transfer-address")}</div>
            <code className="break-all text-sm" data-testid="rental-address">
              {v.address}
            </code>
          </div>
          <table className="text-sm tabular-nums">
            <thead className="text-slate-600">
              <tr>
                <th scope="col" className="py-1 pr-4 text-left">
                  {t("landing-transfer-send")}
                </th>
                <th scope="col" className="py-1 pr-4 text-right">
                  {t("landing-transfer-energy")}
                </th>
                <th scope="col" className="py-1 text-left">
                  {t("landing-prices-duration")}
                </th>
              </tr>
            </thead>
            <tbody>
              {v.offers.map((o) => (
                <tr key={o.amountSun.toString()} className="border-t border-slate-100">
                  <td className="py-1 pr-4 font-medium">{formatTrx(o.amountSun)}</td>
                  <td className="py-1 pr-4 text-right">
                    {t("energy-amount", { n: formatInteger(BigInt(o.energy)) })}
                  </td>
                  <td className="py-1">{durationLabel(t, o.duration, true)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="text-xs text-slate-500">
            {t("transfer-rules", { cap: formatTrx(v.riskCapSun), fee: formatTrx(v.refundFeeSun) })}
          </p>
        </div>
      </div>
    </section>
  );
}
