import { eq, inArray, sql } from "drizzle-orm";
import { getDb, rowsOf } from "@/db";
import { chainCursors, type Collection, collections, depositAddresses } from "@/db/schema";
import { raiseAlert } from "@/lib/alerts";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/log";
import { getSettings } from "@/lib/settings";
import { parseAddress } from "@/lib/tron/address";
import { type TronClient, tron } from "@/lib/tron/client";
import { Collector } from "./collector";

/**
 * Collection: moves deposit-address balances above the thresholds (settings.collection) to
 * TREASURY_ADDRESS.
 *
 * - Only what was credited is swept: per address and currency, the credited deposits minus what
 *   earlier collections took (TRX: amount + the fee burned from the address). Funds that were never
 *   credited (below the minimum, TRC10, other tokens) stay on the deposit address for the operator
 *   to return or credit by hand; sweeping them would move customers' money into the treasury with
 *   nothing on their balance to show for it.
 * - USDT first: (activate the address from the pool wallet if it never held TRX) → delegate enough
 *   energy from one of our pool wallets (sized from the chain: the energy the transfer needs now,
 *   dynamic energy factor included, never less than settings.usdtEnergyHolder / usdtEnergyEmpty) →
 *   the USDT transfer signed with the deposit key → reclaim the energy once the transfer is FINAL
 *   (in a block, successful or failed, or provably expired). While the transfer may still land the
 *   energy stays delegated: a transfer executed without it would burn the address's TRX and fail
 *   (OUT_OF_ENERGY). A transfer is only ever re-signed while its energy is still delegated.
 * - then TRX: one transfer, paid by the free daily bandwidth when there is enough; otherwise the
 *   burned bandwidth comes out of the credited amount.
 *
 * Every step is store-before-broadcast: the signed tx is written to the `collections` row, then
 * broadcast; a rerun finds it and rebroadcasts the same tx (a duplicate counts as sent) or waits for
 * it, and only re-signs once the stored one can never be included (expired). The deposit key is
 * derived from DEPOSIT_MNEMONIC inside the signing callback only, and never logged.
 */

type CollectOptions = {
  client?: TronClient;
  /** Default TREASURY_ADDRESS. */
  treasury?: string;
  /** Addresses checked per run (newest deposits first). Default 100. */
  limit?: number;
  /** Polling of a broadcast tx until it is in a block. */
  pollMs?: number;
  waitTimeoutMs?: number;
};

type CollectResult = { completed: number[]; failed: number[]; pending: number[] };

async function fail(c: Collection, e: unknown): Promise<void> {
  const message = e instanceof Error ? e.message : String(e);
  const db = await getDb();
  await db
    .update(collections)
    .set({ status: "failed", error: message.slice(0, 1000) })
    .where(eq(collections.id, c.id));
  logger.error({ collectionId: c.id, currency: c.currency, error: message }, "deposit collection failed");
  try {
    await raiseAlert({
      rule: "deposit_collection_failed",
      dedupeKey: `deposit-collection:${c.id}`,
      severity: "warning",
      message: `Collection #${c.id} (${c.currency}) of deposit address #${c.depositAddressId} failed: ${message}`,
      details: { collectionId: c.id, depositAddressId: c.depositAddressId, currency: c.currency },
    });
  } catch (err) {
    logger.error({ error: (err as Error).message }, "could not raise the collection alert");
  }
}

async function alertStuckReclaim(c: Collection, e: unknown): Promise<void> {
  try {
    await raiseAlert({
      rule: "deposit_collection_failed",
      dedupeKey: `deposit-collection:${c.id}`,
      severity: "warning",
      message: `Collection #${c.id}: the USDT reached the treasury but reclaiming its energy did not finish (${(e as Error).message}); retried on the next run.`,
      details: { collectionId: c.id, depositAddressId: c.depositAddressId, currency: c.currency },
    });
  } catch (err) {
    logger.error({ error: (err as Error).message }, "could not raise the collection alert");
  }
}

/**
 * Per deposit address: what was credited and what collections already took, per currency. Only the
 * difference may be swept (see the header). Failed collections took nothing; every other one
 * (finished or under way) counts with its amount, TRX ones with the fee burned from the address.
 */
async function owedByAddress(
  limit = 100,
): Promise<{ id: number; address: string; index: number; trxOwed: bigint; usdtOwed: bigint }[]> {
  const db = await getDb();
  const rows = rowsOf<{
    id: number | string;
    address: string;
    derivation_index: number | string;
    trx_owed: string | number;
    usdt_owed: string | number;
  }>(
    await db.execute(sql`
      with credited as (
        select d.deposit_address_id as id,
               coalesce(sum(d.amount_base) filter (where d.currency = 'TRX'), 0) as trx,
               coalesce(sum(d.amount_base) filter (where d.currency = 'USDT'), 0) as usdt,
               max(d.created_at) as latest
          from deposits d where d.status = 'credited' group by d.deposit_address_id
      ), taken as (
        select c.deposit_address_id as id,
               coalesce(sum(c.amount_base + c.fee_sun) filter (where c.currency = 'TRX'), 0) as trx,
               coalesce(sum(c.amount_base) filter (where c.currency = 'USDT'), 0) as usdt
          from collections c where c.status <> 'failed' group by c.deposit_address_id
      )
      select da.id, da.address, da.derivation_index,
             (cr.trx - coalesce(t.trx, 0))::text as trx_owed,
             (cr.usdt - coalesce(t.usdt, 0))::text as usdt_owed
        from credited cr
        join deposit_addresses da on da.id = cr.id
        left join taken t on t.id = cr.id
       where (cr.trx > coalesce(t.trx, 0) or cr.usdt > coalesce(t.usdt, 0))
         and not exists (select 1 from collections c where c.deposit_address_id = da.id
                         and c.status in ('planned', 'energy_delegated', 'transferred'))
       order by cr.latest desc
       limit ${limit}`),
  );
  return rows.map((r) => ({
    id: Number(r.id),
    address: String(r.address),
    index: Number(r.derivation_index),
    trxOwed: BigInt(r.trx_owed),
    usdtOwed: BigInt(r.usdt_owed),
  }));
}

/**
 * One collection run: first resumes unfinished collections, then sweeps, per deposit address, the
 * credited and not yet collected TRX and USDT above the thresholds (never more than that).
 */
export async function collectOnce(opts: CollectOptions = {}): Promise<CollectResult> {
  const client = opts.client ?? tron();
  const treasuryRaw = opts.treasury ?? env.TREASURY_ADDRESS;
  if (!treasuryRaw) throw new AppError("internal", "TREASURY_ADDRESS is not set: nothing to collect to.");
  const treasury = parseAddress(treasuryRaw);
  const col = new Collector(client, treasury, opts.pollMs ?? 1_000, opts.waitTimeoutMs ?? 60_000);
  const db = await getDb();
  const s = await getSettings();
  const out: CollectResult = { completed: [], failed: [], pending: [] };

  const run = async (c: Collection, addr: { address: string; index: number }) => {
    try {
      const done = c.currency === "USDT" ? await col.collectUsdt(c, addr) : await col.collectTrx(c, addr);
      out.completed.push(done.id);
    } catch (e) {
      const now = await col.reload(c.id);
      if ((e instanceof AppError && e.code === "provider_unavailable") || now.status === "transferred") {
        // Not final (node down, tx not in a block yet), or the USDT moved and only the reclaim is
        // left: keep the row, the next run resumes it.
        logger.warn({ collectionId: c.id, error: (e as Error).message }, "deposit collection postponed");
        if (now.status === "transferred") await alertStuckReclaim(now, e);
        out.pending.push(c.id);
        return;
      }
      await fail(now, e);
      out.failed.push(c.id);
    }
  };

  // 1. unfinished collections
  const open = await db
    .select({ c: collections, address: depositAddresses.address, index: depositAddresses.derivationIndex })
    .from(collections)
    .innerJoin(depositAddresses, eq(depositAddresses.id, collections.depositAddressId))
    .where(inArray(collections.status, ["planned", "energy_delegated", "transferred"]));
  for (const o of open) await run(o.c, o);

  // 2. addresses holding credited funds not collected yet
  for (const addr of await owedByAddress(opts.limit ?? 100)) {
    try {
      if (addr.usdtOwed >= s.collection.usdtThresholdBase) {
        const held = await client.usdtBalanceOf(addr.address);
        const amount = held < addr.usdtOwed ? held : addr.usdtOwed;
        if (amount >= s.collection.usdtThresholdBase) {
          const [c] = await db
            .insert(collections)
            .values({ depositAddressId: addr.id, currency: "USDT", amountBase: amount, toAddress: treasury })
            .returning();
          await run(c, addr);
        }
      }
      const trx = await col.sweepableTrx(addr.address, addr.trxOwed);
      if (trx >= s.collection.trxThresholdSun) {
        const [c] = await db
          .insert(collections)
          .values({ depositAddressId: addr.id, currency: "TRX", amountBase: trx, toAddress: treasury })
          .returning();
        await run(c, addr);
      }
    } catch (e) {
      logger.warn(
        { depositAddressId: addr.id, error: (e as Error).message },
        "could not check a deposit address",
      );
    }
  }
  return out;
}

// ---------------------------------------------------------------- schedule

/** The last collection run is kept as a row of chain_cursors (block_number unused). */
export const COLLECT_MARKER = "deposits:collect";

/**
 * Whether a collection run is due: always when one was requested, otherwise once
 * `settings.collection.intervalMinutes` have passed since the last run started (or none ever ran).
 */
export async function collectionDue(opts: { requested?: boolean; now?: Date } = {}): Promise<boolean> {
  if (opts.requested) return true;
  const db = await getDb();
  const [m] = await db.select().from(chainCursors).where(eq(chainCursors.name, COLLECT_MARKER));
  const { collection } = await getSettings();
  const now = (opts.now ?? new Date()).getTime();
  return !m?.lastRunAt || now - m.lastRunAt.getTime() >= collection.intervalMinutes * 60_000;
}

/** A scheduled collection run: records that it started (the interval counts from here), then collects. */
export async function runScheduledCollection(opts: CollectOptions = {}): Promise<CollectResult> {
  const db = await getDb();
  await db
    .insert(chainCursors)
    .values({ name: COLLECT_MARKER, blockNumber: 0, lastRunAt: new Date() })
    .onConflictDoUpdate({ target: chainCursors.name, set: { lastRunAt: new Date() } });
  return collectOnce(opts);
}
