import { orderCosts, trxHours } from "@/lib/admin/costs";
import { Button, buttonVariants } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { financeByDay, financeTotals, pageRange } from "@/lib/admin/finance";
import { requireAdminPage } from "@/lib/admin/guard";
import { formatAmount, trxForChart } from "@/lib/money";
import { getSettings } from "@/lib/settings";
import { DailyChart } from "../../_components/chart";
import { getAdminT } from "../../_components/i18n";
import { int, trx } from "@/lib/format";
import { Card, Stat, Table, Td } from "../../_components/ui";

export const dynamic = "force-dynamic";

export default async function FinancePage({
  searchParams,
}: {
  searchParams: Promise<{ from?: string; to?: string }>;
}) {
  await requireAdminPage("finance.read");
  const { t } = await getAdminT();
  const sp = await searchParams;
  const { range, error: rangeError } = pageRange(sp);
  const s = await getSettings();
  const days = await financeByDay(range, s.delegatedAprBps);
  const total = financeTotals(days);
  const costs = await orderCosts(range, s.delegatedAprBps);
  const n = BigInt(Math.max(1, costs.totals.orders));
  return (
    <>
      <h1 className="text-xl font-semibold">{t("admin-nav-finance")}</h1>
      <Card>
        <form method="get" className="flex flex-wrap items-end gap-2 text-xs">
          <Field label={t("admin-orders-from")} size="sm">
            {(p) => <Input {...p} size="sm" type="date" name="from" defaultValue={range.from} />}
          </Field>
          <Field label={t("admin-orders-to")} size="sm">
            {(p) => <Input {...p} size="sm" type="date" name="to" defaultValue={range.to} />}
          </Field>
          <Button type="submit" variant="dark" size="sm">
            {t("admin-search")}
          </Button>
          <a
            href={`/admin/finance/export?from=${range.from}&to=${range.to}`}
            className={buttonVariants({ variant: "outline", size: "sm" })}
            data-testid="export-csv"
          >
            {t("admin-finance-export")}
          </a>
        </form>
        {rangeError && (
          <p role="alert" className="mt-2 text-sm text-red-700">
            {rangeError}
          </p>
        )}
        <p className="mt-2 text-xs text-slate-500">
          {t("admin-finance-note", { apr: formatAmount(BigInt(s.delegatedAprBps), { decimals: 2 }) })}
        </p>
      </Card>
      <Card>
        <DailyChart
          data={days.map((d) => ({
            day: d.day.slice(5),
            revenue: trxForChart(d.revenueSun),
            cost: trxForChart(d.chainCostSun + d.opportunityCostSun + d.supplierCostSun + d.referralCostSun),
            profit: trxForChart(d.profitSun),
            orders: d.deliveredOrders,
          }))}
          series={[
            { key: "revenue", label: t("admin-chart-revenueTrx") },
            { key: "cost", label: t("admin-chart-costTrx") },
            { key: "profit", label: t("admin-chart-profitTrx") },
            { key: "orders", label: t("admin-chart-deliveredOrders"), axis: "right", kind: "line" },
          ]}
        />
      </Card>
      <Card>
        <Table
          head={[
            t("admin-finance-date"),
            t("admin-finance-payments"),
            t("admin-finance-refunds"),
            t("admin-finance-revenue"),
            t("admin-finance-packages"),
            t("admin-finance-deliveredOrders"),
            t("admin-finance-undelivered"),
            t("admin-finance-chainCost"),
            t("admin-finance-opportunityCost"),
            t("admin-finance-supplierCost"),
            t("admin-finance-referralCost"),
            t("admin-finance-profit"),
          ]}
        >
          {days.map((d) => (
            <tr key={d.day}>
              <Td mono>{d.day}</Td>
              <Td>{trx(d.paymentsSun)}</Td>
              <Td>{trx(d.refundsSun)}</Td>
              <Td>{trx(d.revenueSun)}</Td>
              <Td>{trx(d.packagesSun)}</Td>
              <Td>{d.deliveredOrders}</Td>
              <Td>{trx(d.undeliveredSun)}</Td>
              <Td>{trx(d.chainCostSun)}</Td>
              <Td>{trx(d.opportunityCostSun)}</Td>
              <Td>{trx(d.supplierCostSun)}</Td>
              <Td>{trx(d.referralCostSun)}</Td>
              <Td>{trx(d.profitSun)}</Td>
            </tr>
          ))}
          <tr className="font-semibold" data-testid="finance-total">
            <Td>{t("admin-finance-total")}</Td>
            <Td>{trx(total.paymentsSun)}</Td>
            <Td>{trx(total.refundsSun)}</Td>
            <Td>{trx(total.revenueSun)}</Td>
            <Td>{trx(total.packagesSun)}</Td>
            <Td>{total.deliveredOrders}</Td>
            <Td>{trx(total.undeliveredSun)}</Td>
            <Td>{trx(total.chainCostSun)}</Td>
            <Td>{trx(total.opportunityCostSun)}</Td>
            <Td>{trx(total.supplierCostSun)}</Td>
            <Td>{trx(total.referralCostSun)}</Td>
            <Td>{trx(total.profitSun)}</Td>
          </tr>
        </Table>
      </Card>
      <Card title={t("admin-finance-costs")} testId="order-costs">
        <div className="mb-3 flex flex-wrap gap-6">
          <Stat label="orders" value={int(costs.totals.orders)} />
          <Stat label="bandwidth burned" value={trx(costs.totals.burnedSun)} testId="costs-burned" />
          <Stat
            label="stake blocked (TRX·h): rented / after reclaim"
            value={`${int(trxHours(costs.totals.rentalSunSeconds))} / ${int(trxHours(costs.totals.afterSunSeconds))}`}
            testId="costs-stake-hours"
          />
          <Stat label="opportunity cost" value={trx(costs.totals.opportunitySun)} />
          <Stat label="suppliers" value={trx(costs.totals.supplierSun)} testId="costs-suppliers" />
          <Stat label="referrals" value={trx(costs.totals.referralSun)} testId="costs-referrals" />
          <Stat label="margin" value={trx(costs.totals.marginSun)} testId="costs-margin" />
          <Stat label="burned per order" value={trx(costs.totals.burnedSun / n)} testId="costs-burned-avg" />
          <Stat label="fee per order now" value={trx(s.orderFeeSun)} />
        </div>
        {costs.totals.orders > 0 && costs.totals.burnedSun / n > s.orderFeeSun && (
          <p className="mb-2 text-xs text-amber-800" data-testid="costs-fee-hint">
            Orders burn more bandwidth than the per-order fee covers: raise it on the settings page to at
            least {trx(costs.totals.burnedSun / n)}.
          </p>
        )}
        <p className="mb-2 text-xs text-slate-500">
          Stake blocked after the reclaim: the energy a customer used moves to the supplier wallet and keeps
          stake busy while it recovers over about 24 h; a third-party supplier&apos;s stake is theirs and not
          counted. Margin = price − refunds − bandwidth burned − opportunity cost − what suppliers earned −
          the referral commission; a package&apos;s prepaid supply is not a sale (the package is).
        </p>
        <Table
          head={[
            "order",
            "status",
            "energy",
            "duration",
            "price",
            "refunded",
            "bandwidth burned",
            "TRX·h rented",
            "TRX·h after",
            "opportunity",
            "suppliers",
            "referral",
            "margin",
          ]}
        >
          {costs.orders.map((c) => (
            <tr key={c.orderId} data-testid="order-cost-row">
              <Td mono>
                <a href={`/admin/orders/${c.orderId}`} className="underline">
                  {c.orderId}
                </a>
              </Td>
              <Td>{c.packageId === null ? c.status : `${c.status} (package #${c.packageId})`}</Td>
              <Td>{int(c.energy)}</Td>
              <Td>{c.durationKey}</Td>
              <Td>{trx(c.priceSun)}</Td>
              <Td>{trx(c.refundedSun)}</Td>
              <Td>{trx(c.burnedSun)}</Td>
              <Td>{int(trxHours(c.rentalSunSeconds))}</Td>
              <Td>{int(trxHours(c.afterSunSeconds))}</Td>
              <Td>{trx(c.opportunitySun)}</Td>
              <Td>{trx(c.supplierSun)}</Td>
              <Td>{trx(c.referralSun)}</Td>
              <Td>{trx(c.marginSun)}</Td>
            </tr>
          ))}
        </Table>
      </Card>
    </>
  );
}
