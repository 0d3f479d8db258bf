import { describe, expect, it } from "vitest";
import { settingsFormValues, settingsPatchFromForm } from "@/lib/admin/settings-form";
import { getCatalog } from "@/lib/i18n/catalog";
import {
  defaultSettings,
  durationSchema,
  settingBounds,
  settingFormFields,
  settingFormMeta,
  settingGroups,
  settingsSchema,
} from "./schema";

const current = settingsSchema.parse(defaultSettings);

describe("settings schema: the console form's metadata", () => {
  it("puts on the form exactly the fields the form is read back from", () => {
    const onForm = settingFormFields().map((f) => f.field);
    // Text fields and checkboxes: the current values the form shows, plus the switches.
    expect(onForm.sort()).toEqual(
      [
        ...Object.keys(settingsFormValues(current)),
        "maintenanceEnabled",
        "transferEnabled",
        "pricingLiveBurnPrice",
      ].sort(),
    );
    // Every field the parser reads is a field the form has: a form built from the metadata saves.
    const fd = new FormData();
    const values = settingsFormValues(current);
    for (const f of settingFormFields()) {
      if (f.kind === "flag") fd.set(f.field, "on");
      else fd.set(f.field, values[f.field]);
    }
    const price = settingFormMeta(durationSchema.shape.unitPriceSun)!;
    const enabled = settingFormMeta(durationSchema.shape.enabled)!;
    for (const d of current.durations) {
      fd.set(`${price.field}_${d.key}`, d.unitPriceSun.toString());
      fd.set(`${enabled.field}_${d.key}`, "on");
    }
    const next = settingsSchema.parse({ ...defaultSettings, ...settingsPatchFromForm(fd, current) });
    expect(next.maintenance.enabled).toBe(true);
    expect(next.transfer.enabled).toBe(true);
    expect(settingsFormValues(next)).toEqual(values);
  });

  it("every field, unit and help line has its copy in both console languages", () => {
    const keys: string[] = settingGroups.map((g) => `admin-settings-${g}`);
    for (const f of [...settingFormFields(), settingFormMeta(durationSchema.shape.enabled)!]) {
      keys.push(`admin-settings-field-${f.field}`);
      if (f.unit) keys.push(`admin-settings-unit-${f.unit}`);
      if (f.help) keys.push(`admin-settings-help-${f.field}`);
    }
    const catalog = getCatalog();
    for (const k of keys) {
      expect(catalog.en.entries.get(k)?.surface, k).toBe("admin");
      expect(catalog.zh.entries.get(k)?.surface, k).toBe("admin");
    }
  });

  it("reads the bounds from the schema's own checks", () => {
    const byField = Object.fromEntries(settingFormFields().map((f) => [f.field, f]));
    expect(settingBounds(byField.energyMin.schema)).toEqual({ min: 10_000, max: 100_000_000 });
    expect(settingBounds(byField.failureRatePercent.schema)).toEqual({ min: 1, max: 100 });
    expect(settingBounds(byField.walletMinTxs.schema)).toEqual({ min: 0, max: 100_000 });
    expect(settingBounds(byField.orderFeeTrx.schema)).toEqual({});
  });
});
