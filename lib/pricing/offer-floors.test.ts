import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { defaultSettings, type SettingsInput, settingsSchema } from "@/lib/settings/schema";
import { checkOfferFloorsIn, offerFloors } from "./offer-floors";
import { type Market, orderFloor, smartPrice } from "./smart";

/** Mainnet-like chain figures: 180e9 energy over 19e9 TRX of stake, 1,000 sun per byte. */
const market: Market = {
  utilisationBps: 0,
  burnPriceSun: 100n,
  burnPriceLive: true,
  weights: { totalEnergyWeight: 19_000_000_000n, totalEnergyLimit: 180_000_000_000n },
  sunPerByte: 1_000n,
  txBytes: 300n,
  afterReclaimSeconds: 43_200n,
};

const settings = (over: Partial<SettingsInput> = {}) => settingsSchema.parse({ ...defaultSettings, ...over });
const TRX = 1_000_000n;

function refusal(f: () => void): AppError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error("not refused");
}

describe("offers against the pricing floor", () => {
  it("the floor is the one quotes are never priced below: same energy and duration", () => {
    const s = settings();
    const f = offerFloor65k1h(s);
    // a quote whose list price is 1 sun is priced exactly at this floor
    const cheap = smartPrice(
      s,
      { energy: 65_000n, unitPriceSun: 1n, durationSeconds: 3_600 },
      { ...market, utilisationBps: 0 },
    );
    expect(cheap.atFloor).toBe(true);
    expect(cheap.priceSun).toBe(f);
    expect(f).toBeGreaterThan(600_000n); // bandwidth alone is 0.6 TRX
    expect(f).toBeLessThan(2n * TRX);
  });

  it("gives each transfer offer and package its floor and margin; a package is N supplies of one transfer", () => {
    const s = settings({
      transfer: {
        ...(defaultSettings.transfer as SettingsInput["transfer"]),
        offers: [
          { amountSun: "4000000", energy: 65_000, duration: "1h" },
          { amountSun: "500000", energy: 65_000, duration: "1h", belowFloor: true },
          { amountSun: "1000000", energy: 131_000, duration: "1d" },
        ],
      },
    });
    const { transfers, packages } = offerFloors(s, market);
    const f65 = offerFloor65k1h(s);
    const f131d = orderFloor(s, { energy: 131_000n, durationSeconds: 86_400 }, market).floorSun;
    expect(transfers.map((o) => [o.key, o.text, o.priceSun, o.floorSun, o.below, o.allowed])).toEqual([
      ["4", "4 = 65000 / 1h", 4n * TRX, f65, false, false],
      ["0.5", "0.5 = 65000 / 1h", 500_000n, f65, true, true],
      ["1", "1 = 131000 / 1d", TRX, f131d, true, false],
    ]);
    expect(transfers[0].marginSun).toBe(4n * TRX - f65);
    expect(transfers[0].marginBps).toBe(Number(((4n * TRX - f65) * 10_000n) / (4n * TRX)));
    expect(transfers[2].marginSun).toBeLessThan(0n);
    // packages: N × the floor of one USDT transfer's energy (usdtEnergyHolder) for the supply rental
    expect(packages.map((p) => [p.key, p.text, p.floorSun])).toEqual([
      ["10", "10 = 30", 10n * f65],
      ["50", "50 = 140", 50n * f65],
      ["100", "100 = 270", 100n * f65],
    ]);
    // the floor margin raises every floor
    const dearer = offerFloors(
      settings({
        pricing: { ...(defaultSettings.pricing as SettingsInput["pricing"]), floorMarginBps: 5_000 },
      }),
      market,
    );
    expect(dearer.transfers[0].floorSun).toBe((f65 * 3n + 1n) / 2n);
  });

  it("refuses an offer below its floor, naming the floor price, unless ticked", () => {
    const below = (tick?: boolean) =>
      settings({
        transfer: {
          ...(defaultSettings.transfer as SettingsInput["transfer"]),
          offers: [
            { amountSun: "4000000", energy: 65_000, duration: "1h" },
            { amountSun: "1000000", energy: 131_000, duration: "1d", ...(tick ? { belowFloor: true } : {}) },
          ],
        },
      });
    const floor = offerFloors(below(), market).transfers[1].floorSun;
    const e = refusal(() => checkOfferFloorsIn(below(), ["transfer"], market));
    expect(e.code).toBe("bad_request");
    const floorText = `${(Number(floor) / 1e6).toString()} TRX`;
    expect(e.message).toContain(`below the floor price of ${floorText}`);
    expect(e.message).toContain("1 TRX = 131,000 energy / 1d");
    expect(Object.keys(e.fields ?? {})).toEqual(["transferOffers"]);
    expect(e.details?.belowFloor).toEqual([
      { kind: "transfer", key: "1", price_sun: "1000000", floor_sun: floor.toString() },
    ]);
    // ticked: saved; not being saved (only other settings): not checked
    expect(() => checkOfferFloorsIn(below(true), ["transfer"], market)).not.toThrow();
    expect(() => checkOfferFloorsIn(below(), ["maintenance"], market)).not.toThrow();
    // exactly at the floor is not below it
    const at = settings({
      transfer: {
        ...(defaultSettings.transfer as SettingsInput["transfer"]),
        offers: [{ amountSun: floor.toString(), energy: 131_000, duration: "1d" }],
      },
    });
    expect(() => checkOfferFloorsIn(at, ["transfer"], market)).not.toThrow();
  });

  it("refuses a package below N transfers at the floor, unless ticked", () => {
    const pkgs = (offers: SettingsInput["packages"]["offers"]) =>
      settings({ packages: { ...(defaultSettings.packages as SettingsInput["packages"]), offers } });
    const f65 = offerFloor65k1h(settings());
    const cheap = pkgs([
      { transfers: 10, priceSun: "30000000" },
      { transfers: 100, priceSun: (100n * f65 - 1n).toString() },
    ]);
    const e = refusal(() => checkOfferFloorsIn(cheap, ["packages"], market));
    expect(e.message).toMatch(/^The package of 100 transfers at .* is below the floor price of /);
    expect(e.message).toContain("(100 × 65,000 energy for 1h)");
    expect(Object.keys(e.fields ?? {})).toEqual(["packageOffers"]);
    expect(() => checkOfferFloorsIn(cheap, ["transfer"], market)).not.toThrow();
    const ticked = pkgs([{ transfers: 100, priceSun: (100n * f65 - 1n).toString(), belowFloor: true }]);
    expect(() => checkOfferFloorsIn(ticked, ["packages"], market)).not.toThrow();
  });
});

function offerFloor65k1h(s: ReturnType<typeof settings>) {
  return orderFloor(s, { energy: 65_000n, durationSeconds: 3_600 }, market).floorSun;
}
