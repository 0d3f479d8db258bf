import { asc, eq, gt, sql } from "drizzle-orm";
import { TronWeb } from "tronweb";
import { type Db, type Executor, getDb, isUniqueViolation } from "@/db";
import { depositAddresses, users } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/log";
import { tron, type TronClient } from "@/lib/tron/client";
import { addressFromXpub, depositXpub } from "./derive";

/**
 * Deposit addresses: one per user, the next derivation index on first need.
 *
 * The scanner keeps every deposit address in an in-memory Map (address → ids), loaded once and then
 * topped up with the rows added since the highest id seen, so matching a transfer is one hash
 * lookup however many users there are.
 */

export type AddressEntry = { id: number; userId: number; index: number };
/** base58 → entry, and the 20-byte body as 40 lowercase hex (as in TRC20 log topics) → entry. */
export type AddressMaps = { byAddress: Map<string, AddressEntry>; byEvmHex: Map<string, AddressEntry> };

/**
 * The chain's head block now, for recording with a new address (the scanner never starts after it).
 * Never fails address creation: a node that does not answer within 2 s gives null (the scanner then
 * counts from the address's creation time).
 */
async function headBlockNow(client?: TronClient): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const head = await Promise.race([
      (client ?? tron()).getNowBlock(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error("timeout")), 2_000);
      }),
    ]);
    return head.number;
  } catch (e) {
    logger.warn(
      { error: (e as Error).message },
      "deposit address: the node's head block is unknown; recorded without it",
    );
    return null;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The user's deposit address, creating it (next index) on first call, with the chain's head block
 * at that moment. Safe under concurrency.
 */
export async function getOrCreateDepositAddress(
  userId: number,
  opts: { client?: TronClient } = {},
): Promise<{ address: string; index: number }> {
  if (!Number.isSafeInteger(userId) || userId <= 0) throw new AppError("bad_request", "Invalid user.");
  const db = await getDb();
  const xpub = depositXpub();
  let firstBlock: number | null | undefined;
  for (let attempt = 0; attempt < 8; attempt++) {
    const [existing] = await db
      .select({ address: depositAddresses.address, index: depositAddresses.derivationIndex })
      .from(depositAddresses)
      .where(eq(depositAddresses.userId, userId));
    if (existing) return existing;
    const [u] = await db.select({ id: users.id }).from(users).where(eq(users.id, userId));
    if (!u) throw new AppError("not_found", "User not found.");
    const [{ next }] = await db
      .select({ next: sql<number>`coalesce(max(${depositAddresses.derivationIndex}), -1) + 1` })
      .from(depositAddresses);
    const index = Number(next);
    const address = addressFromXpub(xpub, index);
    if (firstBlock === undefined) firstBlock = await headBlockNow(opts.client);
    try {
      await db.insert(depositAddresses).values({ userId, derivationIndex: index, address, firstBlock });
      logger.info({ userId, index, address }, "deposit address assigned");
      return { address, index };
    } catch (e) {
      // Another request took this index (or created this user's address): read again and retry.
      if (!isUniqueViolation(e)) throw e;
    }
  }
  throw new AppError("conflict", "Could not assign a deposit address; please try again.");
}

export async function getDepositAddressOf(
  userId: number,
  ex?: Executor,
): Promise<{ id: number; address: string; index: number } | null> {
  const db = ex ?? (await getDb());
  const [row] = await db
    .select({
      id: depositAddresses.id,
      address: depositAddresses.address,
      index: depositAddresses.derivationIndex,
    })
    .from(depositAddresses)
    .where(eq(depositAddresses.userId, userId));
  return row ?? null;
}

// ---------------------------------------------------------------- in-memory address set

type AddressSet = AddressMaps & { db: Db | null; maxId: number };
const g = globalThis as unknown as { __tehDepositAddressSet?: AddressSet };
const set = (): AddressSet => {
  g.__tehDepositAddressSet ??= { db: null, byAddress: new Map(), byEvmHex: new Map(), maxId: 0 };
  return g.__tehDepositAddressSet;
};

/** Loads deposit addresses added since the last call (all of them the first time, or after a DB switch). */
export async function refreshAddressSet(): Promise<AddressMaps> {
  const db = await getDb();
  const s = set();
  if (s.db !== db) {
    s.db = db;
    s.byAddress = new Map();
    s.byEvmHex = new Map();
    s.maxId = 0;
  }
  const PAGE = 20_000;
  for (;;) {
    const rows = await db
      .select({
        id: depositAddresses.id,
        userId: depositAddresses.userId,
        index: depositAddresses.derivationIndex,
        address: depositAddresses.address,
      })
      .from(depositAddresses)
      .where(gt(depositAddresses.id, s.maxId))
      .orderBy(asc(depositAddresses.id))
      .limit(PAGE);
    for (const r of rows) {
      const e = { id: r.id, userId: r.userId, index: r.index };
      if (r.id > s.maxId) s.maxId = r.id;
      let hex: string;
      try {
        hex = TronWeb.address.toHex(r.address).slice(2).toLowerCase();
      } catch {
        // Rows are written only by our own derivation; a corrupt one must not stop every user's credits.
        logger.error({ depositAddressId: r.id }, "deposit address row is not a valid TRON address; skipped");
        continue;
      }
      s.byAddress.set(r.address, e);
      s.byEvmHex.set(hex, e);
    }
    if (rows.length < PAGE) break;
  }
  return { byAddress: s.byAddress, byEvmHex: s.byEvmHex };
}

/** Forgets the in-memory set (tests and the bench after bulk changes). */
export function resetAddressSet(): void {
  g.__tehDepositAddressSet = undefined;
}
