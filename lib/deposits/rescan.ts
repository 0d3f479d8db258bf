import { eq } from "drizzle-orm";
import { getDb } from "@/db";
import { depositAddresses } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/log";
import { getSettings } from "@/lib/settings";
import { type TronClient, tron } from "@/lib/tron/client";
import type { AddressEntry, AddressMaps } from "./addresses";
import { recordAndSettle } from "./credit";
import { findDeposits, scanReader } from "./find";
import { publishCreditedDeposits } from "./notify";

/** Blocks one rescan request may cover (about 8 hours of mainnet). */
export const MAX_RESCAN_BLOCKS = 10_000;

type RescanResult = {
  from: number;
  to: number;
  found: number;
  credited: number;
  belowMinimum: number;
};

/**
 * Reads solidified blocks [from, to] again for ONE deposit address and records and credits what it
 * finds, exactly once (the same (txid, log index) keys as the scanner: a deposit already credited is
 * left alone). For deposits the scanner could not see (it started later, a node without internal
 * transactions, …). At most MAX_RESCAN_BLOCKS per call; `to` must be solidified.
 */
export async function rescanAddress(p: {
  depositAddressId: number;
  from: number;
  to: number;
  client?: TronClient;
}): Promise<RescanResult> {
  const client = p.client ?? tron();
  if (!Number.isSafeInteger(p.from) || !Number.isSafeInteger(p.to) || p.from < 0 || p.to < p.from)
    throw new AppError("bad_request", "Give a block range: from ≤ to, both whole block numbers.");
  if (p.to - p.from + 1 > MAX_RESCAN_BLOCKS)
    throw new AppError("bad_request", `Rescan at most ${MAX_RESCAN_BLOCKS} blocks at a time.`);
  const db = await getDb();
  const [a] = await db.select().from(depositAddresses).where(eq(depositAddresses.id, p.depositAddressId));
  if (!a) throw new AppError("not_found", "No such deposit address.");
  const reader = scanReader(client);
  const solid = await reader.nowBlock(true);
  if (p.to > solid.number)
    throw new AppError(
      "bad_request",
      `Block ${p.to} is not solidified yet (solidified head ${solid.number}).`,
    );
  const entry: AddressEntry = { id: a.id, userId: a.userId, index: a.derivationIndex };
  const hex = client.tronWeb.address.toHex(a.address).toLowerCase();
  const maps: AddressMaps = {
    byAddress: new Map([[a.address, entry]]),
    byEvmHex: new Map([[hex.slice(2), entry]]),
  };
  const out: RescanResult = { from: p.from, to: p.to, found: 0, credited: 0, belowMinimum: 0 };
  const s = await getSettings();
  for (let start = p.from; start <= p.to; start += 500) {
    const end = Math.min(p.to, start + 499);
    const { found } = await findDeposits(client, start, end, maps, { receipts: true, reader });
    out.found += found.length;
    const r = await recordAndSettle(db, found, s);
    out.credited += r.credited;
    out.belowMinimum += r.belowMinimum;
  }
  logger.info({ depositAddressId: a.id, ...out }, "deposit rescan");
  await publishCreditedDeposits(db);
  return out;
}
