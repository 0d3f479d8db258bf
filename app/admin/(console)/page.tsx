import { requireAdminPage } from "@/lib/admin/guard";
import { getDashboardStats } from "@/lib/admin/dashboard";
import { recentHealth } from "@/lib/health/checks";
import type { AdminKey } from "@/lib/i18n";
import { formatAmount, trxForChart } from "@/lib/money";
import { poolCapacity } from "@/lib/pool";
import { getSettings } from "@/lib/settings";
import { DailyChart } from "../_components/chart";
import { getAdminT } from "../_components/i18n";
import { int, trx } from "@/lib/format";
import { Card, Stat } from "../_components/ui";

export const dynamic = "force-dynamic";

const pct = (bps: number) => `${formatAmount(BigInt(bps), { decimals: 2, minDecimals: 2 })} %`;
const secs = (ms: number | null) =>
  ms === null ? "—" : `${formatAmount(BigInt(Math.round(ms / 100)), { decimals: 1 })} s`;
/** Chart values are for drawing only (TRX as a float); the figures above stay exact. */

export default async function DashboardPage() {
  await requireAdminPage("dashboard.read");
  const { t } = await getAdminT();
  const s = await getSettings();
  const [stats, pool, health] = await Promise.all([
    getDashboardStats(s.delegatedAprBps),
    poolCapacity(),
    recentHealth(),
  ]);
  const label = { today: t("admin-dash-today"), "7d": t("admin-dash-7d"), "30d": t("admin-dash-30d") };
  const failing = Object.entries(health.checks).filter(([, r]) => r !== "ok");
  const checkName = (name: string) => {
    const key = `admin-health-${name}` as AdminKey;
    const text = t(key);
    return text === undefined ? name : text;
  };
  return (
    <>
      <h1 className="text-xl font-semibold">{t("admin-nav-dashboard")}</h1>
      {failing.length > 0 && (
        <div
          role="alert"
          data-testid="health-banner"
          className="rounded-lg border border-red-300 bg-red-50 p-4 text-sm text-red-900"
        >
          <p className="font-semibold">{t("admin-health-title")}</p>
          <ul className="mt-1 list-disc pl-5">
            {failing.map(([name, r]) => (
              <li key={name} data-testid={`health-${name}`}>
                <span className="font-medium">{checkName(name)}</span>: {r.replace(/^fail: /, "")}
              </li>
            ))}
          </ul>
          <p className="mt-1 text-xs">{t("admin-health-help")}</p>
        </div>
      )}
      <div className="grid grid-cols-2 gap-4 md:grid-cols-3 xl:grid-cols-5">
        <Card>
          <Stat
            label={t("admin-dash-poolNow")}
            value={`${int(pool.delegatableEnergy)} energy`}
            testId="pool-energy"
          />
          <div className="text-xs text-slate-500">{trx(pool.delegatableSun)}</div>
        </Card>
        <Card>
          <Stat label={t("admin-dash-poolInUse")} value={trx(pool.inUseSun)} />
        </Card>
        <Card>
          <Stat label={t("admin-dash-openAlerts")} value={stats.openAlerts} testId="open-alerts" />
        </Card>
        <Card>
          <Stat label={t("admin-dash-undelivered")} value={trx(stats.undelivered.sun)} testId="undelivered" />
          <div className="text-xs text-slate-500">
            {t("admin-dash-undeliveredOrders", { n: int(stats.undelivered.orders) })}
          </div>
        </Card>
        <Card>
          <Stat
            label={t("admin-dash-inFlight")}
            value={
              Object.entries(stats.byStatus)
                .map(([k, v]) => `${k} ${v}`)
                .join(" · ") || "0"
            }
          />
        </Card>
      </div>
      <div className="grid gap-4 md:grid-cols-3">
        {stats.windows.map((w) => (
          <Card key={w.window} title={label[w.window]} testId={`window-${w.window}`}>
            <div className="grid grid-cols-2 gap-3">
              <Stat label={t("admin-dash-orders")} value={w.orders} />
              <Stat label={t("admin-dash-energy")} value={int(w.energySold)} />
              <Stat label={t("admin-dash-revenue")} value={trx(w.revenueSun)} />
              <Stat label={t("admin-dash-refunds")} value={trx(w.refundsSun)} />
              <Stat
                label={t("admin-dash-cost")}
                value={trx(w.chainCostSun + w.opportunityCostSun + w.supplierCostSun + w.referralCostSun)}
              />
              <Stat label={t("admin-dash-profit")} value={trx(w.profitSun)} />
              <Stat label={t("admin-dash-failureRate")} value={pct(w.failureRateBps)} />
              <Stat label={t("admin-dash-median")} value={secs(w.medianDeliveryMs)} />
            </div>
          </Card>
        ))}
      </div>
      <Card title={t("admin-dash-chart")}>
        <DailyChart
          data={stats.daily.map((d) => ({
            day: d.day.slice(5),
            orders: d.orders,
            revenue: trxForChart(d.revenueSun),
          }))}
          series={[
            { key: "revenue", label: t("admin-chart-revenueTrx") },
            { key: "orders", label: t("admin-chart-orders"), axis: "right", kind: "line" },
          ]}
        />
      </Card>
    </>
  );
}
