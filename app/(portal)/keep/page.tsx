import Link from "next/link";
import { dateTime, formatInteger, formatTrx, shortAddress } from "@/lib/format";
import { getSettings } from "@/lib/settings";
import { listSubscriptions, subscriptionTopups } from "@/lib/subscriptions";
import { portalContext } from "../_lib/context";
import { KeepActions, NewKeepForm } from "./keep-ui";

export const dynamic = "force-dynamic";

function statusClass(s: string) {
  if (s === "active") return "bg-emerald-100 text-emerald-900";
  if (s === "paused") return "bg-amber-100 text-amber-900";
  return "bg-slate-200 text-slate-800";
}

/** Keep-energy subscriptions: the user's list (with the latest top-ups) and a form for a new one. */
export default async function KeepPage() {
  const { user, t, locale } = await portalContext();
  const [subs, settings] = await Promise.all([listSubscriptions(user.id, 20), getSettings()]);
  const topups = new Map(
    await Promise.all(subs.map(async (s) => [s.id, await subscriptionTopups(user.id, s.id, 5)] as const)),
  );
  return (
    <div className="space-y-6">
      <div className="space-y-1">
        <h1 className="text-2xl font-bold">{t("keep-title")}</h1>
        <p className="text-slate-600">{t("keep-intro")}</p>
      </div>
      {subs.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 p-4 text-slate-600">
          {t("keep-empty")}
        </p>
      ) : (
        <ul className="grid gap-3 md:grid-cols-2" aria-label={t("keep-title")}>
          {subs.map((s) => (
            <li
              key={s.id}
              className="space-y-2 rounded-lg border border-slate-200 bg-(--p-card) p-4"
              data-testid={`keep-${s.id}`}
            >
              <div className="flex items-center justify-between gap-2">
                <span className="font-mono text-sm" title={s.address}>
                  #{s.id} · {shortAddress(s.address)}
                </span>
                <span className={`rounded px-2 py-0.5 text-xs ${statusClass(s.status)}`}>
                  {t(`keep-status-${s.status}`)}
                </span>
              </div>
              <dl className="grid grid-cols-2 gap-x-3 gap-y-1 text-sm">
                <dt className="text-slate-500">{t("keep-min")}</dt>
                <dd className="tabular-nums">{formatInteger(s.minEnergy)}</dd>
                <dt className="text-slate-500">{t("keep-now")}</dt>
                <dd className="tabular-nums">
                  {s.energyAvailable === null ? "—" : formatInteger(s.energyAvailable)}
                </dd>
                <dt className="text-slate-500">{t("keep-spent")}</dt>
                <dd className="tabular-nums">
                  {formatTrx(s.spentSun)} / {formatTrx(s.budgetSun)}
                </dd>
                <dt className="text-slate-500">{t("keep-topups")}</dt>
                <dd className="tabular-nums">{s.topups}</dd>
                <dt className="text-slate-500">{t("keep-ends")}</dt>
                <dd>{dateTime(s.endsAt, locale, user.timezone)}</dd>
              </dl>
              {s.lastError && s.status === "active" ? (
                <p className="text-sm text-amber-800">{t("keep-waiting")}</p>
              ) : null}
              {(topups.get(s.id) ?? []).length > 0 && (
                <ul className="space-y-0.5 text-sm" aria-label={t("keep-topups")}>
                  {(topups.get(s.id) ?? []).map((o) => (
                    <li key={o.orderId}>
                      <Link href={`/orders/${o.orderId}`} className="underline">
                        #{o.orderId}
                      </Link>{" "}
                      · {formatInteger(o.energy)} · {formatTrx(o.priceSun - o.refundedSun)} ·{" "}
                      {dateTime(o.createdAt, locale, user.timezone)}
                    </li>
                  ))}
                </ul>
              )}
              <KeepActions id={s.id} status={s.status} />
            </li>
          ))}
        </ul>
      )}
      <section
        className="space-y-3 rounded-lg border border-slate-200 bg-(--p-card) p-4"
        aria-labelledby="keep-new"
      >
        <h2 id="keep-new" className="text-lg font-semibold">
          {t("keep-new")}
        </h2>
        <p className="text-sm text-slate-600">
          {t("keep-new-help", { duration: settings.subscriptions.topupDuration })}
        </p>
        <NewKeepForm maxDays={settings.subscriptions.maxDays} defaultEnergy={settings.presets[0] ?? 65_000} />
      </section>
    </div>
  );
}
