import type { PricingSettings } from "@/lib/settings/schema";
import { delegationSunForEnergy, driftHeadroomBps, type EnergyWeights } from "@/lib/tron/resources";

/**
 * Smart pricing, pure: the price of an order from the operator's settings and the market (pool
 * utilisation, the chain's prices). Integer sun throughout; every step that divides rounds UP, so
 * rounding never lowers a price, and the result is never below the floor. See docs/pricing.md.
 *
 *   base       = energy × unit price of the duration
 *   curved     = ceil(base × multiplier(utilisation) / 10,000)
 *   discounted = ceil(curved × (100 − volume %) × (100 − reseller %) / 10,000)
 *   list       = max(discounted + order fee, minimum order price)
 *   floor      = ceil(cost × (10,000 + floor margin bp) / 10,000)
 *   price      = max(list, floor)
 */

/** What the chain and the pool say now (lib/pricing/market reads it; tests build it). */
export type Market = {
  /** Share of the pool's energy stake delegated or spoken for, in basis points (0–10,000). */
  utilisationBps: number;
  /** Sun burned per energy without energy (getEnergyFee, or the setting when not read live). */
  burnPriceSun: bigint;
  /** Whether `burnPriceSun` was read from the chain. */
  burnPriceLive: boolean;
  /** TotalEnergyWeight / TotalEnergyLimit now (null: unknown, the stake part of the floor is 0). */
  weights: EnergyWeights | null;
  /** Sun burned per byte of bandwidth (getTransactionFee). */
  sunPerByte: bigint;
  /** Bytes of one delegate / undelegate. */
  txBytes: bigint;
  /** Seconds of stake held after the reclaim while the moved energy recovers (average). */
  afterReclaimSeconds: bigint;
};

const ceilDiv = (a: bigint, b: bigint) => (a + b - 1n) / b;
const BPS = 10_000n;
const YEAR_SECONDS = 31_536_000n;

/**
 * The curve's multiplier at `utilisationBps`, in basis points: linear between the points, flat
 * before the first and after the last. Rounded up.
 */
export function multiplierAt(curve: PricingSettings["utilisationCurve"], utilisationBps: number): number {
  const u = Math.max(0, Math.min(10_000, Math.trunc(utilisationBps)));
  const pts = curve.map((p) => ({ u: p.utilisationPercent * 100, m: p.multiplierBps }));
  if (pts.length === 0) return 10_000;
  if (u <= pts[0].u) return pts[0].m;
  for (let i = 1; i < pts.length; i++) {
    const a = pts[i - 1];
    const b = pts[i];
    if (u <= b.u) {
      // m = a.m + (b.m − a.m) × (u − a.u) / (b.u − a.u), rounded up (all integers)
      const num = (b.m - a.m) * (u - a.u);
      const den = b.u - a.u;
      return a.m + Math.ceil(num / den);
    }
  }
  return pts[pts.length - 1].m;
}

/** The volume discount for `energy`: the largest threshold reached, in percent (0 when none). */
export function volumeDiscountPercent(discounts: PricingSettings["volumeDiscounts"], energy: bigint): number {
  let pct = 0;
  for (const d of discounts) if (energy >= BigInt(d.energy) && d.percent > pct) pct = d.percent;
  return pct;
}

/**
 * The pool's real cost of one order, in sun:
 * - bandwidth: the delegate and the undelegate, each `txBytes` burned at `sunPerByte` (the pool's
 *   free bandwidth is not counted on: 600 bytes a day cover only two transactions per wallet);
 * - stake: the TRX delegated for the energy (sized as planning sizes it, drift headroom included)
 *   held for the rental time plus `afterReclaimSeconds` (the customer's used energy moves back to
 *   the wallet at reclaim and recovers over 24 h, on average half of it), at the finance APR.
 */
export function orderCostSun(input: {
  energy: bigint;
  durationSeconds: number;
  market: Market;
  aprBps: number;
  headroomBpsPerDay: number;
}): { bandwidthSun: bigint; stakeSun: bigint; delegatedSun: bigint; costSun: bigint } {
  const m = input.market;
  const bandwidthSun = 2n * m.txBytes * m.sunPerByte;
  let delegatedSun = 0n;
  let stakeSun = 0n;
  if (m.weights) {
    delegatedSun = delegationSunForEnergy(input.energy, m.weights, {
      headroomBps: driftHeadroomBps(input.durationSeconds, input.headroomBpsPerDay),
    });
    const sunSeconds = delegatedSun * (BigInt(input.durationSeconds) + m.afterReclaimSeconds);
    stakeSun = ceilDiv(sunSeconds * BigInt(input.aprBps), BPS * YEAR_SECONDS);
  }
  return { bandwidthSun, stakeSun, delegatedSun, costSun: bandwidthSun + stakeSun };
}

/**
 * The floor of an order of `energy` for `durationSeconds`: the pool's cost of it (`orderCostSun`)
 * plus the floor margin, rounded up. No order is priced below it, whatever the curve, discounts,
 * fee or minimum say; offers set by hand (pay by transfer, packages) are checked against it.
 */
export function orderFloor(
  s: PriceSettings,
  input: { energy: bigint; durationSeconds: number },
  market: Market,
): { costSun: bigint; floorSun: bigint } {
  const { costSun } = orderCostSun({
    energy: input.energy,
    durationSeconds: input.durationSeconds,
    market,
    aprBps: s.delegatedAprBps,
    headroomBpsPerDay: s.driftHeadroomBpsPerDay,
  });
  return { costSun, floorSun: ceilDiv(costSun * (BPS + BigInt(s.pricing.floorMarginBps)), BPS) };
}

export type PriceBreakdown = {
  /** energy × unit price. */
  basePriceSun: bigint;
  utilisationBps: number;
  multiplierBps: number;
  /** After the curve. */
  curvedSun: bigint;
  volumeDiscountPercent: number;
  resellerDiscountPercent: number;
  /** What the discounts took off the curved price. */
  discountSun: bigint;
  feeSun: bigint;
  /** After the fee and the minimum order price. */
  listPriceSun: bigint;
  /** The pool's cost of the order. */
  costSun: bigint;
  /** Cost plus the floor margin: no price is below it. */
  floorSun: bigint;
  priceSun: bigint;
  /** The floor raised the price. */
  atFloor: boolean;
};

export type PriceSettings = {
  pricing: PricingSettings;
  orderFeeSun: bigint;
  minOrderPriceSun: bigint;
  delegatedAprBps: number;
  driftHeadroomBpsPerDay: number;
};

/** The price of an order (see the module comment for the formula and its rounding). */
export function smartPrice(
  s: PriceSettings,
  input: { energy: bigint; unitPriceSun: bigint; durationSeconds: number; reseller?: boolean },
  market: Market,
): PriceBreakdown {
  const basePriceSun = input.energy * input.unitPriceSun;
  const multiplierBps = multiplierAt(s.pricing.utilisationCurve, market.utilisationBps);
  const curvedSun = ceilDiv(basePriceSun * BigInt(multiplierBps), BPS);
  const vol = volumeDiscountPercent(s.pricing.volumeDiscounts, input.energy);
  const res = input.reseller ? s.pricing.resellerDiscountPercent : 0;
  const discounted = ceilDiv(curvedSun * BigInt(100 - vol) * BigInt(100 - res), BPS);
  const discountSun = curvedSun - discounted;
  let listPriceSun = discounted + s.orderFeeSun;
  if (listPriceSun < s.minOrderPriceSun) listPriceSun = s.minOrderPriceSun;
  const { costSun, floorSun } = orderFloor(s, input, market);
  const atFloor = floorSun > listPriceSun;
  return {
    basePriceSun,
    utilisationBps: Math.max(0, Math.min(10_000, Math.trunc(market.utilisationBps))),
    multiplierBps,
    curvedSun,
    volumeDiscountPercent: vol,
    resellerDiscountPercent: res,
    discountSun,
    feeSun: s.orderFeeSun,
    listPriceSun,
    costSun,
    floorSun,
    priceSun: atFloor ? floorSun : listPriceSun,
    atFloor,
  };
}
