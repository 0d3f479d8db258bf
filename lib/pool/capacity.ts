import { sql } from "drizzle-orm";
import { type Executor, getDb, rowsOf } from "@/db";
import { AppError } from "@/lib/errors";
import { formatInteger } from "@/lib/money";
import { getSettings } from "@/lib/settings";
import {
  delegationSunForEnergy,
  driftHeadroomBps,
  type EnergyWeights,
  SUN_PER_TRX,
} from "@/lib/tron/resources";
import { tron } from "@/lib/tron/client";
import { usableWalletSql } from "./permission";

/**
 * What the pool can still take on: the energy of the largest order that could be planned now.
 * Quotes and order creation call `checkOrderCapacity`, so an order the pool cannot cover is refused
 * up front (with the largest amount that fits) instead of being accepted, then refunded.
 *
 * Free stake = for every enabled usable wallet (key mode, or permission mode with its grant holding
 * and room in the owner's daily caps), its delegatable sun (getcandelegatedmaxsize at the last
 * refresh) minus what in-flight delegations already hold, in whole TRX (delegations are whole TRX,
 * at least 1). From that come the orders already paid but not yet planned, each sized exactly as
 * planning sizes it (lib/orders/fulfil: `delegationSunForEnergy` with the drift headroom for its
 * rental time). With a receiver, wallets still locked to it are left out, as planning leaves them
 * out (lib/pool walletsLockedToReceiver: the chain keeps one lock per owner and receiver).
 */
type Capacity = {
  /** Largest order, in energy, the pool can cover now (for the rental time asked, if given). */
  maxEnergy: bigint;
  /** Free stake of the usable wallets, whole TRX in sun. */
  freeSun: bigint;
  /** Stake the paid, not yet planned orders will take, in sun. */
  pendingSun: bigint;
  /** Energy stake of the enabled key wallets at their last refresh (own and delegated), in sun. */
  totalSun: bigint;
  weights: EnergyWeights;
};

type Pending = { e: number; d: number; n: number };

export async function orderCapacity(
  opts: { receiver?: string; durationSeconds?: number; ex?: Executor } = {},
): Promise<Capacity> {
  const [weights, settings, params] = await Promise.all([
    tron().getEnergyWeights(),
    getSettings(),
    tron().getChainParameters(),
  ]);
  const ex = opts.ex ?? (await getDb());
  // Always a text parameter ("" matches no delegation), so the statement has one plan for every
  // call: PostgreSQL then keeps a generic plan for it instead of planning each order again.
  const receiver = opts.receiver ?? "";
  const [row] = rowsOf<{ free_trx: unknown; pending: unknown; total_sun: unknown }>(
    await ex.execute(sql`
      with free as (
        select w.delegatable_sun - coalesce((select sum(d.sun) from delegations d
            where d.supplier_wallet_id = w.id
              and (d.status in ('planned', 'signed', 'broadcast')
                or (d.status = 'confirmed' and d.confirmed_at > coalesce(w.refreshed_at, 'epoch'::timestamptz)))), 0) as sun
        from supplier_wallets w
        where w.status = 'enabled' and ${usableWalletSql(Date.now(), params.getTransactionFee ?? 1000n)}
          and not exists (select 1 from delegations d
            where d.supplier_wallet_id = w.id and d.receiver_address = ${receiver}::text
              and (d.status in ('planned', 'signed', 'broadcast')
                or (d.status in ('confirmed', 'reclaiming') and (d.expires_at is null or d.expires_at >= now()))))
      ), pending as (
        -- paid: not planned yet, so nothing delegated (orders_pending_idx); delegating: what is
        -- not covered by its live delegations yet
        select energy as e, duration_seconds as d, count(*) as n
          from orders where status = 'paid' group by energy, duration_seconds
        union all
        select e, d, 1 from (
          select o.energy - coalesce((select sum(x.energy) from delegations x
              where x.order_id = o.id and x.status <> 'failed'), 0) as e, o.duration_seconds as d
          from orders o where o.status = 'delegating') u where e > 0
      )
      select
        (select coalesce(sum(floor(sun / 1000000)), 0) from free where sun >= 1000000) as free_trx,
        (select coalesce(json_agg(json_build_object('e', e, 'd', d, 'n', n)), '[]'::json) from pending) as pending,
        (select coalesce(sum(staked_energy_sun), 0) from supplier_wallets
          where status = 'enabled' and mode = 'key') as total_sun`),
  );
  const whole = (v: unknown) => BigInt(String(v ?? 0).split(".")[0]);
  const perDay = settings.driftHeadroomBpsPerDay;
  const size = (energy: bigint, seconds: number) =>
    delegationSunForEnergy(energy, weights, { headroomBps: driftHeadroomBps(seconds, perDay) });
  const raw = row?.pending;
  const pending = (typeof raw === "string" ? JSON.parse(raw) : (raw ?? [])) as Pending[];
  const freeSun = whole(row?.free_trx) * SUN_PER_TRX;
  let pendingSun = 0n;
  for (const p of pending) pendingSun += BigInt(p.n) * size(BigInt(p.e), Number(p.d));
  const avail = freeSun > pendingSun ? freeSun - pendingSun : 0n;
  return {
    maxEnergy: largestFitting(avail, (e) => size(e, opts.durationSeconds ?? 0)),
    freeSun,
    pendingSun,
    totalSun: whole(row?.total_sun),
    weights,
  };
}

/** The largest energy whose delegation (`sizeOf`, increasing in energy) fits in `availSun`. */
function largestFitting(availSun: bigint, sizeOf: (energy: bigint) => bigint): bigint {
  if (availSun < SUN_PER_TRX) return 0n;
  // sizeOf(e) ≥ e × W / L TRX, so the answer is below the bound where that alone exceeds availSun.
  let lo = 0n; // fits (or nothing)
  let hi = 1n;
  while (sizeOf(hi) <= availSun) {
    lo = hi;
    hi *= 2n;
  }
  while (hi - lo > 1n) {
    const mid = (lo + hi) / 2n;
    if (sizeOf(mid) <= availSun) lo = mid;
    else hi = mid;
  }
  return lo;
}

/**
 * Refuses `energy` the pool cannot cover now: AppError `no_capacity` with `details.maxEnergy` (the
 * largest order that fits, capped at `energyMax`; 0 when less than `energyMin` fits) and the message
 * on the `energy` field.
 */
export async function checkOrderCapacity(
  energy: bigint,
  opts: { receiver?: string; durationSeconds?: number; energyMin?: number; energyMax?: number } = {},
): Promise<Capacity> {
  const cap = await orderCapacity({ receiver: opts.receiver, durationSeconds: opts.durationSeconds });
  if (energy <= cap.maxEnergy) return cap;
  let offer = cap.maxEnergy;
  if (opts.energyMax !== undefined && offer > BigInt(opts.energyMax)) offer = BigInt(opts.energyMax);
  if (opts.energyMin !== undefined && offer < BigInt(opts.energyMin)) offer = 0n;
  const m =
    offer > 0n
      ? `The pool can deliver at most ${formatInteger(offer)} energy right now. Order that much, or try again later.`
      : "The pool has no energy to deliver right now. Please try again later.";
  throw new AppError("no_capacity", m, {
    fields: { energy: m },
    details: { maxEnergy: offer.toString(), requestedEnergy: energy.toString() },
  });
}
