import { requireAdminPage } from "@/lib/admin/guard";
import { can } from "@/lib/admin/permissions";
import { settingsFormValues } from "@/lib/admin/settings-form";
import { getSettings } from "@/lib/settings";
import { updateSettingsFormAction } from "../../actions";
import { ActionForm, Field } from "../../_components/action-form";
import { getAdminT } from "../../_components/i18n";
import { Card, ReadOnlyNote } from "../../_components/ui";

export const dynamic = "force-dynamic";

export default async function SettingsPage() {
  const ctx = await requireAdminPage("settings.read");
  const { t } = await getAdminT();
  const s = await getSettings();
  const v = settingsFormValues(s);
  const editable = can(ctx.admin.role, "settings.update");
  return (
    <>
      <h1 className="text-xl font-semibold">{t("admin-nav-settings")}</h1>
      {!editable && <ReadOnlyNote text={t("admin-readOnly")} />}
      <Card>
        <ActionForm
          action={updateSettingsFormAction}
          submit={t("admin-save")}
          className="flex flex-col gap-4"
          testId="settings-form"
        >
          <fieldset disabled={!editable} className="flex flex-col gap-4">
            <div>
              <h2 className="mb-2 text-sm font-semibold">{t("admin-settings-prices")}</h2>
              <div className="flex flex-wrap gap-3">
                {s.durations.map((d) => (
                  <div key={d.key} className="flex items-end gap-1">
                    <Field
                      label={d.key}
                      name={`price_${d.key}`}
                      defaultValue={d.unitPriceSun.toString()}
                      width="w-24"
                    />
                    <label className="flex items-center gap-1 text-xs">
                      <input type="checkbox" name={`enabled_${d.key}`} defaultChecked={d.enabled} /> on
                    </label>
                  </div>
                ))}
              </div>
            </div>
            <div>
              <h2 className="mb-2 text-sm font-semibold">{t("admin-settings-limits")}</h2>
              <div className="flex flex-wrap gap-3">
                <Field label="Energy min" name="energyMin" defaultValue={v.energyMin} width="w-32" />
                <Field label="Energy max" name="energyMax" defaultValue={v.energyMax} width="w-32" />
                <Field
                  label="Presets (comma-separated)"
                  name="presets"
                  defaultValue={v.presets}
                  width="w-56"
                />
                <Field
                  label="Finance APR (basis points)"
                  name="delegatedAprBps"
                  defaultValue={v.delegatedAprBps}
                  width="w-32"
                />
              </div>
            </div>
            <div>
              <h2 className="mb-2 text-sm font-semibold">{t("admin-settings-costs")}</h2>
              <div className="flex flex-wrap gap-3">
                <Field
                  label="Fee per order (TRX)"
                  name="orderFeeTrx"
                  defaultValue={v.orderFeeTrx}
                  width="w-32"
                />
                <Field
                  label="Minimum order price (TRX)"
                  name="minOrderPriceTrx"
                  defaultValue={v.minOrderPriceTrx}
                  width="w-32"
                />
                <Field
                  label="Weight-drift headroom (bp per day)"
                  name="driftHeadroomBpsPerDay"
                  defaultValue={v.driftHeadroomBpsPerDay}
                  width="w-32"
                />
              </div>
              <p className="mt-1 text-xs text-slate-500">
                Each delegate and undelegate burns about 0.28 TRX of bandwidth once a wallet's 600 free bytes
                a day are used; the finance page shows what orders really cost.
              </p>
            </div>
            <div>
              <h2 className="mb-2 text-sm font-semibold">{t("admin-settings-deposits")}</h2>
              <div className="flex flex-wrap gap-3">
                <Field
                  label="Minimum TRX deposit"
                  name="minDepositTrx"
                  defaultValue={v.minDepositTrx}
                  width="w-32"
                />
                <Field
                  label="Minimum USDT deposit"
                  name="minDepositUsdt"
                  defaultValue={v.minDepositUsdt}
                  width="w-32"
                />
                <Field
                  label="TRX credited per 1 USDT"
                  name="usdtRateTrx"
                  defaultValue={v.usdtRateTrx}
                  width="w-32"
                />
              </div>
            </div>
            <div>
              <h2 className="mb-2 text-sm font-semibold">{t("admin-settings-alerts")}</h2>
              <div className="flex flex-wrap gap-3">
                <Field
                  label="Pool energy below"
                  name="poolLowEnergy"
                  defaultValue={v.poolLowEnergy}
                  width="w-32"
                />
                <Field
                  label="Wallet TRX below"
                  name="walletLowTrx"
                  defaultValue={v.walletLowTrx}
                  width="w-32"
                />
                <Field
                  label="Order stuck after (min)"
                  name="stuckOrderMinutes"
                  defaultValue={v.stuckOrderMinutes}
                  width="w-32"
                />
                <Field
                  label="Failure rate over (%)"
                  name="failureRatePercent"
                  defaultValue={v.failureRatePercent}
                  width="w-32"
                />
                <Field
                  label="Scanner lag over (blocks)"
                  name="scannerLagBlocks"
                  defaultValue={v.scannerLagBlocks}
                  width="w-32"
                />
                <Field
                  label="Wallet transactions left below"
                  name="walletMinTxs"
                  defaultValue={v.walletMinTxs}
                  width="w-32"
                />
              </div>
            </div>
            <div>
              <h2 className="mb-2 text-sm font-semibold">{t("admin-settings-maintenance")}</h2>
              <label className="flex items-center gap-2 text-sm">
                <input type="checkbox" name="maintenanceEnabled" defaultChecked={s.maintenance.enabled} /> On:
                the bot, portal and API refuse new orders
              </label>
              <Field
                label="Message"
                name="maintenanceMessage"
                defaultValue={v.maintenanceMessage}
                width="w-96"
              />
            </div>
          </fieldset>
        </ActionForm>
      </Card>
    </>
  );
}
