import { requireAdminPage } from "@/lib/admin/guard";
import { can } from "@/lib/admin/permissions";
import { settingsFormValues } from "@/lib/admin/settings-form";
import { int, percentOfBps, trx } from "@/lib/format";
import { getFloorMarket } from "@/lib/pricing";
import { offerFloors } from "@/lib/pricing/offer-floors";
import type { AdminKey, Translate } from "@/lib/i18n";
import { getSettings } from "@/lib/settings";
import {
  durationSchema,
  type SettingFormField,
  type SettingFormMeta,
  type SettingGroup,
  settingBounds,
  settingFormFields,
  settingFormMeta,
  settingGroups,
} from "@/lib/settings/schema";
import { updateSettingsFormAction } from "../../actions";
import { ActionForm, Field } from "../../_components/action-form";
import { getAdminT } from "../../_components/i18n";
import { Card, ReadOnlyNote } from "../../_components/ui";
import { OfferField } from "./offer-field";

export const dynamic = "force-dynamic";

/** The schema's bounds, "10,000–100,000,000" or "≥ 1", for the hint under the label. */
function boundsHint(f: SettingFormField): string | null {
  const { min, max } = settingBounds(f.schema);
  if (min !== undefined && max !== undefined) return `${int(min)}–${int(max)}`;
  if (min !== undefined) return `≥ ${int(min)}`;
  return null;
}

/** A setting's current value, by its path in the schema. */
const valueAt = (settings: unknown, path: string[]): unknown =>
  path.reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], settings);

const WIDTH: Record<SettingFormMeta["kind"], string> = {
  integer: "w-32",
  integers: "w-56",
  trx: "w-32",
  usdt: "w-32",
  text: "w-96",
  flag: "",
};

function label(t: Translate, f: SettingFormMeta) {
  const text = t(`admin-settings-field-${f.field}` as AdminKey);
  return f.unit ? `${text} (${t(`admin-settings-unit-${f.unit}` as AdminKey)})` : text;
}

function SettingField({ t, f, value }: { t: Translate; f: SettingFormField; value: string }) {
  const range = boundsHint(f);
  const help = f.help ? t(`admin-settings-help-${f.field}` as AdminKey) : null;
  return (
    <Field
      label={label(t, f)}
      name={f.field}
      defaultValue={value}
      width={WIDTH[f.kind]}
      inputMode={
        f.kind === "integer" || f.kind === "integers" ? "numeric" : f.kind === "text" ? undefined : "decimal"
      }
      help={help || range ? [help, range].filter(Boolean).join(" ") : undefined}
    />
  );
}

type Floors = ReturnType<typeof offerFloors>;

/** Each saved offer's margin over the floor, by its text on the form, in the console's language. */
function marginTexts(t: Translate, rows: Floors["transfers"]) {
  return Object.fromEntries(
    rows.map((o) => [
      o.text,
      {
        below: o.below,
        text: t(o.below ? "admin-offer-below-floor" : "admin-offer-margin", {
          floor: trx(o.floorSun),
          margin: trx(o.marginSun < 0n ? -o.marginSun : o.marginSun),
          percent: percentOfBps(o.marginBps),
        }),
      },
    ]),
  );
}

/** An offers field (transfer offers, packages) with its "sell below the floor" ticks and margins. */
function OffersSetting({
  t,
  f,
  value,
  floors,
}: {
  t: Translate;
  f: SettingFormField;
  value: string;
  floors: Floors;
}) {
  const transfer = f.field === "transferOffers";
  const rows = transfer ? floors.transfers : floors.packages;
  const help = f.help ? t(`admin-settings-help-${f.field}` as AdminKey) : undefined;
  return (
    <OfferField
      label={label(t, f)}
      name={f.field}
      defaultValue={value}
      help={help}
      tickName={transfer ? "transferBelowFloor" : "packageBelowFloor"}
      tickLabel={t("admin-offer-below-floor-tick")}
      ticked={rows.filter((o) => o.allowed).map((o) => o.key)}
      margins={marginTexts(t, rows)}
    />
  );
}

function Flag({ name, label, checked }: { name: string; label: string; checked: boolean }) {
  return (
    <label className="flex items-center gap-1 text-xs">
      <input type="checkbox" name={name} defaultChecked={checked} /> {label}
    </label>
  );
}

export default async function SettingsPage() {
  const ctx = await requireAdminPage("settings.read");
  const { t } = await getAdminT();
  const s = await getSettings();
  const v = settingsFormValues(s);
  const floors = offerFloors(s, await getFloorMarket(s));
  const editable = can(ctx.admin.role, "settings.update");
  const fields = settingFormFields();
  const price = settingFormMeta(durationSchema.shape.unitPriceSun);
  const enabled = settingFormMeta(durationSchema.shape.enabled);
  const inGroup = (g: SettingGroup) => fields.filter((f) => f.group === g);
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
            {settingGroups.map((g) => (
              <div key={g}>
                <h2 className="mb-2 text-sm font-semibold">{t(`admin-settings-${g}`)}</h2>
                <div className="flex flex-wrap items-end gap-3">
                  {g === "prices" &&
                    price &&
                    enabled &&
                    s.durations.map((d) => (
                      <div key={d.key} className="flex items-end gap-1">
                        <Field
                          label={d.key}
                          name={`${price.field}_${d.key}`}
                          defaultValue={d.unitPriceSun.toString()}
                          inputMode="numeric"
                          width="w-24"
                        />
                        <Flag
                          name={`${enabled.field}_${d.key}`}
                          label={t("admin-settings-field-enabled")}
                          checked={d.enabled}
                        />
                      </div>
                    ))}
                  {inGroup(g).map((f) =>
                    f.kind === "flag" ? (
                      <Flag
                        key={f.field}
                        name={f.field}
                        label={label(t, f)}
                        checked={valueAt(s, f.path) === true}
                      />
                    ) : f.field === "transferOffers" || f.field === "packageOffers" ? (
                      <OffersSetting key={f.field} t={t} f={f} value={v[f.field] ?? ""} floors={floors} />
                    ) : (
                      <SettingField key={f.field} t={t} f={f} value={v[f.field] ?? ""} />
                    ),
                  )}
                </div>
              </div>
            ))}
          </fieldset>
        </ActionForm>
      </Card>
    </>
  );
}
