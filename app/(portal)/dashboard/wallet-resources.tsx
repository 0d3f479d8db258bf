import { dateTime, formatInteger, formatTrx } from "@/lib/format";
import type { Translate } from "@/lib/i18n";
import { tron, type ResourceOverview } from "@/lib/tron/client";
import type { Locale } from "@/lib/i18n";

/** Live energy / bandwidth / TRX of a saved wallet (streamed after the page shell; fallback noted). */
export async function WalletResources({
  address,
  t,
  locale,
  tz,
}: {
  address: string;
  t: Translate;
  locale: Locale;
  tz: string;
}) {
  let o: ResourceOverview;
  try {
    o = await tron().getResourceOverview(address);
  } catch {
    return <p className="text-xs text-slate-500">{t("dash-resources-unavailable")}</p>;
  }
  if (!o.activated) return <p className="text-xs text-amber-800">{t("dash-resources-notActivated")}</p>;
  return (
    <div className="space-y-1">
      <dl className="grid grid-cols-3 gap-2 text-sm tabular-nums" data-testid="wallet-resources">
        <div>
          <dt className="text-xs text-slate-500">{t("dash-resources-energy")}</dt>
          <dd className="font-medium">
            {formatInteger(o.energyAvailable)}
            <span className="text-xs font-normal text-slate-500"> / {formatInteger(o.energyLimit)}</span>
          </dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500">{t("dash-resources-bandwidth")}</dt>
          <dd className="font-medium">{formatInteger(o.bandwidthAvailable)}</dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500">{t("dash-resources-trx")}</dt>
          <dd className="font-medium">{formatTrx(o.trxSun, { unit: false })}</dd>
        </div>
      </dl>
      <p className="text-xs text-slate-500">
        {o.provider === "tronscan"
          ? t("dash-resources-fallback")
          : t("dash-resources-asOf", { time: dateTime(o.fetchedAt, locale, tz) })}
      </p>
    </div>
  );
}
