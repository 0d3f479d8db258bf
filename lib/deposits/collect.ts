import { eq, inArray, sql } from "drizzle-orm";
import type { Types } from "tronweb";
import { getDb, rowsOf } from "@/db";
import { type Collection, collections, depositAddresses } from "@/db/schema";
import { raiseAlert } from "@/lib/alerts";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/log";
import { listWallets, selectWallets, walletSigner } from "@/lib/pool";
import { getSettings } from "@/lib/settings";
import { parseAddress } from "@/lib/tron/address";
import { getTronClient, type TronClient } from "@/lib/tron/client";
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
 * - USDT first: (activate the address from the pool wallet if it never held TRX) → delegate enough
 *   energy from one of our pool wallets (65k if the treasury already holds USDT, else 131k:
 *   settings.usdtEnergyHolder / usdtEnergyEmpty) → the USDT transfer signed with the deposit key →
 *   reclaim the energy (also after a failed transfer).
 * - then TRX: one transfer, paid by the free daily bandwidth when there is enough; otherwise a
 *   small reserve is left on the address for the burned bandwidth.
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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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
        const treasuryHolds = (await this.client.usdtBalanceOf(this.treasury)) > 0n;
        energy = String(treasuryHolds ? s.usdtEnergyHolder : s.usdtEnergyEmpty);
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
    try {
      if (c.status === "energy_delegated") {
        ({ collection: c } = await this.step(
          c,
          "transfer",
          () =>
            buildUsdtTransfer(
              this.client,
              { from: addr.address, to: this.treasury, amount: c.amountBase },
              this.depositSigner(addr.index),
            ),
          {},
          (sg) => ({ transferTxid: sg.txid, transferSignedTx: sg.signedTx }),
        ));
        c = await this.update(c.id, { status: "transferred" });
      }
    } finally {
      // Reclaim the energy whatever happened to the transfer.
      const pool = await walletSigner(poolId);
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
    }
    return this.update(c.id, { status: "completed" });
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
    return this.update(c.id, { status: "completed" });
  }

  /** TRX that can leave the address: everything when free bandwidth pays the transfer, else minus a reserve. */
  async sweepableTrx(address: string): Promise<bigint> {
    const acct = await this.client.getAccount(address);
    if (!acct.activated || acct.trxSun <= 0n) return 0n;
    const r = await this.client.getAccountResources(address);
    const free = r.freeNetLimit - r.freeNetUsed + (r.netLimit - r.netUsed);
    const amount = free >= TRX_TRANSFER_BYTES ? acct.trxSun : acct.trxSun - BANDWIDTH_RESERVE_SUN;
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

/**
 * One collection run: first resumes unfinished collections, then looks at the deposit addresses that
 * received deposits since their last completed collection, and sweeps balances above the thresholds.
 */
export async function collectOnce(opts: CollectOptions = {}): Promise<CollectResult> {
  const client = opts.client ?? getTronClient();
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
      if (e instanceof AppError && e.code === "provider_unavailable") {
        // Not final (node down, tx not in a block yet): keep the row, the next run resumes it.
        logger.warn({ collectionId: c.id, error: e.message }, "deposit collection postponed");
        out.pending.push(c.id);
        return;
      }
      await fail(await col.reload(c.id), e);
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

  // 2. addresses with deposits newer than their last completed collection
  const cands = rowsOf<{ id: number | string; address: string; derivation_index: number | string }>(
    await db.execute(sql`
      select da.id, da.address, da.derivation_index
      from deposit_addresses da
      where exists (
        select 1 from deposits d
        where d.deposit_address_id = da.id and d.status in ('credited', 'below_minimum')
          and d.created_at > coalesce((select max(c.created_at) from collections c
                                       where c.deposit_address_id = da.id and c.status = 'completed'), 'epoch'::timestamptz))
        and not exists (select 1 from collections c where c.deposit_address_id = da.id
                        and c.status in ('planned', 'energy_delegated', 'transferred'))
      order by (select max(d2.created_at) from deposits d2 where d2.deposit_address_id = da.id) desc
      limit ${opts.limit ?? 100}`),
  );
  for (const r of cands) {
    const addr = { id: Number(r.id), address: String(r.address), index: Number(r.derivation_index) };
    try {
      const usdt = await client.usdtBalanceOf(addr.address);
      if (usdt >= s.collection.usdtThresholdBase) {
        const [c] = await db
          .insert(collections)
          .values({ depositAddressId: addr.id, currency: "USDT", amountBase: usdt, toAddress: treasury })
          .returning();
        await run(c, addr);
      }
      const trx = await col.sweepableTrx(addr.address);
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
