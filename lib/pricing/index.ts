import { AppError } from "@/lib/errors";
import { formatInteger } from "@/lib/format";
import { percentOf } from "@/lib/money";
import { checkOrderCapacity } from "@/lib/pool/capacity";
import { type DurationSetting, durationSeconds, getSettings, type Settings } from "@/lib/settings";

/**
 * Prices: energy × unit price for the duration (+ the flat order fee, and at least the minimum order
 * price), in exact sun, and what the
 * same energy would burn without renting (energy × burn price). A quote is what the user sees
 * before confirming; it is re-computed, never trusted, when the order is created.
 */
export type Quote = {
  energy: bigint;
  durationKey: string;
  durationSeconds: number;
  unitPriceSun: bigint;
  feeSun: bigint;
  priceSun: bigint;
  burnSun: bigint;
  savingSun: bigint;
  /** Whole percent saved versus burning (truncated); 0 when renting costs more. */
  savingPercent: number;
  burnPriceSun: bigint;
};

type QuoteInput = { energy: number | bigint | string; duration: string };

/** Parses an energy amount: a positive whole number (digits only when text; separators allowed). */
export function parseEnergy(input: number | bigint | string): bigint {
  let v: bigint;
  if (typeof input === "bigint") v = input;
  else if (typeof input === "number") {
    if (!Number.isSafeInteger(input)) throw energyError("Energy must be a whole number.");
    v = BigInt(input);
  } else {
    const s = input
      .normalize("NFKC")
      .trim()
      .replace(/^(\d{1,3})((?:[, _]\d{3})+)$/, (_m, a, b) => a + b.replace(/[, _]/g, ""));
    if (/^\d+(\.\d+)?k$/i.test(s)) {
      const [w, f = ""] = s.slice(0, -1).split(".");
      if (f.length > 3) throw energyError("Energy must be a whole number.");
      v = BigInt(w) * 1000n + BigInt((f + "000").slice(0, 3));
    } else if (/^\d{1,12}$/.test(s)) v = BigInt(s);
    else throw energyError("Energy must be a whole number.");
  }
  if (v <= 0n) throw energyError("Energy must be greater than zero.");
  return v;
}

const energyError = (m: string) => new AppError("energy_out_of_range", m, { fields: { energy: m } });

export function findDuration(settings: Settings, key: string): DurationSetting {
  const d = settings.durations.find((x) => x.key === key && x.enabled);
  if (!d) {
    const offered = settings.durations
      .filter((x) => x.enabled)
      .map((x) => x.key)
      .join(", ");
    const m = `Unknown duration. Choose one of: ${offered}.`;
    throw new AppError("unknown_duration", m, { fields: { duration: m } });
  }
  return d;
}

/** energy × unit price + the per-order fee, and at least the minimum order price. */
function orderPrice(settings: Settings, energy: bigint, unitPriceSun: bigint): bigint {
  const p = energy * unitPriceSun + settings.orderFeeSun;
  return p < settings.minOrderPriceSun ? settings.minOrderPriceSun : p;
}

/** A quote from given settings (pure: used by every surface and by tests). */
export function quoteWith(settings: Settings, input: QuoteInput): Quote {
  const energy = parseEnergy(input.energy);
  const d = findDuration(settings, input.duration);
  if (energy < BigInt(settings.energyMin) || energy > BigInt(settings.energyMax)) {
    const m = `Energy must be between ${formatInteger(settings.energyMin)} and ${formatInteger(settings.energyMax)}.`;
    throw new AppError("energy_out_of_range", m, {
      fields: { energy: m },
      details: { min: settings.energyMin, max: settings.energyMax },
    });
  }
  const priceSun = orderPrice(settings, energy, d.unitPriceSun);
  const burnSun = energy * settings.burnPriceSun;
  const savingSun = burnSun > priceSun ? burnSun - priceSun : 0n;
  return {
    energy,
    durationKey: d.key,
    durationSeconds: durationSeconds(d.key),
    unitPriceSun: d.unitPriceSun,
    feeSun: settings.orderFeeSun,
    priceSun,
    burnSun,
    savingSun,
    savingPercent: Number(percentOf(savingSun, burnSun)),
    burnPriceSun: settings.burnPriceSun,
  };
}

/** A quote from the live settings. */
export async function quote(input: QuoteInput): Promise<Quote> {
  return quoteWith(await getSettings(), input);
}

/**
 * A quote the pool can deliver now: `quoteWith`, then the pool's capacity (lib/pool/capacity), so
 * an amount the pool cannot cover is refused with the largest one it can (`no_capacity`,
 * `details.maxEnergy`). Surfaces that show a price before an order call this one.
 */
export async function quoteDeliverable(
  input: QuoteInput & { receiver?: string },
  settings?: Settings,
): Promise<Quote> {
  const s = settings ?? (await getSettings());
  const q = quoteWith(s, input);
  await checkOrderCapacity(q.energy, {
    receiver: input.receiver,
    durationSeconds: q.durationSeconds,
    energyMin: s.energyMin,
    energyMax: s.energyMax,
  });
  return q;
}

type PriceTable = {
  durations: { key: string; seconds: number; unitPriceSun: bigint }[];
  rows: { energy: bigint; burnSun: bigint; prices: { durationKey: string; priceSun: bigint }[] }[];
};

/** The landing page's table: presets × offered durations, with the burn for the same energy. */
export function priceTable(settings: Settings): PriceTable {
  const durations = settings.durations
    .filter((d) => d.enabled)
    .map((d) => ({ key: d.key, seconds: durationSeconds(d.key), unitPriceSun: d.unitPriceSun }));
  return {
    durations,
    rows: settings.presets.map((p) => {
      const energy = BigInt(p);
      return {
        energy,
        burnSun: energy * settings.burnPriceSun,
        prices: durations.map((d) => ({
          durationKey: d.key,
          priceSun: orderPrice(settings, energy, d.unitPriceSun),
        })),
      };
    }),
  };
}

/** JSON form of a quote: sun amounts as decimal strings. */
export function quoteToJson(q: Quote) {
  return {
    energy: Number(q.energy),
    duration: q.durationKey,
    duration_seconds: q.durationSeconds,
    unit_price_sun: q.unitPriceSun.toString(),
    fee_sun: q.feeSun.toString(),
    price_sun: q.priceSun.toString(),
    burn_price_sun: q.burnPriceSun.toString(),
    burn_sun: q.burnSun.toString(),
    saving_sun: q.savingSun.toString(),
    saving_percent: q.savingPercent,
  };
}
