import { sql } from "drizzle-orm";
import { getDb, rowsOf } from "@/db";
import { AppError } from "@/lib/errors";
import type { Settings } from "@/lib/settings";
import { type Market, smartPrice } from "./smart";

/**
 * "With these settings, that day's orders would have earned…": replays delivered orders through
 * `smartPrice` with other pricing settings. Pure (`simulateOrders`); `deliveredOrdersOn` reads the
 * day. Each order keeps its energy, duration and channel (API orders get the reseller discount);
 * its utilisation is the one recorded when it was paid (the `paid` event), else the market's
 * current one. The chain figures (weights, bandwidth price) are today's. An order refunded in part
 * counts its delivered share, of the charged and of the simulated price alike.
 */
export type SimOrder = {
  id: number;
  energy: bigint;
  durationKey: string;
  durationSeconds: number;
  /** The unit price it was charged at (used when its duration is no longer in the settings). */
  unitPriceSun: bigint;
  priceSun: bigint;
  refundedSun: bigint;
  source: string;
  /** Utilisation when it was paid, or null when not recorded. */
  utilisationBps: number | null;
};

export type SimRow = {
  id: number;
  energy: bigint;
  durationKey: string;
  utilisationBps: number;
  utilisationKnown: boolean;
  oldRevenueSun: bigint;
  newRevenueSun: bigint;
  floorSun: bigint;
  atFloor: boolean;
};

export type SimResult = {
  rows: SimRow[];
  totals: {
    orders: number;
    oldRevenueSun: bigint;
    newRevenueSun: bigint;
    floorSun: bigint;
    /** Simulated revenue − the floors. */
    marginSun: bigint;
    atFloor: number;
  };
};

/** share × part / whole, truncated (whole > 0). */
const share = (v: bigint, delivered: bigint, whole: bigint) => (whole > 0n ? (v * delivered) / whole : v);

export function simulateOrders(orders: SimOrder[], settings: Settings, market: Market): SimResult {
  const unitOf = new Map(settings.durations.map((d) => [d.key, d.unitPriceSun]));
  const rows = orders.map((o): SimRow => {
    const utilisationBps = o.utilisationBps ?? market.utilisationBps;
    const p = smartPrice(
      settings,
      {
        energy: o.energy,
        unitPriceSun: unitOf.get(o.durationKey) ?? o.unitPriceSun,
        durationSeconds: o.durationSeconds,
        reseller: o.source === "api",
      },
      { ...market, utilisationBps },
    );
    const delivered = o.priceSun - o.refundedSun;
    return {
      id: o.id,
      energy: o.energy,
      durationKey: o.durationKey,
      utilisationBps,
      utilisationKnown: o.utilisationBps !== null,
      oldRevenueSun: delivered,
      newRevenueSun: share(p.priceSun, delivered, o.priceSun),
      floorSun: share(p.floorSun, delivered, o.priceSun),
      atFloor: p.atFloor,
    };
  });
  const sum = (f: (r: SimRow) => bigint) => rows.reduce((a, r) => a + f(r), 0n);
  const newRevenueSun = sum((r) => r.newRevenueSun);
  const floorSun = sum((r) => r.floorSun);
  return {
    rows,
    totals: {
      orders: rows.length,
      oldRevenueSun: sum((r) => r.oldRevenueSun),
      newRevenueSun,
      floorSun,
      marginSun: newRevenueSun - floorSun,
      atFloor: rows.filter((r) => r.atFloor).length,
    },
  };
}

const dayRe = /^\d{4}-\d{2}-\d{2}$/;

/** Yesterday (UTC) as YYYY-MM-DD. */
export function yesterdayUtc(now = new Date()): string {
  return new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);
}

/** The orders delivered (became active) on a UTC day, oldest first, with their recorded utilisation. */
export async function deliveredOrdersOn(day: string): Promise<SimOrder[]> {
  const from = new Date(`${day}T00:00:00.000Z`);
  if (!dayRe.test(day) || Number.isNaN(from.getTime()) || from.toISOString().slice(0, 10) !== day) {
    const m = "Choose a day as YYYY-MM-DD.";
    throw new AppError("bad_request", m, { fields: { day: m } });
  }
  const to = new Date(from.getTime() + 86_400_000);
  const db = await getDb();
  const rows = rowsOf<Record<string, unknown>>(
    await db.execute(sql`
      select o.id, o.energy, o.duration_key, o.duration_seconds, o.unit_price_sun, o.price_sun,
        o.refunded_sun, o.source,
        (select (e.details->>'utilisationBps')::int from order_events e
          where e.order_id = o.id and e.type = 'paid' and e.details ? 'utilisationBps'
          order by e.id limit 1) as utilisation_bps
      from orders o
      where o.delivered_at >= ${from.toISOString()}::timestamptz and o.delivered_at < ${to.toISOString()}::timestamptz
      order by o.delivered_at, o.id`),
  );
  const big = (v: unknown) => BigInt(String(v));
  return rows.map((r) => ({
    id: Number(r.id),
    energy: big(r.energy),
    durationKey: String(r.duration_key),
    durationSeconds: Number(r.duration_seconds),
    unitPriceSun: big(r.unit_price_sun),
    priceSun: big(r.price_sun),
    refundedSun: big(r.refunded_sun),
    source: String(r.source),
    utilisationBps: r.utilisation_bps == null ? null : Number(r.utilisation_bps),
  }));
}
