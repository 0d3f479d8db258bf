import { Button } from "@/components/ui/button";
import { requireAdminPage } from "@/lib/admin/guard";
import { priceSimulation } from "@/lib/admin/price-simulation";
import { int, trx } from "@/lib/format";
import type { AdminKey } from "@/lib/i18n";
import { Field } from "../../../_components/action-form";
import { getAdminT } from "../../../_components/i18n";
import { Card, Stat, Table, Td } from "../../../_components/ui";

export const dynamic = "force-dynamic";

const pct = (bps: number) => (bps / 100).toFixed(bps % 100 === 0 ? 0 : 2);

/** Price simulation: a day's delivered orders replayed with the current or edited pricing settings. */
export default async function PriceSimulationPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireAdminPage("settings.read");
  const { t } = await getAdminT();
  const sim = await priceSimulation(await searchParams);
  const v = sim.values;
  const r = sim.result;
  const field = (name: string, key: AdminKey, width = "w-32") => (
    <Field
      label={t(key)}
      name={name}
      defaultValue={v[name] ?? ""}
      width={width}
      help={sim.error?.fields[name]}
    />
  );
  return (
    <>
      <h1 className="text-xl font-semibold">{t("admin-sim-title")}</h1>
      <Card>
        <p className="mb-3 text-xs text-slate-500">{t("admin-sim-intro")}</p>
        <form method="get" className="flex flex-col gap-3" data-testid="simulation-form">
          <input type="hidden" name="run" value="1" />
          <div className="flex flex-wrap items-end gap-3">
            <Field label={t("admin-sim-day")} name="day" type="date" defaultValue={sim.day} width="w-40" />
          </div>
          <div>
            <h2 className="mb-1 text-xs font-semibold">{t("admin-sim-unitPrices")}</h2>
            <div className="flex flex-wrap items-end gap-3">
              {sim.settings.durations.map((d) => (
                <Field
                  key={d.key}
                  label={d.key}
                  name={`price_${d.key}`}
                  defaultValue={v[`price_${d.key}`]}
                  inputMode="numeric"
                  width="w-24"
                />
              ))}
            </div>
          </div>
          <div className="flex flex-wrap items-end gap-3">
            {field("pricingCurve", "admin-settings-field-pricingCurve", "w-96")}
            {field("pricingVolumeDiscounts", "admin-settings-field-pricingVolumeDiscounts", "w-72")}
            {field("pricingResellerDiscount", "admin-settings-field-pricingResellerDiscount")}
            {field("pricingFloorMarginBps", "admin-settings-field-pricingFloorMarginBps")}
            {field("orderFeeTrx", "admin-settings-field-orderFeeTrx")}
            {field("minOrderPriceTrx", "admin-settings-field-minOrderPriceTrx")}
          </div>
          <div>
            <Button type="submit" variant="dark" size="sm">
              {t("admin-sim-run")}
            </Button>
          </div>
        </form>
        {sim.error && (
          <p role="alert" className="mt-2 text-sm text-red-700">
            {sim.error.message} {Object.values(sim.error.fields).join(" ")}
          </p>
        )}
        <p className="mt-2 text-xs text-slate-500">
          {t("admin-sim-utilisationNow", { percent: pct(sim.utilisationNowBps) })}
        </p>
      </Card>
      {r && (
        <Card testId="simulation-result">
          <div className="mb-3 flex flex-wrap gap-6">
            <Stat label={t("admin-sim-orders")} value={int(r.totals.orders)} testId="sim-orders" />
            <Stat label={t("admin-sim-oldRevenue")} value={trx(r.totals.oldRevenueSun)} testId="sim-old" />
            <Stat label={t("admin-sim-newRevenue")} value={trx(r.totals.newRevenueSun)} testId="sim-new" />
            <Stat
              label={t("admin-sim-difference")}
              value={`${r.totals.newRevenueSun >= r.totals.oldRevenueSun ? "+" : "−"}${trx(
                r.totals.newRevenueSun >= r.totals.oldRevenueSun
                  ? r.totals.newRevenueSun - r.totals.oldRevenueSun
                  : r.totals.oldRevenueSun - r.totals.newRevenueSun,
              )}`}
              testId="sim-diff"
            />
            <Stat label={t("admin-sim-floor")} value={trx(r.totals.floorSun)} />
            <Stat label={t("admin-sim-margin")} value={trx(r.totals.marginSun)} testId="sim-margin" />
            <Stat label={t("admin-sim-atFloor")} value={int(r.totals.atFloor)} />
          </div>
          {r.rows.length === 0 ? (
            <p className="text-sm text-slate-500">{t("admin-sim-none")}</p>
          ) : (
            <Table
              head={[
                t("admin-sim-col-order"),
                t("admin-sim-col-energy"),
                t("admin-sim-col-duration"),
                t("admin-sim-col-utilisation"),
                t("admin-sim-col-old"),
                t("admin-sim-col-new"),
                t("admin-sim-col-floor"),
              ]}
            >
              {r.rows.slice(0, 200).map((o) => (
                <tr key={o.id}>
                  <Td mono>
                    <a href={`/admin/orders/${o.id}`} className="underline">
                      {o.id}
                    </a>
                  </Td>
                  <Td mono>{int(o.energy)}</Td>
                  <Td>{o.durationKey}</Td>
                  <Td mono>
                    {pct(o.utilisationBps)}%{o.utilisationKnown ? "" : ` (${t("admin-sim-now")})`}
                  </Td>
                  <Td mono>{trx(o.oldRevenueSun)}</Td>
                  <Td mono>{trx(o.newRevenueSun)}</Td>
                  <Td mono>{trx(o.floorSun)}</Td>
                </tr>
              ))}
            </Table>
          )}
        </Card>
      )}
    </>
  );
}
