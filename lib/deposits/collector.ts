import { setTimeout as sleep } from "node:timers/promises";
import { eq } from "drizzle-orm";
import type { Types } from "tronweb";
import { getDb } from "@/db";
import { type Collection, collections } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { listWallets, selectWallets, walletSigner } from "@/lib/pool";
import { getSettings, type Settings } from "@/lib/settings";
import type { TronClient } from "@/lib/tron/client";
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
 * The chain work of one collection (see collect.ts for the rules): each step is a transaction
 * stored on the `collections` row before it is broadcast, so a rerun rebroadcasts or awaits the
 * stored one and only signs again once it can never be included.
 */

/** Bandwidth a TRX transfer needs (bytes); below it the transfer burns TRX at 1000 sun/byte. */
const TRX_TRANSFER_BYTES = 300n;
const BANDWIDTH_RESERVE_SUN = 400_000n;
const ACTIVATION_SUN = 1n;

type StepRecord = { txid: string; signedTx: unknown; expiration: number; walletId?: number; sun?: string };
type Details = { steps?: Record<string, StepRecord>; energy?: string; error?: string };

function detailsOf(c: Collection): Details {
  return (c.details ?? {}) as Details;
}
export class Collector {
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
