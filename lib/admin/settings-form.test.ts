import { describe, expect, it } from "vitest";
import { defaultSettings, settingsSchema } from "@/lib/settings/schema";
import { settingsFormValues, settingsPatchFromForm } from "./settings-form";

const current = settingsSchema.parse(defaultSettings);

function formOf(values: Record<string, string>) {
  const fd = new FormData();
  for (const [k, v] of Object.entries(values)) fd.set(k, v);
  for (const d of current.durations) {
    fd.set(`price_${d.key}`, d.unitPriceSun.toString());
    if (d.enabled) fd.set(`enabled_${d.key}`, "on");
  }
  return fd;
}

describe("settings form: supplier costs", () => {
  it("round-trips the per-order fee, the minimum price, the drift headroom and the wallet transactions alert", () => {
    const values = settingsFormValues(current);
    expect(values).toMatchObject({
      orderFeeTrx: "0",
      minOrderPriceTrx: "0",
      driftHeadroomBpsPerDay: "5",
      walletMinTxs: "20",
    });
    const patch = settingsPatchFromForm(
      formOf({
        ...values,
        orderFeeTrx: "0.3",
        minOrderPriceTrx: "2.5",
        driftHeadroomBpsPerDay: "8",
        walletMinTxs: "40",
      }),
      current,
    );
    const next = settingsSchema.parse({ ...defaultSettings, ...patch });
    expect(next.orderFeeSun).toBe(300_000n);
    expect(next.minOrderPriceSun).toBe(2_500_000n);
    expect(next.driftHeadroomBpsPerDay).toBe(8);
    expect(next.alerts.walletMinTxs).toBe(40);
  });

  it("the form submitted unchanged saves the defaults (a zero fee and no minimum are valid)", () => {
    const patch = settingsPatchFromForm(formOf(settingsFormValues(current)), current);
    const next = settingsSchema.parse({ ...defaultSettings, ...patch });
    expect(next.orderFeeSun).toBe(0n);
    expect(next.minOrderPriceSun).toBe(0n);
    expect(settingsFormValues(next)).toEqual(settingsFormValues(current));
  });

  it("refuses a bad fee with a field error", () => {
    const values = settingsFormValues(current);
    expect(() => settingsPatchFromForm(formOf({ ...values, orderFeeTrx: "abc" }), current)).toThrow();
    expect(() => settingsPatchFromForm(formOf({ ...values, walletMinTxs: "1.5" }), current)).toThrow();
  });

  it("stored alert settings from before the new threshold still load (it defaults)", () => {
    const { walletMinTxs: _, ...oldAlerts } = defaultSettings.alerts as Record<string, unknown>;
    const s = settingsSchema.parse({ ...defaultSettings, alerts: oldAlerts });
    expect(s.alerts.walletMinTxs).toBe(20);
  });
});

describe("settings form: sell below the floor", () => {
  it("stores the tick with the offers and packages ticked, by their amount or size as written", () => {
    const values = settingsFormValues(current);
    const fd = formOf({
      ...values,
      transferEnabled: "on",
      transferOffers: "5 TRX = 65,000 energy / 1h\n0.5 = 131000 / 1d",
      packageOffers: "5 = 12.5; 20 = 1",
    });
    for (const v of ["0.50", "7"]) fd.append("transferBelowFloor", v); // 7: no such offer
    for (const v of ["20", "x"]) fd.append("packageBelowFloor", v);
    const next = settingsSchema.parse({ ...defaultSettings, ...settingsPatchFromForm(fd, current) });
    expect(next.transfer.offers).toEqual([
      { amountSun: 5_000_000n, energy: 65_000, duration: "1h" },
      { amountSun: 500_000n, energy: 131_000, duration: "1d", belowFloor: true },
    ]);
    expect(next.packages.offers).toEqual([
      { transfers: 5, priceSun: 12_500_000n },
      { transfers: 20, priceSun: 1_000_000n, belowFloor: true },
    ]);
    // unticked on the next save: the tick is gone
    const again = settingsSchema.parse({
      ...defaultSettings,
      ...settingsPatchFromForm(formOf(settingsFormValues(next)), next),
    });
    expect(again.transfer.offers.some((o) => o.belowFloor)).toBe(false);
    expect(again.packages.offers.some((o) => o.belowFloor)).toBe(false);
  });
});

describe("settings form: pay by transfer", () => {
  it("round-trips the offers, the risk cap and the refund fee", () => {
    const values = settingsFormValues(current);
    expect(values.transferOffers).toBe("4 = 65000 / 1h; 8 = 131000 / 1h");
    const patch = settingsPatchFromForm(
      formOf({
        ...values,
        transferEnabled: "on",
        transferOffers: "5 TRX = 65,000 energy / 1h\n12.5 = 131000 / 1d",
        transferRiskCapTrx: "50",
        transferRefundFeeTrx: "0.5",
      }),
      current,
    );
    const next = settingsSchema.parse({ ...defaultSettings, ...patch });
    expect(next.transfer).toEqual({
      enabled: true,
      offers: [
        { amountSun: 5_000_000n, energy: 65_000, duration: "1h" },
        { amountSun: 12_500_000n, energy: 131_000, duration: "1d" },
      ],
      riskCapSun: 50_000_000n,
      refundFeeSun: 500_000n,
    });
    expect(settingsFormValues(next).transferOffers).toBe("5 = 65000 / 1h; 12.5 = 131000 / 1d");
  });

  it("refuses offers that do not parse, with the field named", () => {
    const values = settingsFormValues(current);
    for (const bad of ["4 65000 1h", "4 = lots / 1h", "x = 65000 / 1h"]) {
      try {
        settingsPatchFromForm(formOf({ ...values, transferOffers: bad }), current);
        expect.unreachable(bad);
      } catch (e) {
        expect((e as { fields?: Record<string, string> }).fields, bad).toHaveProperty("transferOffers");
      }
    }
  });

  it("round-trips the packages and refuses ones that do not parse", () => {
    const values = settingsFormValues(current);
    expect(values.packageOffers).toBe("10 = 30; 50 = 140; 100 = 270");
    const patch = settingsPatchFromForm(
      formOf({ ...values, packageOffers: "5 = 12.5\n20 transfers = 45 TRX", packageRefundPercent: "0" }),
      current,
    );
    const next = settingsSchema.parse({ ...defaultSettings, ...patch });
    expect(next.packages).toMatchObject({
      offers: [
        { transfers: 5, priceSun: 12_500_000n },
        { transfers: 20, priceSun: 45_000_000n },
      ],
      refundPercent: 0,
    });
    expect(settingsFormValues(next).packageOffers).toBe("5 = 12.5; 20 = 45");
    for (const bad of ["10 30", "x = 30", "10 = lots"])
      expect(() => settingsPatchFromForm(formOf({ ...values, packageOffers: bad }), current)).toThrow(
        expect.objectContaining({ fields: { packageOffers: expect.any(String) } }),
      );
    // the schema refuses a size twice and a refund over 100%
    expect(
      settingsSchema.safeParse({
        ...defaultSettings,
        packages: {
          ...defaultSettings.packages,
          offers: [
            { transfers: 5, priceSun: "1" },
            { transfers: 5, priceSun: "2" },
          ],
        },
      }).success,
    ).toBe(false);
    expect(
      settingsSchema.safeParse({
        ...defaultSettings,
        packages: { ...defaultSettings.packages, refundPercent: 101 },
      }).success,
    ).toBe(false);
  });
});
