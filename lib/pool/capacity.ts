import { sql } from "drizzle-orm";
import { type Executor, getDb, rowsOf } from "@/db";
import { AppError } from "@/lib/errors";
import { formatInteger } from "@/lib/money";
import { type EnergyWeights, SUN_PER_TRX } from "@/lib/tron/resources";
import { tron } from "./chain";

/**
 * What the pool can still take on: the energy of the largest order that could be planned now.
 * Quotes and order creation call `checkOrderCapacity`, so an order the pool cannot cover is refused
 * up front (with the largest amount that fits) instead of being accepted, then refunded.
 *
 * Free stake = for every enabled key wallet, its delegatable sun (getcandelegatedmaxsize at the last
 * refresh) minus what in-flight delegations already hold, in whole TRX (delegations are whole TRX,
 * at least 1). From that come the orders already paid but not yet planned (each needs
 * ceil(uncovered × TotalEnergyWeight / TotalEnergyLimit) TRX, as planning sizes it). With a
 * receiver, wallets that still hold an unreclaimed delegation to it are left out: the chain would
 * merge a second delegation into the first one's lock, so planning never uses them for it.
 */
export type Capacity = {
  /** Largest order, in energy, the pool can cover now. */
  maxEnergy: bigint;
  /** Free stake of the usable wallets, whole TRX in sun. */
  freeSun: bigint;
  /** Stake the paid, not yet planned orders will take, in sun. */
  pendingSun: bigint;
  weights: EnergyWeights;
};

export async function orderCapacity(opts: { receiver?: string; ex?: Executor } = {}): Promise<Capacity> {
  const weights = await tron().getEnergyWeights();
  const ex = opts.ex ?? (await getDb());
  // Always a text parameter ("" matches no delegation), so the statement has one plan for every
  // call: PostgreSQL then keeps a generic plan for it instead of planning each order again.
  const receiver = opts.receiver ?? "";
  const [row] = rowsOf<{ free_trx: unknown; pending_trx: unknown }>(
    await ex.execute(sql`
      with free as (
        select w.delegatable_sun - coalesce((select sum(d.sun) from delegations d
            where d.supplier_wallet_id = w.id
              and (d.status in ('planned', 'signed', 'broadcast')
                or (d.status = 'confirmed' and d.confirmed_at > coalesce(w.refreshed_at, 'epoch'::timestamptz)))), 0) as sun
        from supplier_wallets w
        where w.status = 'enabled' and w.mode = 'key'
          and not exists (select 1 from delegations d
            where d.supplier_wallet_id = w.id and d.receiver_address = ${receiver}::text
              and d.status in ('planned', 'signed', 'broadcast', 'confirmed', 'reclaiming'))
      ), paid as (
        -- not planned yet, so nothing delegated: the whole energy, grouped (orders_pending_idx)
        select energy, count(*) as n from orders where status = 'paid' group by energy
      ), delegating as (
        select o.energy - coalesce((select sum(d.energy) from delegations d
            where d.order_id = o.id and d.status <> 'failed'), 0) as energy
        from orders o where o.status = 'delegating'
      )
      select
        (select coalesce(sum(floor(sun / 1000000)), 0) from free where sun >= 1000000) as free_trx,
        (select coalesce(sum(n * greatest(1, ceil(energy::numeric * ${weights.totalEnergyWeight}::numeric
            / ${weights.totalEnergyLimit}::numeric))), 0) from paid)
        + (select coalesce(sum(greatest(1, ceil(energy::numeric * ${weights.totalEnergyWeight}::numeric
            / ${weights.totalEnergyLimit}::numeric))), 0) from delegating where energy > 0) as pending_trx`),
  );
  const whole = (v: unknown) => BigInt(String(v ?? 0).split(".")[0]);
  const freeSun = whole(row?.free_trx) * SUN_PER_TRX;
  const pendingSun = whole(row?.pending_trx) * SUN_PER_TRX;
  const availTrx = freeSun > pendingSun ? (freeSun - pendingSun) / SUN_PER_TRX : 0n;
  // Largest E with ceil(E × W / L) ≤ availTrx whole TRX (lib/tron/resources delegationSunForEnergy).
  const maxEnergy =
    weights.totalEnergyWeight > 0n ? (availTrx * weights.totalEnergyLimit) / weights.totalEnergyWeight : 0n;
  return { maxEnergy, freeSun, pendingSun, weights };
}

/**
 * Refuses `energy` the pool cannot cover now: AppError `no_capacity` with `details.maxEnergy` (the
 * largest order that fits, capped at `energyMax`; 0 when less than `energyMin` fits) and the message
 * on the `energy` field.
 */
export async function checkOrderCapacity(
  energy: bigint,
  opts: { receiver?: string; energyMin?: number; energyMax?: number } = {},
): Promise<Capacity> {
  const cap = await orderCapacity({ receiver: opts.receiver });
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
