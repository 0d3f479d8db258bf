import { AppError } from "@/lib/errors";
import { formatInteger, formatTrx } from "@/lib/money";
import { durationSeconds, type Settings } from "@/lib/settings";
import { getFloorMarket } from "./market";
import { type Market, orderFloor } from "./smart";

/**
 * Prices the operator sets by hand — the pay-by-transfer offers (settings `transfer.offers`) and the
 * per-transfer packages (`packages.offers`) — against the pricing floor (`orderFloor`: the pool's
 * cost of an order plus the floor margin, the lowest price the platform sells energy at):
 *
 * - a transfer offer: the floor of its energy for its duration;
 * - a package of N transfers: N × the floor of one supply, one USDT transfer's energy
 *   (`usdtEnergyHolder`) for the supply rental (`packages.supplyDuration`). A supply is never smaller
 *   than one transfer's need of a holder address, so a package priced below this loses money on
 *   every transfer.
 *
 * The console refuses to save an offer below its floor unless the operator ticked "sell below the
 * floor" for it (`belowFloor`, stored with the offer), and shows every offer's margin over it.
 * See docs/pricing.md.
 */
export type OfferFloor = {
  kind: "transfer" | "package";
  /** What identifies the offer on the form: its amount in TRX (transfer) or its size (package). */
  key: string;
  /** The offer as written on the form ("4 = 65000 / 1h", "10 = 30"). */
  text: string;
  /** The energy and duration the floor is taken for (a package: one supply's). */
  energy: number;
  duration: string;
  priceSun: bigint;
  floorSun: bigint;
  /** price − floor (negative: below the floor). */
  marginSun: bigint;
  /** The margin in basis points of the price (negative below the floor). */
  marginBps: number;
  /** The price is below the floor. */
  below: boolean;
  /** The operator ticked "sell below the floor" for it. */
  allowed: boolean;
};

const trxText = (sun: bigint) => formatTrx(sun, { unit: false, grouping: false });

function row(
  o: Pick<OfferFloor, "kind" | "key" | "text" | "energy" | "duration" | "priceSun" | "floorSun" | "allowed">,
): OfferFloor {
  const { priceSun, floorSun, allowed } = o;
  const marginSun = priceSun - floorSun;
  return {
    ...o,
    priceSun,
    floorSun,
    marginSun,
    marginBps: Number((marginSun * 10_000n) / priceSun),
    below: priceSun < floorSun,
    allowed,
  };
}

/** Every transfer offer and package of `s` against the floor in `market` (pure). */
export function offerFloors(
  s: Settings,
  market: Market,
): { transfers: OfferFloor[]; packages: OfferFloor[] } {
  const transfers = s.transfer.offers.map((o) => {
    const { floorSun } = orderFloor(
      s,
      { energy: BigInt(o.energy), durationSeconds: durationSeconds(o.duration) },
      market,
    );
    const key = trxText(o.amountSun);
    return row({
      kind: "transfer",
      key,
      text: `${key} = ${o.energy} / ${o.duration}`,
      energy: o.energy,
      duration: o.duration,
      priceSun: o.amountSun,
      floorSun,
      allowed: !!o.belowFloor,
    });
  });
  const perTransfer = orderFloor(
    s,
    { energy: BigInt(s.usdtEnergyHolder), durationSeconds: durationSeconds(s.packages.supplyDuration) },
    market,
  ).floorSun;
  const packages = s.packages.offers.map((o) => {
    const key = String(o.transfers);
    return row({
      kind: "package",
      key,
      text: `${key} = ${trxText(o.priceSun)}`,
      energy: s.usdtEnergyHolder,
      duration: s.packages.supplyDuration,
      priceSun: o.priceSun,
      floorSun: perTransfer * BigInt(o.transfers),
      allowed: !!o.belowFloor,
    });
  });
  return { transfers, packages };
}

/** The sentence refusing one offer: it names the offer, its price and the floor price. */
export function belowFloorMessage(o: OfferFloor): string {
  if (o.kind === "transfer")
    return `The offer ${formatTrx(o.priceSun)} = ${formatInteger(o.energy)} energy / ${o.duration} is below the floor price of ${formatTrx(o.floorSun)} for that energy and duration. Raise its amount, or tick "sell below the floor" for it.`;
  return `The package of ${formatInteger(BigInt(o.key))} transfers at ${formatTrx(o.priceSun)} is below the floor price of ${formatTrx(o.floorSun)} (${o.key} × ${formatInteger(o.energy)} energy for ${o.duration}). Raise its price, or tick "sell below the floor" for it.`;
}

/**
 * Refuses settings about to be saved whose transfer offers (when `keys` has `transfer`) or packages
 * (`packages`) are below the floor without the operator's tick: `bad_request` naming each one and
 * its floor price (field `transferOffers` / `packageOffers`, `details.belowFloor`). The floor is
 * taken from the chain's figures now (`getFloorMarket`, which never fails: without the node it is the
 * bandwidth part alone) with the pricing settings being saved (their floor margin, APR and
 * headroom). Pure given the market: `checkOfferFloorsIn`.
 */
export async function checkOfferFloors(next: Settings, keys: readonly string[]): Promise<void> {
  if (!keys.includes("transfer") && !keys.includes("packages")) return;
  checkOfferFloorsIn(next, keys, await getFloorMarket(next));
}

export function checkOfferFloorsIn(next: Settings, keys: readonly string[], market: Market): void {
  const f = offerFloors(next, market);
  const bad = [
    ...(keys.includes("transfer") ? f.transfers : []),
    ...(keys.includes("packages") ? f.packages : []),
  ].filter((o) => o.below && !o.allowed);
  if (!bad.length) return;
  const fields: Record<string, string> = {};
  for (const o of bad) {
    const field = o.kind === "transfer" ? "transferOffers" : "packageOffers";
    const m = belowFloorMessage(o);
    fields[field] = fields[field] ? `${fields[field]} ${m}` : m;
  }
  throw new AppError("bad_request", bad.map((o) => belowFloorMessage(o)).join(" "), {
    fields,
    details: {
      belowFloor: bad.map((o) => ({
        kind: o.kind,
        key: o.key,
        price_sun: o.priceSun.toString(),
        floor_sun: o.floorSun.toString(),
      })),
    },
  });
}
