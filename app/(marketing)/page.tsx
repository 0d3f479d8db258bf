import { durationLabel } from "@/lib/i18n";
import { getRequestLocale } from "@/lib/i18n/server";
import { formatInteger, formatTrx } from "@/lib/money";
import { getMarket, priceTable } from "@/lib/pricing";
import { getSettings } from "@/lib/settings";
import { transferOffersView } from "@/lib/transfers";
import { TransferOffers } from "./transfer-offers";

export const dynamic = "force-dynamic";

export default async function LandingPage() {
  const [{ t }, settings] = await Promise.all([getRequestLocale(), getSettings()]);
  // Live prices (utilisation, cost floor, the chain's burn price); the settings' own without the chain.
  const market = await getMarket(settings).catch(() => undefined);
  const table = priceTable(settings, market);
  const burn = market?.burnPriceSun ?? settings.burnPriceSun;
  return (
    <div className="space-y-8">
      <section className="space-y-3">
        <h1 className="text-2xl font-bold sm:text-3xl">{t("app-name")}</h1>
        <p className="text-slate-600">{t("app-tagline")}</p>
        {settings.maintenance.enabled && (
          <p
            role="status"
            className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-amber-900"
          >
            ⚠️ {settings.maintenance.message || t("landing-maintenance")}
          </p>
        )}
      </section>

      <section aria-labelledby="prices" className="space-y-3">
        <div>
          <h2 id="prices" className="text-xl font-semibold">
            {t("landing-prices-title")}
          </h2>
          <p className="text-sm text-slate-500">{t("landing-prices-subtitle")}</p>
        </div>
        {table.durations.length === 0 ? (
          <p>{t("landing-prices-empty")}</p>
        ) : (
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="w-full text-right text-sm tabular-nums" data-testid="price-table">
              <thead className="bg-slate-100 text-slate-600">
                <tr>
                  <th scope="col" className="px-3 py-2 text-left">
                    {t("landing-prices-duration")}
                  </th>
                  {table.rows.map((r) => (
                    <th key={r.energy.toString()} scope="col" className="px-3 py-2">
                      {t("energy-amount", { n: formatInteger(r.energy) })}
                    </th>
                  ))}
                  <th scope="col" className="hidden px-3 py-2 sm:table-cell">
                    {t("landing-prices-unit")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {table.durations.map((d, i) => (
                  <tr key={d.key} className="border-t border-slate-100">
                    <th scope="row" className="px-3 py-2 text-left font-medium">
                      {durationLabel(t, d.key, true)}
                    </th>
                    {table.rows.map((r) => (
                      <td key={r.energy.toString()} className="px-3 py-2">
                        {formatTrx(r.prices[i].priceSun)}
                      </td>
                    ))}
                    <td className="hidden px-3 py-2 text-xs text-slate-500 sm:table-cell">
                      {t("landing-prices-unitValue", { sun: d.unitPriceSun.toString() })}
                    </td>
                  </tr>
                ))}
                <tr className="border-t-2 border-slate-200 text-rose-700">
                  <th scope="row" className="px-3 py-2 text-left font-medium">
                    {t("landing-prices-burn")}
                  </th>
                  {table.rows.map((r) => (
                    <td key={r.energy.toString()} className="px-3 py-2">
                      {formatTrx(r.burnSun)}
                    </td>
                  ))}
                  <td className="hidden px-3 py-2 text-xs sm:table-cell">
                    {t("landing-prices-unitValue", { sun: burn.toString() })}
                  </td>
                </tr>
              </tbody>
            </table>
          </div>
        )}
      </section>

      <TransferOffers t={t} v={transferOffersView(settings)} />

      <section className="grid gap-6 sm:grid-cols-2">
        <div className="space-y-2">
          <h2 className="text-lg font-semibold">{t("landing-why-title")}</h2>
          <p className="text-sm text-slate-600">
            {t("landing-why-body", {
              burn: burn.toString(),
              burn65: formatTrx(BigInt(settings.usdtEnergyHolder) * burn),
              burn131: formatTrx(BigInt(settings.usdtEnergyEmpty) * burn),
            })}
          </p>
        </div>
        <div className="space-y-2">
          <h2 className="text-lg font-semibold">{t("landing-how-title")}</h2>
          <ol className="list-decimal space-y-1 pl-5 text-sm text-slate-600">
            <li>{t("landing-how-1")}</li>
            <li>{t("landing-how-2")}</li>
            <li>{t("landing-how-3")}</li>
          </ol>
        </div>
      </section>
    </div>
  );
}
