import { describe, expect, it } from "vitest";
import { settingsPatchFromForm, settingsFormValues } from "@/lib/admin/settings-form";
import { defaultSettings, settingsSchema } from "@/lib/settings";

/** The subscription settings on the console's form: read back, and a rental that is not offered refused. */

const current = settingsSchema.parse(defaultSettings);

function formWith(over: Record<string, string>) {
  const f = new FormData();
  for (const [k, v] of Object.entries({ ...settingsFormValues(current), ...over })) f.set(k, v);
  for (const d of current.durations) {
    f.set(`price_${d.key}`, d.unitPriceSun.toString());
    f.set(`enabled_${d.key}`, "on");
  }
  return f;
}

describe("subscription settings", () => {
  it("round-trip through the form", () => {
    const patch = settingsPatchFromForm(
      formWith({
        subscriptionTopupDuration: "1d",
        subscriptionMaxDays: "90",
        subscriptionLowBalanceTopups: "3",
      }),
      current,
    );
    const next = settingsSchema.parse({ ...defaultSettings, ...patch });
    expect(next.subscriptions).toEqual({ topupDuration: "1d", maxDays: 90, lowBalanceTopups: 3 });
  });

  it("refuse a top-up rental that is not one of the durations, and out-of-range numbers", () => {
    const cases: Record<string, string>[] = [
      { subscriptionTopupDuration: "2h" },
      { subscriptionTopupDuration: "soon" },
      { subscriptionMaxDays: "0" },
      { subscriptionLowBalanceTopups: "1000" },
    ];
    for (const over of cases) {
      const patch = settingsPatchFromForm(formWith(over), current);
      expect(settingsSchema.safeParse({ ...defaultSettings, ...patch }).success, JSON.stringify(over)).toBe(
        false,
      );
    }
  });
});
