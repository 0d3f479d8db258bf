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
import { capRoomSun, supplierOutEnergySql, supplierServes } from "./select";

/**
 * What the pool can still take on: the energy of the largest order that could be planned now.
 * Quotes, order creation and pay-by-transfer call `checkOrderCapacity` with the order's terms, so an
 * order the pool cannot cover is refused up front (with the largest amount that fits) instead of
 * being accepted, then refunded.
 *
 * Free stake = for every enabled usable wallet (key mode, or permission mode with its grant holding
 * and room in the owner's daily caps), its delegatable sun (getcandelegatedmaxsize at the last
 * refresh) minus what in-flight delegations already hold, in whole TRX (delegations are whole TRX,
 * at least 1). From that come the orders already paid but not yet planned, each sized exactly as
 * planning sizes it (lib/orders/fulfil: `delegationSunForEnergy` with the drift headroom for its
 * rental time). With a receiver, wallets still locked to it are left out, as planning leaves them
 * out (lib/pool walletsLockedToReceiver: the chain keeps one lock per owner and receiver).
 *
 * Third-party suppliers' wallets count as planning would use them (lib/pool/select candidateTiers):
 * with the order's terms, only while their supplier is available and the order's price meets their
 * minimum (`supplierServes`; a price is a rate per energy, so the same for every amount asked about);
 * a capped supplier adds at most their largest wallet's free stake, cut to the stake for the cap's
 * energy left (`capRoomSun`, at the rate planning sizes the order with). Without terms (the market's
 * utilisation) a supplier's minimum cannot be checked: every available supplier counts.
 */
type Capacity = {
  /** Largest order, in energy, the pool can cover now (for the rental time asked, if given). */
  maxEnergy: bigint;
  /** Free stake of the wallets that count, whole TRX in sun (a capped supplier's cut to the cap). */
  freeSun: bigint;
  /** Stake the paid, not yet planned orders will take, in sun. */
  pendingSun: bigint;
  /** Energy stake of the enabled key wallets at their last refresh (own and delegated), in sun. */
  totalSun: bigint;
  weights: EnergyWeights;
};

/** What an order offers a supplier: its price for its energy over its rental time. */
export type CapacityTerms = { energy: bigint; priceSun: bigint; durationSeconds: number };

type Pending = { e: number; d: number; n: number };

type SupplierRoom = {
  available: boolean;
  minPrice: bigint | null;
  energyCap: bigint | null;
  /** Energy of the supplier's delegations planned, in flight or out (what the cap counts). */
  outEnergy: bigint;
  /** Free stake of each usable wallet of theirs with at least 1 TRX free, whole TRX in sun. */
  walletSun: bigint[];
};

/** What the pool holds now, read in one statement (the chain's weights and settings are cached). */
export type PoolRoom = {
  /** Free stake of the operator's own usable wallets, whole TRX in sun. */
  ownSun: bigint;
  suppliers: SupplierRoom[];
  pending: Pending[];
  totalSun: bigint;
  weights: EnergyWeights;
  driftHeadroomBpsPerDay: number;
};

type JsonSupplier = {
  trx: string[];
  min: string | null;
  available: boolean;
  cap: string | null;
  out: string;
};

const whole = (v: unknown) => BigInt(String(v ?? 0).split(".")[0]);
const json = <T>(raw: unknown, empty: T): T =>
  (typeof raw === "string" ? JSON.parse(raw) : (raw ?? empty)) as T;

/**
 * Reads what the pool holds now in one statement: the operator's own wallets' free stake, each
 * supplier's usable wallets with their terms and the energy their cap counts, the paid orders not
 * yet planned, and the key wallets' stake. With `receiver`, wallets still locked to it are left out.
 */
export async function readPoolRoom(opts: { receiver?: string; ex?: Executor } = {}): Promise<PoolRoom> {
  const [weights, settings, params] = await Promise.all([
    tron().getEnergyWeights(),
    getSettings(),
    tron().getChainParameters(),
  ]);
  const ex = opts.ex ?? (await getDb());
  // Always a text parameter ("" matches no delegation), so the statement has one plan for every
  // call: PostgreSQL then keeps a generic plan for it instead of planning each order again.
  const receiver = opts.receiver ?? "";
  const [row] = rowsOf<{ free_trx: unknown; suppliers: unknown; pending: unknown; total_sun: unknown }>(
    await ex.execute(sql`
      with free as (
        select w.supplier_user_id as u, w.delegatable_sun - coalesce((select sum(d.sun) from delegations d
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
        (select coalesce(sum(floor(sun / 1000000)), 0) from free where sun >= 1000000 and u is null) as free_trx,
        (select coalesce(json_agg(json_build_object('trx', s.trx,
            'min', p.min_price_sun_per_energy_day::text, 'available', coalesce(p.available, false),
            'cap', p.energy_cap::text, 'out', ${supplierOutEnergySql(sql`s.u`)}::text)), '[]'::json)
          from (select u, json_agg(floor(sun / 1000000)::text) as trx from free
            where sun >= 1000000 and u is not null group by u) s
          left join supplier_profiles p on p.user_id = s.u) as suppliers,
        (select coalesce(json_agg(json_build_object('e', e, 'd', d, 'n', n)), '[]'::json) from pending) as pending,
        (select coalesce(sum(staked_energy_sun), 0) from supplier_wallets
          where status = 'enabled' and mode = 'key') as total_sun`),
  );
  return {
    ownSun: whole(row?.free_trx) * SUN_PER_TRX,
    suppliers: json<JsonSupplier[]>(row?.suppliers, []).map((x) => ({
      available: x.available === true,
      minPrice: x.min == null ? null : BigInt(x.min),
      energyCap: x.cap == null ? null : BigInt(x.cap),
      outEnergy: whole(x.out),
      walletSun: x.trx.map((t) => whole(t) * SUN_PER_TRX),
    })),
    pending: json<Pending[]>(row?.pending, []),
    totalSun: whole(row?.total_sun),
    weights,
    driftHeadroomBpsPerDay: settings.driftHeadroomBpsPerDay,
  };
}

/**
 * The capacity `room` leaves for an order on `terms` (suppliers counted as planning would use them),
 * or, without terms, for the rental time `durationSeconds` (every available supplier counted).
 */
export function capacityOf(
  room: PoolRoom,
  opts: { terms?: CapacityTerms; durationSeconds?: number } = {},
): Capacity {
  const { weights } = room;
  const { terms } = opts;
  const seconds = terms?.durationSeconds ?? opts.durationSeconds ?? 0;
  const size = (energy: bigint, s: number) =>
    delegationSunForEnergy(energy, weights, {
      headroomBps: driftHeadroomBps(s, room.driftHeadroomBpsPerDay),
    });
  let pendingSun = 0n;
  for (const p of room.pending) pendingSun += BigInt(p.n) * size(BigInt(p.e), Number(p.d));
  // Stake that counts whatever the amount, and the capped suppliers (their largest wallet each).
  let fixedSun = room.ownSun;
  const capped: { bestSun: bigint; leftEnergy: bigint }[] = [];
  for (const sp of room.suppliers) {
    if (terms ? !supplierServes(sp, terms) : !sp.available) continue;
    if (sp.energyCap === null) {
      for (const w of sp.walletSun) fixedSun += w;
      continue;
    }
    const leftEnergy = sp.energyCap - sp.outEnergy;
    if (leftEnergy <= 0n || sp.walletSun.length === 0) continue;
    const bestSun = sp.walletSun.reduce((a, b) => (b > a ? b : a));
    capped.push({ bestSun, leftEnergy });
  }
  // A capped supplier's room for an order of `energy`, needing `needSun`, in whole TRX.
  const cappedSun = (needSun: bigint, energy: bigint) => {
    let sun = 0n;
    for (const c of capped) {
      const cut = (capRoomSun(c.leftEnergy, needSun, energy) / SUN_PER_TRX) * SUN_PER_TRX;
      sun += cut < c.bestSun ? cut : c.bestSun;
    }
    return sun;
  };
  const maxEnergy = largestFitting((e) => {
    const need = size(e, seconds);
    return need + pendingSun <= fixedSun + cappedSun(need, e);
  });
  let freeSun = fixedSun;
  for (const c of capped) {
    const cut = size(c.leftEnergy, seconds);
    freeSun += cut < c.bestSun ? cut : c.bestSun;
  }
  return { maxEnergy, freeSun, pendingSun, totalSun: room.totalSun, weights };
}

export async function orderCapacity(
  opts: { receiver?: string; durationSeconds?: number; terms?: CapacityTerms; ex?: Executor } = {},
): Promise<Capacity> {
  return capacityOf(await readPoolRoom(opts), opts);
}

/** The largest energy that `fits` (true up to some amount, false beyond it); 0 when none does. */
function largestFitting(fits: (energy: bigint) => boolean): bigint {
  if (!fits(1n)) return 0n;
  // Delegations grow with the energy and the pool is finite: doubling finds a bound that does not fit.
  let lo = 1n; // fits
  let hi = 2n;
  while (fits(hi)) {
    lo = hi;
    hi *= 2n;
  }
  while (hi - lo > 1n) {
    const mid = (lo + hi) / 2n;
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

/**
 * Refuses an order `room` cannot cover now: AppError `no_capacity` with `details.maxEnergy` (the
 * largest order on the same terms that fits, capped at `energyMax`; 0 when less than `energyMin`
 * fits) and the message on the `energy` field.
 */
export function checkCapacity(
  room: PoolRoom,
  order: CapacityTerms,
  limits: { energyMin?: number; energyMax?: number } = {},
): Capacity {
  const cap = capacityOf(room, { terms: order });
  if (order.energy <= cap.maxEnergy) return cap;
  let offer = cap.maxEnergy;
  if (limits.energyMax !== undefined && offer > BigInt(limits.energyMax)) offer = BigInt(limits.energyMax);
  if (limits.energyMin !== undefined && offer < BigInt(limits.energyMin)) offer = 0n;
  const m =
    offer > 0n
      ? `The pool can deliver at most ${formatInteger(offer)} energy right now. Order that much, or try again later.`
      : "The pool has no energy to deliver right now. Please try again later.";
  throw new AppError("no_capacity", m, {
    fields: { energy: m },
    details: { maxEnergy: offer.toString(), requestedEnergy: order.energy.toString() },
  });
}

/** `checkCapacity` on the pool as it is now (one statement), for an order to `receiver`. */
export async function checkOrderCapacity(
  order: CapacityTerms,
  opts: { receiver?: string; energyMin?: number; energyMax?: number } = {},
): Promise<Capacity> {
  return checkCapacity(await readPoolRoom({ receiver: opts.receiver }), order, opts);
}
