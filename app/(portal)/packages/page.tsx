import { randomUUID } from "node:crypto";
import { dateTime, formatTrx, shortAddress } from "@/lib/format";
import { listPackages, packageOffers, packageUsesOf } from "@/lib/packages";
import { txUrl } from "@/lib/tron/explorer";
import { Button } from "@/components/ui/button";
import { portalContext } from "../_lib/context";
import { buyPackageAction } from "./actions";

export const dynamic = "force-dynamic";

function statusClass(s: string) {
  if (s === "active") return "bg-emerald-100 text-emerald-900";
  return "bg-slate-200 text-slate-800";
}

/** Per-transfer packages: what is left of each, every counted transfer (a link each), and buying one. */
export default async function PackagesPage({
  searchParams,
}: {
  searchParams: Promise<{ bought?: string; error?: string }>;
}) {
  const { user, t, locale } = await portalContext();
  const { bought, error } = await searchParams;
  const [list, offers] = await Promise.all([listPackages(user.id, 20), packageOffers()]);
  const uses = new Map(
    await Promise.all(list.map(async (p) => [p.id, await packageUsesOf(user.id, p.id, 20)] as const)),
  );
  return (
    <div className="space-y-6">
      <div className="space-y-1">
        <h1 className="text-2xl font-bold">{t("packages-title")}</h1>
        <p className="text-slate-600">{t("packages-intro")}</p>
      </div>
      {bought ? (
        <p role="status" className="rounded bg-emerald-50 p-3 text-emerald-900">
          {t("packages-bought")}
        </p>
      ) : null}
      {error ? (
        <p role="alert" className="rounded bg-red-50 p-3 text-red-900" data-testid="packages-error">
          {error.slice(0, 300)}
        </p>
      ) : null}
      {list.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 p-4 text-slate-600">
          {t("packages-empty")}
        </p>
      ) : (
        <ul className="grid gap-3 md:grid-cols-2" aria-label={t("packages-title")}>
          {list.map((p) => (
            <li
              key={p.id}
              className="space-y-2 rounded-lg border border-slate-200 bg-(--p-card) p-4"
              data-testid={`package-${p.id}`}
            >
              <div className="flex items-center justify-between gap-2">
                <span className="font-mono text-sm" title={p.address}>
                  #{p.id} · {shortAddress(p.address)}
                </span>
                <span className={`rounded px-2 py-0.5 text-xs ${statusClass(p.status)}`}>
                  {t(`packages-status-${p.status}`)}
                </span>
              </div>
              <dl className="grid grid-cols-2 gap-x-3 gap-y-1 text-sm">
                <dt className="text-slate-500">{t("packages-left")}</dt>
                <dd className="tabular-nums" data-testid={`package-${p.id}-left`}>
                  {p.remaining} / {p.transfers}
                </dd>
                <dt className="text-slate-500">{t("packages-price")}</dt>
                <dd className="tabular-nums">{formatTrx(p.priceSun)}</dd>
                <dt className="text-slate-500">{t("packages-ends")}</dt>
                <dd>{dateTime(p.endsAt, locale, user.timezone)}</dd>
                {p.refundedSun > 0n ? (
                  <>
                    <dt className="text-slate-500">{t("packages-refunded")}</dt>
                    <dd className="tabular-nums">{formatTrx(p.refundedSun)}</dd>
                  </>
                ) : null}
              </dl>
              {p.status === "active" && p.pending ? (
                <p className="text-sm text-amber-800">{t("packages-supplying")}</p>
              ) : null}
              {(uses.get(p.id) ?? []).length > 0 && (
                <ul className="space-y-0.5 text-sm" aria-label={t("packages-uses")}>
                  {(uses.get(p.id) ?? []).map((u) => {
                    const url = txUrl(u.txid);
                    const short = `${u.txid.slice(0, 8)}…${u.txid.slice(-6)}`;
                    return (
                      <li key={u.txid} className="font-mono" title={u.txid}>
                        {url ? (
                          <a href={url} className="underline" target="_blank" rel="noreferrer">
                            {short}
                          </a>
                        ) : (
                          <span data-txid={u.txid}>{short}</span>
                        )}{" "}
                        · {dateTime(u.createdAt, locale, user.timezone)}
                      </li>
                    );
                  })}
                </ul>
              )}
            </li>
          ))}
        </ul>
      )}
      <section className="space-y-3 rounded-lg border border-slate-200 bg-(--p-card) p-4">
        <h2 className="text-lg font-semibold">{t("packages-buy")}</h2>
        {offers.offers.length === 0 ? (
          <p className="text-slate-600">{t("packages-none-on-sale")}</p>
        ) : (
          <form action={buyPackageAction} className="grid gap-3 sm:grid-cols-2" data-testid="package-form">
            <input type="hidden" name="token" value={randomUUID()} />
            <label className="grid gap-1 text-sm">
              <span>{t("packages-size")}</span>
              <select
                name="transfers"
                className="rounded border px-2 py-2"
                defaultValue={offers.offers[0].transfers}
              >
                {offers.offers.map((o) => (
                  <option key={o.transfers} value={o.transfers}>
                    {t("packages-size-option", { n: String(o.transfers), price: formatTrx(o.priceSun) })}
                  </option>
                ))}
              </select>
            </label>
            <label className="grid gap-1 text-sm">
              <span>{t("packages-address")}</span>
              <input
                name="address"
                autoComplete="off"
                spellCheck={false}
                placeholder="T…"
                className="rounded border px-2 py-2 font-mono"
              />
            </label>
            <p className="text-sm text-slate-600 sm:col-span-2">
              {t("packages-rule", {
                days: String(offers.validityDays),
                percent: String(offers.refundPercent),
              })}
            </p>
            <div className="sm:col-span-2">
              <Button type="submit">{t("packages-buy")}</Button>
            </div>
          </form>
        )}
      </section>
    </div>
  );
}
