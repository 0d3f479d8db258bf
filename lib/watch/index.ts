import { performance } from "node:perf_hooks";
import { sql } from "drizzle-orm";
import { type Executor, getDb, rowsOf } from "@/db";
import type { LeanBlock } from "@/lib/deposits/reader";
import { logger } from "@/lib/log";
import { parseAddress, toHex } from "@/lib/tron/address";
import { type TronClient, tron } from "@/lib/tron/client";

/**
 * Watched addresses: addresses the platform keeps supplied with energy (keep-energy subscriptions).
 *
 * Scaling: the chain is never polled per address. The deposit scanner already reads every solidified
 * block; its hook (`markSenders`, one SQL statement per batch of blocks, inside the scanner's
 * crediting transaction) marks the watched addresses that SIGNED a transaction in those blocks —
 * any contract type, successful or not (a failed call burns energy too), TRC20 transfers included
 * (TriggerSmartContract's owner is the sender). Only an address that sent something can have less
 * energy than before (energy recovers on its own, delegations only add), so the check cycle
 * (`checkCycle`) re-reads just the marked rows (one `getaccountresource` each), plus a small batch of
 * the stalest rows as a safety net (a node that missed a block, a delegation reclaimed by its owner).
 * Chain requests per cycle therefore follow the number of addresses that changed, not the number
 * watched; the database work is two indexed statements per cycle.
 */

/** Rows re-read per cycle at most (the rest stay marked for the next cycle). */
export const CHECK_BATCH = 500;
/** Stale rows re-read per cycle as a safety net. */
export const SAFETY_BATCH = 20;
/** A row not re-read for this long is stale. */
export const SAFETY_AGE_MS = 30 * 60_000;
const READ_CONCURRENCY = 8;

/** The 20-byte body of an address as lowercase hex (what blocks carry after the "41" prefix). */
export function addressBody(address: string): string {
  return toHex(parseAddress(address)).slice(2).toLowerCase();
}

/** Starts watching `address` (or marks it for a re-read when already watched): the next cycle reads it. */
export async function watchAddress(address: string, ex?: Executor): Promise<void> {
  const db = ex ?? (await getDb());
  const a = parseAddress(address);
  await db.execute(sql`insert into watched_addresses (address, hex, dirty)
    values (${a}, ${addressBody(a)}, true) on conflict (address) do update set dirty = true`);
}

/** Stops watching `address` unless a subscription (active or paused) or an active package still needs it. */
export async function unwatchIfUnused(address: string, ex?: Executor): Promise<void> {
  const db = ex ?? (await getDb());
  await db.execute(sql`delete from watched_addresses w where w.address = ${address}
    and not exists (select 1 from energy_subscriptions s
      where s.address = w.address and s.status in ('active', 'paused', 'exhausted'))
    and not exists (select 1 from transfer_packages p where p.address = w.address and p.status = 'active')`);
}

/**
 * The watched set in this process, and the (row count, highest id) it was read at: ids are never
 * reused, so any insert or delete changes the pair, and one index-only query tells whether the set
 * must be read again.
 */
let watchedSet: { n: number; maxId: number; hexes: Set<string> } | null = null;

async function watchedHexes(ex: Executor): Promise<Set<string>> {
  const [v] = rowsOf<{ n: number; m: number }>(
    await ex.execute(sql`select count(*)::int as n, coalesce(max(id), 0)::int as m from watched_addresses`),
  );
  const n = Number(v?.n ?? 0);
  const maxId = Number(v?.m ?? 0);
  if (watchedSet && watchedSet.n === n && watchedSet.maxId === maxId) return watchedSet.hexes;
  const rows = n ? rowsOf<{ hex: string }>(await ex.execute(sql`select hex from watched_addresses`)) : [];
  watchedSet = { n, maxId, hexes: new Set(rows.map((r) => r.hex)) };
  return watchedSet.hexes;
}

/**
 * The scanner's hook: marks the watched addresses that signed a transaction in `blocks` (runs in the
 * scanner's crediting transaction, so a crash re-reads and re-marks the same blocks). The senders
 * are matched in memory against the watched set (a mainnet batch has tens of thousands), and only
 * the matches are written. Returns how many watched addresses were marked.
 */
export async function markSenders(ex: Executor, blocks: LeanBlock[]): Promise<number> {
  const watched = await watchedHexes(ex);
  if (watched.size === 0) return 0;
  const last = new Map<string, number>();
  for (const b of blocks)
    for (const t of b.txs) {
      const body = t.owner?.slice(2);
      if (body && watched.has(body)) last.set(body, b.number);
    }
  if (last.size === 0) return 0;
  const rows = rowsOf<{ n: number }>(
    await ex.execute(sql`with s(hex, block) as (
        select * from unnest(string_to_array(${[...last.keys()].join(",")}, ','),
                             string_to_array(${[...last.values()].join(",")}, ',')::bigint[]))
      , m as (update watched_addresses w set dirty = true,
          last_sent_block = greatest(coalesce(w.last_sent_block, 0), s.block)
        from s where w.hex = s.hex returning 1)
      select count(*)::int as n from m`),
  );
  return Number(rows[0]?.n ?? 0);
}

export type CheckedAddress = { address: string; energyAvailable: bigint; sent: boolean };

export type CheckCycle = {
  checked: CheckedAddress[];
  /** Rows re-read because the scanner marked them. */
  changed: number;
  /** Stale rows re-read as a safety net. */
  safety: number;
  failed: number;
  /** Chain requests made by this cycle. */
  requests: number;
  /** Time spent in the database (ms). */
  dbMs: number;
  /** Marked rows left for the next cycle (more than one batch). */
  more: boolean;
};

/** Available energy of an address: its energy limit (own + delegated-in stake) minus what it used. */
export async function readAvailableEnergy(client: TronClient, address: string): Promise<bigint> {
  const r = await client.getAccountResources(address);
  const left = r.energyLimit - r.energyUsed;
  return left > 0n ? left : 0n;
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * One check cycle: picks the marked rows (up to `batch`) and the stalest unmarked ones (up to
 * `safety`), reads their available energy from the chain, and stores it (a row marked again while it
 * was being read stays marked). Consumers (subscriptions) act on `checked`.
 */
export async function checkCycle(
  opts: { client?: TronClient; batch?: number; safety?: number; safetyAgeMs?: number; now?: Date } = {},
): Promise<CheckCycle> {
  const client = opts.client ?? tron();
  const db = await getDb();
  const batch = opts.batch ?? CHECK_BATCH;
  const now = opts.now ?? new Date();
  const staleBefore = new Date(now.getTime() - (opts.safetyAgeMs ?? SAFETY_AGE_MS));
  let dbMs = 0;
  const timed = async <T>(f: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await f();
    } finally {
      dbMs += performance.now() - t0;
    }
  };
  const picked = await timed(async () =>
    rowsOf<{ address: string; last_sent_block: string | null; dirty: boolean }>(
      await db.execute(sql`(select address, last_sent_block, dirty from watched_addresses
          where dirty order by id limit ${batch + 1})
        union all
        (select address, last_sent_block, dirty from watched_addresses
          where not dirty and (checked_at is null or checked_at < ${staleBefore.toISOString()})
          order by checked_at nulls first limit ${opts.safety ?? SAFETY_BATCH})`),
    ),
  );
  const dirtyRows = picked.filter((r) => r.dirty);
  const more = dirtyRows.length > batch;
  const rows = [...dirtyRows.slice(0, batch), ...picked.filter((r) => !r.dirty)];
  let requests = 0;
  const reads = await mapLimit(rows, READ_CONCURRENCY, async (r) => {
    requests++;
    try {
      return await readAvailableEnergy(client, r.address);
    } catch (e) {
      logger.warn({ address: r.address, error: (e as Error).message }, "watch: could not read an address");
      return null;
    }
  });
  const ok = rows.flatMap((r, i) => {
    const energy = reads[i];
    return energy === null ? [] : [{ ...r, energy }];
  });
  if (ok.length)
    await timed(() =>
      db.execute(sql`with v(address, energy, seen) as (
          select * from unnest(string_to_array(${ok.map((r) => r.address).join(",")}, ','),
                               string_to_array(${ok.map((r) => r.energy.toString()).join(",")}, ',')::bigint[],
                               string_to_array(${ok.map((r) => r.last_sent_block ?? "").join(",")}, ',')))
        update watched_addresses w set energy_available = v.energy, checked_at = ${now.toISOString()},
          dirty = w.dirty and w.last_sent_block is distinct from nullif(v.seen, '')::bigint
        from v where w.address = v.address`),
    );
  return {
    checked: ok.map((r) => ({ address: r.address, energyAvailable: r.energy, sent: r.dirty })),
    changed: ok.filter((r) => r.dirty).length,
    safety: ok.filter((r) => !r.dirty).length,
    failed: rows.length - ok.length,
    requests,
    dbMs,
    more,
  };
}
