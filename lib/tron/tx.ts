import type { Types } from "tronweb";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import type { TransactionInfo, TronClient } from "@/lib/tron/client";
import { parseAddress, toHex } from "@/lib/tron/address";
import { ChainError, chainErrorFromMessage, classifyChainMessage } from "@/lib/tron/errors";
import { hexToText } from "@/lib/tron/json";
import { withDecryptedKey } from "@/lib/tron/keys";
import { MIN_DELEGATE_SUN } from "@/lib/tron/resources";

/**
 * Build + sign TRON transactions with tronweb, and return them for storing BEFORE broadcast
 * (docs/design.md §2, rule 4). `broadcast` is separate; a duplicate broadcast of a tx we signed counts as sent.
 */

type Tx = Types.Transaction;
export type SignedTransactionJson = Types.SignedTransaction & Record<string, unknown>;

/** Either the stored ciphertext of the owner's key (decrypted only inside signing) or a signer callback. */
export type Signer = { encryptedKey: string } | { sign: (tx: Tx) => Promise<Types.SignedTransaction> };

export type SignedTx = {
  txid: string;
  /** The signed transaction JSON (txID, raw_data, raw_data_hex, signature[]): store as jsonb. */
  signedTx: SignedTransactionJson;
  /** ms since epoch after which the network refuses it. */
  expiration: number;
};

type BuildOptions = {
  /** Extra seconds added to tronweb's default 60 s expiration (node accepts up to 24 h). */
  extendExpirationSeconds?: number;
  /**
   * Sign through one of the owner's Active permissions (its id, 2 or more; Permission_id in the
   * contract) instead of the owner key: the signer is a key of that permission, whose operations
   * must allow the contract type (permission-mode wallets).
   */
  permissionId?: number;
};

function permissionOption(opts: BuildOptions): { permissionId?: number } {
  const id = opts.permissionId;
  if (id === undefined) return {};
  if (!Number.isSafeInteger(id) || id < 2)
    throw new AppError("bad_request", "A permission id is an Active permission's id (2 or more).");
  return { permissionId: id };
}

const DEFAULT_USDT_FEE_LIMIT_SUN = 50_000_000n;

/** tronweb takes JS numbers for amounts: only accept values that are exactly representable. */
function toTronwebNumber(v: bigint, what: string): number {
  if (v <= 0n || v > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new AppError("invalid_amount", `The ${what} is out of range.`, { details: { [what]: String(v) } });
  }
  return Number(v);
}

function contractValue(tx: Tx): Record<string, unknown> {
  return (tx.raw_data.contract[0]?.parameter.value ?? {}) as unknown as Record<string, unknown>;
}

/** Refuses a built tx whose amount field differs from what we asked for (belt and braces). */
function checkAmount(tx: Tx, field: string, expected: bigint): void {
  const v = contractValue(tx)[field];
  if (v === undefined || BigInt(String(v)) !== expected) {
    throw new AppError("internal", "The built transaction does not carry the requested amount.", {
      details: { field, expected: String(expected), got: String(v) },
    });
  }
}

async function signWith(client: TronClient, tx: Tx, signer: Signer, opts: BuildOptions): Promise<SignedTx> {
  let t = tx;
  if (opts.extendExpirationSeconds && opts.extendExpirationSeconds > 0) {
    // txLocal: re-encoded here with tronweb's own encoder, not by the node's getsignweight
    t = await client.tronWeb.transactionBuilder.extendExpiration(t, opts.extendExpirationSeconds, {
      txLocal: true,
    });
  }
  let signed: Types.SignedTransaction;
  if ("encryptedKey" in signer) {
    // through a permission the key is not the owner's: tronweb's multisig signing skips that check
    const viaPermission =
      Number((t.raw_data.contract[0] as { Permission_id?: number }).Permission_id ?? 0) > 0;
    signed = await withDecryptedKey(signer.encryptedKey, (pk) =>
      client.tronWeb.trx.sign(t, pk, true, viaPermission),
    );
  } else {
    signed = await signer.sign(t);
  }
  if (!signed.signature?.length || signed.txID !== t.txID) {
    throw new AppError("internal", "Signing did not produce a signature for this transaction.");
  }
  return {
    txid: signed.txID,
    signedTx: JSON.parse(JSON.stringify(signed)) as SignedTransactionJson,
    expiration: signed.raw_data.expiration,
  };
}

/** tronweb builder errors (thrown strings or Errors) → ChainError / AppError. */
async function building<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof AppError) throw e;
    const msg = typeof e === "string" ? e : e instanceof Error ? e.message : String(e);
    if (
      /timeout|ECONNREFUSED|ECONNRESET|socket hang up|Network Error|status code (403|429|5\d\d)/i.test(msg)
    ) {
      throw new AppError(
        "provider_unavailable",
        "The TRON node is not answering right now. Please try again shortly.",
        {
          details: { error: msg },
        },
      );
    }
    throw chainErrorFromMessage(msg);
  }
}

/** DelegateResourceContract for ENERGY from `owner` to `receiver` (lock on by default). */
export async function buildDelegateEnergy(
  client: TronClient,
  p: { owner: string; receiver: string; sun: bigint; lock?: boolean; lockPeriodBlocks?: number },
  signer: Signer,
  opts: BuildOptions = {},
): Promise<SignedTx> {
  const owner = parseAddress(p.owner);
  const receiver = parseAddress(p.receiver);
  if (p.sun < MIN_DELEGATE_SUN) {
    throw new AppError("invalid_amount", "A delegation must be at least 1 TRX.", {
      details: { sun: String(p.sun) },
    });
  }
  const lock = p.lock ?? true;
  if (
    lock &&
    p.lockPeriodBlocks !== undefined &&
    (!Number.isSafeInteger(p.lockPeriodBlocks) || p.lockPeriodBlocks <= 0)
  ) {
    throw new AppError("bad_request", "The lock period must be a positive number of blocks.");
  }
  const amount = toTronwebNumber(p.sun, "sun");
  const tx = await building(() =>
    client.tronWeb.transactionBuilder.delegateResource(
      amount,
      receiver,
      "ENERGY",
      owner,
      lock,
      lock ? p.lockPeriodBlocks : undefined,
      permissionOption(opts),
    ),
  );
  checkAmount(tx as Tx, "balance", p.sun);
  return signWith(client, tx as Tx, signer, opts);
}

/** UnDelegateResourceContract for ENERGY. */
export async function buildUndelegateEnergy(
  client: TronClient,
  p: { owner: string; receiver: string; sun: bigint },
  signer: Signer,
  opts: BuildOptions = {},
): Promise<SignedTx> {
  const owner = parseAddress(p.owner);
  const receiver = parseAddress(p.receiver);
  const amount = toTronwebNumber(p.sun, "sun");
  const tx = await building(() =>
    client.tronWeb.transactionBuilder.undelegateResource(
      amount,
      receiver,
      "ENERGY",
      owner,
      permissionOption(opts),
    ),
  );
  checkAmount(tx as Tx, "balance", p.sun);
  return signWith(client, tx as Tx, signer, opts);
}

/** TransferContract (TRX). */
export async function buildTrxTransfer(
  client: TronClient,
  p: { from: string; to: string; sun: bigint },
  signer: Signer,
  opts: BuildOptions = {},
): Promise<SignedTx> {
  const from = parseAddress(p.from);
  const to = parseAddress(p.to);
  const amount = toTronwebNumber(p.sun, "sun");
  const tx = await building(() =>
    client.tronWeb.transactionBuilder.sendTrx(to, amount, from, permissionOption(opts)),
  );
  checkAmount(tx as Tx, "amount", p.sun);
  return signWith(client, tx as Tx, signer, opts);
}

/** USDT transfer(address,uint256) via triggersmartcontract, with a fee limit (default 50 TRX). */
export async function buildUsdtTransfer(
  client: TronClient,
  p: { from: string; to: string; amount: bigint; feeLimitSun?: bigint },
  signer: Signer,
  opts: BuildOptions = {},
): Promise<SignedTx> {
  const from = parseAddress(p.from);
  const to = parseAddress(p.to);
  if (p.amount <= 0n) throw new AppError("invalid_amount", "The USDT amount must be positive.");
  const feeLimit = toTronwebNumber(p.feeLimitSun ?? DEFAULT_USDT_FEE_LIMIT_SUN, "feeLimitSun");
  const wrapper = await building(() =>
    client.tronWeb.transactionBuilder.triggerSmartContract(
      client.config.usdtContract,
      "transfer(address,uint256)",
      { feeLimit, callValue: 0, ...permissionOption(opts) },
      [
        { type: "address", value: to },
        { type: "uint256", value: p.amount.toString() },
      ],
      from,
    ),
  );
  if (!wrapper.result?.result || !wrapper.transaction) {
    throw chainErrorFromMessage(wrapper.result?.message ?? wrapper.Error ?? "triggersmartcontract failed");
  }
  const tx = wrapper.transaction as Tx;
  const data = String(contractValue(tx).data ?? "").toLowerCase();
  const expected = `a9059cbb${toHex(to).slice(2).padStart(64, "0")}${p.amount.toString(16).padStart(64, "0")}`;
  if (data !== expected) {
    throw new AppError("internal", "The built USDT transfer does not match the request.", {
      details: { data },
    });
  }
  return signWith(client, tx, signer, opts);
}

const broadcastReply = z.object({
  result: z.boolean().optional(),
  txid: z.string().optional(),
  code: z.string().optional(),
  message: z.string().optional(),
  Error: z.string().optional(),
});

type BroadcastResult = { txid: string; status: "sent" | "duplicate" };

/**
 * Broadcasts a stored signed tx. A duplicate (DUP_TRANSACTION_ERROR / "Dup transaction") of a tx
 * we signed means it was already sent: status "duplicate", not an error. Refusals → ChainError.
 * Transport failure → AppError("provider_unavailable") (look the txid up before re-signing).
 */
export async function broadcast(
  client: TronClient,
  signedTx: SignedTransactionJson | Types.SignedTransaction,
): Promise<BroadcastResult> {
  const txid = (signedTx as { txID?: string }).txID;
  if (!txid || !/^[0-9a-fA-F]{64}$/.test(txid) || !(signedTx as { signature?: string[] }).signature?.length) {
    throw new AppError("bad_request", "Only a signed transaction can be broadcast.");
  }
  const raw = await client.broadcastRaw(signedTx);
  const parsed = broadcastReply.safeParse(raw);
  if (!parsed.success)
    throw new AppError("provider_unavailable", "The TRON node returned an unexpected broadcast reply.");
  const r = parsed.data;
  if (r.result === true) return { txid: r.txid ?? txid, status: "sent" };
  const text = hexToText(r.message ?? r.Error ?? "");
  const kind = classifyChainMessage(text, r.code);
  if (kind === "duplicate") return { txid: r.txid ?? txid, status: "duplicate" };
  throw new ChainError(kind, text || r.code || "broadcast refused", { code: r.code, txid: r.txid ?? txid });
}

type TxStatus = {
  status: "unknown" | "pending" | "included" | "solidified" | "failed";
  /** receipt.result (e.g. SUCCESS, REVERT, OUT_OF_ENERGY) or "" for system contracts. */
  receiptResult: string;
  blockNumber: number | null;
  info: TransactionInfo | null;
  /**
   * It can never be included (only judged when `expiration` is passed): the SOLIDIFIED head is past
   * the expiration and the solidified blocks where it could be hold no such transaction.
   */
  expired: boolean;
};

/** tronweb's lifetime of a transaction it builds: reference block time + 60 s. */
const DEFAULT_TX_LIFETIME_MS = 60_000;
/** Solidified blocks read per request while judging expiry (mainnet blocks are ~300 kB of JSON). */
const EXPIRY_SCAN_PAGE = 10;

function failed(info: TransactionInfo): boolean {
  return info.result === "FAILED" || (info.receipt.result !== "" && info.receipt.result !== "SUCCESS");
}

/** Expiration and build time of a stored signed tx (for `txStatus`'s expiry judgement). */
export function txTimesOf(signedTx: unknown): { expiration?: number; builtAt?: number } {
  const raw = (signedTx as { raw_data?: { expiration?: unknown; timestamp?: unknown } } | null)?.raw_data;
  const n = (v: unknown) => (typeof v === "number" && Number.isFinite(v) && v > 0 ? v : undefined);
  return { expiration: n(raw?.expiration), builtAt: n(raw?.timestamp) };
}

/**
 * Where a txid stands: solidified (in an irreversible block) > included (in a block, head state) >
 * pending > unknown. A failed receipt in a block → "failed".
 *
 * java-tron does not serve its pending pool by id, so a tx that was broadcast but is not in a block
 * yet is simply "not found". Pass the stored `expiration` (and `builtAt`, the tx's
 * raw_data.timestamp, when its lifetime is not tronweb's 60 s) to tell "not yet" from "never":
 * behind one URL (TronGrid) every request may reach a different node, one lagging, one ahead, so a
 * "not found" proves nothing by itself and a head time may come from a node that is ahead. Expiry is
 * therefore judged only from solidified blocks, which no node can answer wrongly — it either has a
 * block or it does not: the solidified head must be at or past the expiration (no later block can
 * hold the tx: a block's parent must be older than the expiration), and every solidified block
 * from the tx's reference time to the first one at or past the expiration must be read and not
 * contain it. Any gap (a lagging node that lacks some of those blocks) → not judged: "pending".
 */
export async function txStatus(
  client: TronClient,
  txid: string,
  opts: { expiration?: number; builtAt?: number } = {},
): Promise<TxStatus> {
  const solid = await client.getTransactionInfo(txid, { solidified: true });
  if (solid) {
    return {
      status: failed(solid) ? "failed" : "solidified",
      receiptResult: solid.receipt.result,
      blockNumber: solid.blockNumber,
      info: solid,
      expired: false,
    };
  }
  const head = await client.getTransactionInfo(txid);
  if (head) {
    return {
      status: failed(head) ? "failed" : "included",
      receiptResult: head.receipt.result,
      blockNumber: head.blockNumber,
      info: head,
      expired: false,
    };
  }
  const pending = {
    status: "pending",
    receiptResult: "",
    blockNumber: null,
    info: null,
    expired: false,
  } as const;
  const tx = await client.getTransaction(txid);
  if (tx) return pending;
  if (opts.expiration === undefined)
    return { status: "unknown", receiptResult: "", blockNumber: null, info: null, expired: false };
  const inBlock = await findInSolidifiedBlocks(
    client,
    txid,
    opts.expiration,
    opts.builtAt ?? opts.expiration - DEFAULT_TX_LIFETIME_MS,
  );
  if (inBlock === "unknown") return pending;
  if (inBlock !== null) return { ...pending, blockNumber: inBlock };
  return { status: "unknown", receiptResult: "", blockNumber: null, info: null, expired: true };
}

/**
 * The solidified block holding `txid` (a number), provably none (null), or "unknown" (the
 * solidified head is not past the expiration yet, or a node answered without some of the blocks).
 */
async function findInSolidifiedBlocks(
  client: TronClient,
  txid: string,
  expiration: number,
  builtAt: number,
): Promise<number | null | "unknown"> {
  const s = await client.getNowBlock({ solidified: true });
  if (s.timestamp < expiration) return "unknown";
  // At most one block per 3 s slot, so the last block at or before `builtAt` has a number at least
  // this: every block that could hold the tx (it must follow its reference block) comes after it.
  let next = Math.max(0, s.number - Math.floor((s.timestamp - Math.min(builtAt, s.timestamp)) / 3000));
  for (;;) {
    if (next > s.number) return "unknown"; // the block at the expiration was not reached
    const end = Math.min(s.number + 1, next + EXPIRY_SCAN_PAGE);
    const blocks = await client.getBlockByLimitNext(next, end, { solidified: true });
    for (const b of blocks.sort((a, c) => a.number - c.number)) {
      if (b.number !== next) return "unknown"; // a gap: this node lacks a block
      if (b.transactions.some((t) => t.txid === txid)) return b.number;
      if (b.timestamp >= expiration) return null; // later blocks cannot hold it
      next++;
    }
    if (blocks.length === 0) return "unknown"; // this node does not have block `next`
  }
}
