import { setTimeout as sleep } from "node:timers/promises";
import { eq, inArray, sql } from "drizzle-orm";
import type { Types } from "tronweb";
import { getDb, rowsOf } from "@/db";
import { type Collection, collections, depositAddresses } from "@/db/schema";
import { raiseAlert } from "@/lib/alerts";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/log";
import { listWallets, selectWallets, walletSigner } from "@/lib/pool";
import { getSettings, type Settings } from "@/lib/settings";
import { parseAddress } from "@/lib/tron/address";
import { tron, type TronClient } from "@/lib/tron/client";
import { delegationSunForEnergy } from "@/lib/tron/resources";
import {
  broadcast,
  buildDelegateEnergy,
  buildTrxTransfer,
  buildUndelegateEnergy,
  buildUsdtTransfer,
  type SignedTx,
  type Signer,
  txStatus,
} from "@/lib/tron/tx";
import { depositMnemonic, withDepositPrivateKey } from "./derive";

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

export type CollectOptions = {
  client?: TronClient;
  /** Default TREASURY_ADDRESS. */
  treasury?: string;
  /** Addresses checked per run (newest deposits first). Default 100. */
  limit?: number;
  /** Polling of a broadcast tx until it is in a block. */
  pollMs?: number;
  waitTimeoutMs?: number;
};

export type CollectResult = { completed: number[]; failed: number[]; pending: number[] };

/** Bandwidth a TRX transfer needs (bytes); below it the transfer burns TRX at 1000 sun/byte. */
const TRX_TRANSFER_BYTES = 300n;
const BANDWIDTH_RESERVE_SUN = 400_000n;
const ACTIVATION_SUN = 1n;

type StepRecord = { txid: string; signedTx: unknown; expiration: number; walletId?: number; sun?: string };
type Details = { steps?: Record<string, StepRecord>; energy?: string; error?: string };

function detailsOf(c: Collection): Details {
  return (c.details ?? {}) as Details;
}

class Collector {
  constructor(
    readonly client: TronClient,
    readonly treasury: string,
    readonly pollMs: number,
    readonly waitTimeoutMs: number,
  ) {}

  async reload(id: number): Promise<Collection> {
    const db = await getDb();
    const [c] = await db.select().from(collections).where(eq(collections.id, id));
    return c;
  }

  async update(id: number, set: Partial<typeof collections.$inferInsert>): Promise<Collection> {
    const db = await getDb();
    const [c] = await db.update(collections).set(set).where(eq(collections.id, id)).returning();
    return c;
  }

  /** Waits until `txid` is in a block (SUCCESS); throws on a failed receipt or a timeout. */
  async waitIncluded(txid: string, expiration: number): Promise<void> {
    const deadline = Date.now() + this.waitTimeoutMs;
    for (;;) {
      const st = await txStatus(this.client, txid, { expiration });
      if (st.status === "included" || st.status === "solidified") return;
      if (st.status === "failed") {
        throw new AppError(
          "chain_error",
          `Transaction ${txid} failed on chain (${st.receiptResult || "FAILED"}).`,
        );
      }
      if (st.expired)
        throw new AppError("chain_error", `Transaction ${txid} expired without being included.`);
      if (Date.now() > deadline) {
        throw new AppError("provider_unavailable", `Transaction ${txid} is not in a block yet; will retry.`);
      }
      await sleep(this.pollMs);
    }
  }

  /**
   * One store-before-broadcast step. Returns the txid once it is in a block. A stored tx is reused
   * (rebroadcast / awaited); only an expired, never-included one is signed again.
   */
  async step(
    c: Collection,
    name: string,
    build: () => Promise<SignedTx>,
    extra: Partial<StepRecord> = {},
    columns: (s: SignedTx) => Partial<typeof collections.$inferInsert> = () => ({}),
  ): Promise<{ txid: string; collection: Collection }> {
    let cur = await this.reload(c.id);
    const prev = detailsOf(cur).steps?.[name];
    if (prev) {
      const st = await txStatus(this.client, prev.txid, { expiration: prev.expiration });
      if (st.status === "included" || st.status === "solidified") return { txid: prev.txid, collection: cur };
      if (st.status === "failed") throw new AppError("chain_error", `Step ${name} failed on chain.`);
      if (!st.expired) {
        await broadcast(this.client, prev.signedTx as Types.SignedTransaction); // duplicate = already sent
        await this.waitIncluded(prev.txid, prev.expiration);
        return { txid: prev.txid, collection: await this.reload(c.id) };
      }
    }
    const signed = await build();
    const d = detailsOf(cur);
    const rec: StepRecord = {
      txid: signed.txid,
      signedTx: signed.signedTx,
      expiration: signed.expiration,
      ...extra,
    };
    // Store, then broadcast.
    cur = await this.update(c.id, {
      details: { ...d, steps: { ...(d.steps ?? {}), [name]: rec } },
      ...columns(signed),
    });
    await broadcast(this.client, signed.signedTx);
    await this.waitIncluded(signed.txid, signed.expiration);
    return { txid: signed.txid, collection: cur };
  }

  depositSigner(index: number): Signer {
    const mnemonic = depositMnemonic();
    return {
      sign: (tx: Types.Transaction) =>
        withDepositPrivateKey(
          mnemonic,
          index,
          (pk) => this.client.tronWeb.trx.sign(tx, pk) as Promise<Types.SignedTransaction>,
        ),
    };
  }

  /** Picks one enabled key-mode pool wallet that can delegate `sun` now (lib/pool's best fit, checked live). */
  async pickPoolWallet(sun: bigint): Promise<{ id: number; address: string }> {
    const ws = (await listWallets()).filter((w) => w.status === "enabled" && w.mode === "key");
    const tried = new Set<number>();
    for (;;) {
      const cands = ws
        .filter((w) => !tried.has(w.id))
        .map((w) => ({ id: w.id, freeSun: w.freeSun, priority: w.priority }));
      const plan = selectWallets(cands, sun);
      if (plan?.length !== 1) {
        throw new AppError("no_capacity", "No pool wallet can delegate the energy for a USDT collection.", {
          details: { sun: String(sun) },
        });
      }
      const w = ws.find((x) => x.id === plan[0].walletId)!;
      const live = await this.client.getCanDelegatedMaxSize(w.address, "ENERGY");
      if (live >= sun) return { id: w.id, address: w.address };
      tried.add(w.id);
    }
  }

  async collectUsdt(c0: Collection, addr: { address: string; index: number }): Promise<Collection> {
    let c = c0;
    const s = await getSettings();
    if (c.status === "planned") {
      // A delegation stored by an interrupted run is resumed with the same wallet and amount.
      const stored = detailsOf(c).steps?.delegate;
      let energy = detailsOf(c).energy;
      let sun: bigint;
      let pool: { id: number; address: string };
      if (stored?.walletId && stored.sun) {
        sun = BigInt(stored.sun);
        pool = { id: stored.walletId, address: (await walletSigner(stored.walletId)).address };
      } else {
        energy = String(await this.transferEnergy(addr.address, c.amountBase, s));
        sun = delegationSunForEnergy(BigInt(energy), await this.client.getEnergyWeights());
        pool = await this.pickPoolWallet(sun);
      }
      const signer = await walletSigner(pool.id);
      const acct = await this.client.getAccount(addr.address);
      if (!acct.activated) {
        // Energy can only be delegated to an activated account: activate it from the pool wallet.
        ({ collection: c } = await this.step(
          c,
          "activate",
          () =>
            buildTrxTransfer(
              this.client,
              { from: pool.address, to: addr.address, sun: ACTIVATION_SUN },
              signer,
            ),
          { walletId: pool.id },
        ));
      }
      c = await this.update(c.id, { details: { ...detailsOf(c), energy } });
      ({ collection: c } = await this.step(
        c,
        "delegate",
        () =>
          buildDelegateEnergy(
            this.client,
            { owner: pool.address, receiver: addr.address, sun, lock: false },
            { encryptedKey: signer.encryptedKey },
          ),
        { walletId: pool.id, sun: String(sun) },
        (sg) => ({ energyDelegationTxid: sg.txid }),
      ));
      c = await this.update(c.id, { status: "energy_delegated" });
    }
    const delegate = detailsOf(c).steps?.delegate;
    if (!delegate?.walletId || !delegate.sun)
      throw new AppError("internal", "The delegation step is missing.");
    const poolId = delegate.walletId;
    const sun = BigInt(delegate.sun);
    const pool = await walletSigner(poolId);
    let transferFailure: unknown = null;
    if (c.status === "energy_delegated") {
      try {
        ({ collection: c } = await this.step(
          c,
          "transfer",
          async () => {
            // Never sign a transfer whose energy is gone: it would burn the address's TRX and fail.
            await this.requireDelegated(pool.address, addr.address, sun);
            return buildUsdtTransfer(
              this.client,
              { from: addr.address, to: this.treasury, amount: c.amountBase },
              this.depositSigner(addr.index),
            );
          },
          {},
          (sg) => ({ transferTxid: sg.txid, transferSignedTx: sg.signedTx }),
        ));
        c = await this.update(c.id, { status: "transferred" });
      } catch (e) {
        // Reclaim only once the transfer is final; otherwise keep the energy for it and resume later.
        const fin = await this.transferFinality(c.id);
        if (fin === "pending") {
          throw new AppError(
            "provider_unavailable",
            `The collection's USDT transfer is not final yet (${(e as Error).message}); its energy stays delegated until it is.`,
          );
        }
        if (fin === "included") c = await this.update(c.id, { status: "transferred" });
        else transferFailure = e; // failed on chain, provably expired, or never stored
      }
    }
    ({ collection: c } = await this.step(
      c,
      "reclaim",
      () =>
        buildUndelegateEnergy(
          this.client,
          { owner: pool.address, receiver: addr.address, sun },
          { encryptedKey: pool.encryptedKey },
        ),
      { walletId: poolId, sun: String(sun) },
      (sg) => ({ reclaimTxid: sg.txid }),
    ));
    if (transferFailure) throw transferFailure;
    return this.update(c.id, { status: "completed", feeSun: await this.feesOf(c.id) });
  }

  /**
   * Energy the collection's USDT transfer needs, from the chain: the transfer's own estimate now
   * (the dynamic energy factor included), never less than the operator's setting for the
   * treasury's case (65k when it already holds USDT, 131k when it holds none).
   */
  async transferEnergy(from: string, amount: bigint, s: Settings): Promise<bigint> {
    const treasuryHolds = (await this.client.usdtBalanceOf(this.treasury)) > 0n;
    const floor = BigInt(treasuryHolds ? s.usdtEnergyHolder : s.usdtEnergyEmpty);
    const estimate = await this.client.estimateUsdtTransferEnergy(from, this.treasury, amount);
    return estimate > floor ? estimate : floor;
  }

  /** Refuses to go on when `owner`'s energy delegation to `receiver` is below `sun`. */
  async requireDelegated(owner: string, receiver: string, sun: bigint): Promise<void> {
    const recs = await this.client.getDelegatedResourceV2(owner, receiver);
    const have = recs.reduce((t, r) => t + r.energySun, 0n);
    if (have < sun) {
      throw new AppError(
        "chain_error",
        "The energy delegated for this collection is gone; the USDT transfer is not signed without it.",
        { details: { owner, receiver, delegated: String(have), needed: String(sun) } },
      );
    }
  }

  /**
   * Where the stored transfer stands, for the reclaim decision: "included" (successful, in a block),
   * "failed" (in a block, failed), "absent" (never stored, or provably expired: it can never land),
   * or "pending" (it may still land: keep its energy).
   */
  async transferFinality(id: number): Promise<"included" | "failed" | "absent" | "pending"> {
    const t = detailsOf(await this.reload(id)).steps?.transfer;
    if (!t) return "absent";
    try {
      const st = await txStatus(this.client, t.txid, { expiration: t.expiration });
      if (st.status === "included" || st.status === "solidified") return "included";
      if (st.status === "failed") return "failed";
      return st.expired ? "absent" : "pending";
    } catch {
      return "pending"; // the node did not answer: nothing is known, so nothing is final
    }
  }

  /** TRX burned by the collection's own transactions (tx info `fee` of each stored step). */
  async feesOf(id: number): Promise<bigint> {
    let total = 0n;
    for (const st of Object.values(detailsOf(await this.reload(id)).steps ?? {})) {
      const info = await this.client.getTransactionInfo(st.txid).catch(() => null);
      if (info) total += info.fee;
    }
    return total;
  }

  async collectTrx(c0: Collection, addr: { address: string; index: number }): Promise<Collection> {
    let c = c0;
    ({ collection: c } = await this.step(
      c,
      "transfer",
      () =>
        buildTrxTransfer(
          this.client,
          { from: addr.address, to: this.treasury, sun: c.amountBase },
          this.depositSigner(addr.index),
        ),
      {},
      (sg) => ({ transferTxid: sg.txid, transferSignedTx: sg.signedTx }),
    ));
    return this.update(c.id, { status: "completed", feeSun: await this.feesOf(c.id) });
  }

  /**
   * TRX that may leave the address: at most what is owed to the treasury (`owedSun`: credited and
   * not yet collected). When free bandwidth does not pay the transfer, the burned bandwidth comes out
   * of the owed amount, never out of uncredited funds.
   */
  async sweepableTrx(address: string, owedSun: bigint): Promise<bigint> {
    if (owedSun <= 0n) return 0n;
    const acct = await this.client.getAccount(address);
    if (!acct.activated || acct.trxSun <= 0n) return 0n;
    const r = await this.client.getAccountResources(address);
    const free = r.freeNetLimit - r.freeNetUsed + (r.netLimit - r.netUsed);
    const reserve = free >= TRX_TRANSFER_BYTES ? 0n : BANDWIDTH_RESERVE_SUN;
    const onChain = acct.trxSun - reserve;
    const owed = owedSun - reserve;
    const amount = onChain < owed ? onChain : owed;
    return amount > 0n ? amount : 0n;
  }
}

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
export async function owedByAddress(
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
