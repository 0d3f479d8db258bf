import { AppError } from "@/lib/errors";
import { formatInteger } from "@/lib/format";
import { percentOf } from "@/lib/money";
import { checkOrderCapacity } from "@/lib/pool/capacity";
import { type DurationSetting, durationSeconds, getSettings, type Settings } from "@/lib/settings";
import { getMarket } from "./market";
import { type Market, smartPrice } from "./smart";
import { readQuoteToken, signQuote } from "./token";

export { clearMarketCache, getBurnPrice, getFloorMarket, getMarket } from "./market";
export type { Market, PriceBreakdown } from "./smart";
export { multiplierAt, orderCostSun, smartPrice, volumeDiscountPercent } from "./smart";

/**
 * Prices: energy × unit price for the duration, by the pool's utilisation curve, less the volume and
 * reseller discounts, plus the flat order fee, at least the minimum order price and never below the
 * pool's cost of the order (lib/pricing/smart, docs/pricing.md), in exact sun; and what the same
 * energy would burn without renting (energy × the chain's burn price). A quote the user sees before
 * confirming carries a signed token (id, price, expiry): an order made with a valid one is charged
 * exactly that price; without one the price is computed again when the order is created.
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
  /** The burn price was read from the chain now (getEnergyFee), not taken from the settings. */
  burnPriceLive: boolean;
  /** energy × unit price, before the curve, the discounts and the fee. */
  basePriceSun: bigint;
  utilisationBps: number;
  multiplierBps: number;
  volumeDiscountPercent: number;
  resellerDiscountPercent: number;
  /** What the discounts took off. */
  discountSun: bigint;
  /** The lowest price this order may have (the pool's cost plus the floor margin). */
  floorSun: bigint;
  /** The held quote: its id, its signed token (what a confirmation carries) and its expiry. */
  quoteId?: string;
  token?: string;
  expiresAt?: Date;
};

type QuoteInput = {
  energy: number | bigint | string;
  duration: string;
  /** An order through the reseller API (the reseller discount applies). */
  reseller?: boolean;
};

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

/**
 * The market the settings alone describe: an idle pool, the burn price setting, no chain figures
 * (so no cost floor). For checks that need no live price (validating a draft) and for tests.
 */
export function settingsMarket(settings: Settings): Market {
  return {
    utilisationBps: 0,
    burnPriceSun: settings.burnPriceSun,
    burnPriceLive: false,
    weights: null,
    sunPerByte: 0n,
    txBytes: 0n,
    afterReclaimSeconds: 0n,
  };
}

/**
 * A quote from given settings and market (pure: used by every surface and by tests). Without a
 * market, the settings' own (`settingsMarket`): live surfaces pass `await getMarket(settings)`.
 */
export function quoteWith(settings: Settings, input: QuoteInput, market?: Market): Quote {
  const energy = parseEnergy(input.energy);
  const d = findDuration(settings, input.duration);
  if (energy < BigInt(settings.energyMin) || energy > BigInt(settings.energyMax)) {
    const m = `Energy must be between ${formatInteger(settings.energyMin)} and ${formatInteger(settings.energyMax)}.`;
    throw new AppError("energy_out_of_range", m, {
      fields: { energy: m },
      details: { min: settings.energyMin, max: settings.energyMax },
    });
  }
  const m = market ?? settingsMarket(settings);
  const seconds = durationSeconds(d.key);
  const p = smartPrice(
    settings,
    { energy, unitPriceSun: d.unitPriceSun, durationSeconds: seconds, reseller: input.reseller },
    m,
  );
  const priceSun = p.priceSun;
  const burnSun = energy * m.burnPriceSun;
  const savingSun = burnSun > priceSun ? burnSun - priceSun : 0n;
  return {
    energy,
    durationKey: d.key,
    durationSeconds: seconds,
    unitPriceSun: d.unitPriceSun,
    feeSun: settings.orderFeeSun,
    priceSun,
    burnSun,
    savingSun,
    savingPercent: Number(percentOf(savingSun, burnSun)),
    burnPriceSun: m.burnPriceSun,
    burnPriceLive: m.burnPriceLive,
    basePriceSun: p.basePriceSun,
    utilisationBps: p.utilisationBps,
    multiplierBps: p.multiplierBps,
    volumeDiscountPercent: p.volumeDiscountPercent,
    resellerDiscountPercent: p.resellerDiscountPercent,
    discountSun: p.discountSun,
    floorSun: p.floorSun,
  };
}

/** A quote from the live settings and market. */
export async function quote(input: QuoteInput): Promise<Quote> {
  const s = await getSettings();
  return quoteWith(s, input, await getMarket(s));
}

/**
 * Holds a quote: signs its price for `quoteTtlSeconds` (settings) for the user (or, with no user,
 * for anyone on its channel: the public API price).
 */
export function holdQuote(
  q: Quote,
  opts: { userId?: number | null; reseller?: boolean; ttlSeconds: number },
) {
  const expiresAt = new Date(Date.now() + opts.ttlSeconds * 1000);
  const { id, token } = signQuote({
    userId: opts.userId ?? null,
    energy: q.energy,
    duration: q.durationKey,
    reseller: opts.reseller ?? false,
    priceSun: q.priceSun,
    expiresAt,
  });
  return { ...q, quoteId: id, token, expiresAt };
}

/**
 * The price a confirmed quote holds for this order: the token must be ours and unaltered, not
 * expired, and for this user (when it names one), this energy, duration and channel. Otherwise
 * `quote_expired` / `quote_invalid`, with the fresh quote (held for the user) in `details.quote`,
 * before anything is charged.
 */
export function redeemQuote(
  token: string,
  order: { userId: number; reseller: boolean; fresh: Quote; ttlSeconds: number },
): { priceSun: bigint; quoteId: string } {
  const held = readQuoteToken(token);
  const fresh = () =>
    quoteToJson(
      holdQuote(order.fresh, {
        userId: order.userId,
        reseller: order.reseller,
        ttlSeconds: order.ttlSeconds,
      }),
    );
  if (!held) {
    const m = "This quote is not valid. Here is a fresh quote: confirm it to order.";
    throw new AppError("quote_invalid", m, {
      fields: { quote_id: m },
      details: { reason: "tampered", quote: fresh() },
    });
  }
  const matches =
    (held.userId === null || held.userId === order.userId) &&
    held.energy === order.fresh.energy &&
    held.duration === order.fresh.durationKey &&
    held.reseller === order.reseller;
  if (!matches) {
    const m = "This quote was made for another order. Here is a fresh quote: confirm it to order.";
    throw new AppError("quote_invalid", m, {
      fields: { quote_id: m },
      details: { reason: "mismatch", quote: fresh() },
    });
  }
  if (held.expiresAt.getTime() <= Date.now()) {
    const m = "This quote has expired. Here is a fresh quote: confirm it to order.";
    throw new AppError("quote_expired", m, {
      fields: { quote_id: m },
      details: { reason: "expired", expiredAt: held.expiresAt.toISOString(), quote: fresh() },
    });
  }
  return { priceSun: held.priceSun, quoteId: held.id };
}

/**
 * A quote the pool can deliver now: `quoteWith`, then the pool's capacity for an order at the quoted
 * price (lib/pool/capacity: suppliers whose minimum it misses do not count), so an amount the pool
 * cannot cover is refused with the largest one it can (`no_capacity`, `details.maxEnergy`).
 * Surfaces that show a price before an order call this one.
 */
export async function quoteDeliverable(
  input: QuoteInput & { receiver?: string; userId?: number | null },
  settings?: Settings,
): Promise<Quote> {
  const s = settings ?? (await getSettings());
  quoteWith(s, input); // bad input is refused before the market is read
  const q = quoteWith(s, input, await getMarket(s));
  await checkOrderCapacity(
    { energy: q.energy, priceSun: q.priceSun, durationSeconds: q.durationSeconds },
    { receiver: input.receiver, energyMin: s.energyMin, energyMax: s.energyMax },
  );
  return holdQuote(q, { userId: input.userId, reseller: input.reseller, ttlSeconds: s.quoteTtlSeconds });
}

type PriceTable = {
  durations: { key: string; seconds: number; unitPriceSun: bigint }[];
  rows: { energy: bigint; burnSun: bigint; prices: { durationKey: string; priceSun: bigint }[] }[];
};

/**
 * The landing page's table: presets × offered durations, with the burn for the same energy, at the
 * market given (default: the settings' own).
 */
export function priceTable(settings: Settings, market?: Market): PriceTable {
  const m = market ?? settingsMarket(settings);
  const durations = settings.durations
    .filter((d) => d.enabled)
    .map((d) => ({ key: d.key, seconds: durationSeconds(d.key), unitPriceSun: d.unitPriceSun }));
  return {
    durations,
    rows: settings.presets.map((p) => {
      const energy = BigInt(p);
      return {
        energy,
        burnSun: energy * m.burnPriceSun,
        prices: durations.map((d) => ({
          durationKey: d.key,
          priceSun: smartPrice(
            settings,
            { energy, unitPriceSun: d.unitPriceSun, durationSeconds: d.seconds },
            m,
          ).priceSun,
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
    burn_price_live: q.burnPriceLive,
    base_price_sun: q.basePriceSun.toString(),
    discount_sun: q.discountSun.toString(),
    volume_discount_percent: q.volumeDiscountPercent,
    reseller_discount_percent: q.resellerDiscountPercent,
    ...(q.token && q.expiresAt ? { quote_id: q.token, expires_at: q.expiresAt.toISOString() } : {}),
  };
}
