import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { type Executor, getDb, isUniqueViolation, rowsOf, type Tx } from "@/db";
import { type PackageStatus, type TransferPackage, transferPackages } from "@/db/schema";
import { packageEnded, watchCheckRequested } from "@/inngest/events";
import type { LeanBlock } from "@/lib/deposits/reader";
import { AppError, fieldErrorsFromZod } from "@/lib/errors";
import { sendEvents } from "@/lib/events";
import { debit, refund } from "@/lib/ledger";
import { logger } from "@/lib/log";
import { createOrder } from "@/lib/orders";
import { getSettings, type Settings } from "@/lib/settings";
import { parseAddress, toHex } from "@/lib/tron/address";
import { type TronClient, tron } from "@/lib/tron/client";
import type { CheckedAddress } from "@/lib/watch";
import { unwatchIfUnused, watchAddress } from "@/lib/watch";

/**
 * Per-transfer packages (笔数): a user buys N USDT transfers from one address at a package price,
 * paid once from the balance (ledger key `package:<userId>:<key>`). The watcher (lib/watch) keeps
 * the address's energy known; after each check cycle, `supplyChecked` delegates enough energy for
 * one USDT transfer (a prepaid order through the order engine, `orders.package_id`, no second
 * debit) whenever the address has less than that and no supply is being delivered. Transfers are
 * counted from the chain: the deposit scanner's hook (`recordPackageUses`, in its crediting
 * transaction) records every successful outgoing USDT transfer of a package's address once by
 * txid. At N counted transfers the package is `completed`; past `ends_at` it is `expired` and the
 * unused share of its price is refunded once by the rule fixed at purchase.
 */

const KEY_RE = /^[\x21-\x7e]{1,150}$/;
const ENERGY_STEP = 1_000n;
const TRANSFER_SELECTOR = "a9059cbb";
/** Recent counted transfers whose energy sizes the next supply. */
const RECENT_USES = 5;

export const packageSources = ["bot", "portal", "api", "admin"] as const;

const buySchema = z.object({
  userId: z.number().int().positive(),
  address: z.string().min(1).max(200),
  transfers: z.number().int().positive().max(10_000),
  source: z.enum(packageSources),
  idempotencyKey: z.string().regex(KEY_RE, "Use 1–150 printable characters."),
});

export type PackageUseView = {
  txid: string;
  blockNumber: number;
  energyUsed: bigint | null;
  createdAt: Date;
};

export type PackageView = TransferPackage & {
  used: number;
  remaining: number;
  /** Supplies delivered or being delivered, and their cost (price − undelivered share). */
  supplies: number;
  supplyCostSun: bigint;
  /** A supply is being delivered. */
  pending: boolean;
  /** Available energy as last read from the chain (null before the first read). */
  energyAvailable: bigint | null;
};

/** The package offers the operator sells (settings `packages.offers`). */
export async function packageOffers() {
  const s = await getSettings();
  return {
    offers: s.packages.offers,
    validityDays: s.packages.validityDays,
    refundPercent: s.packages.refundPercent,
  };
}

/** Refund at expiry: `percent` of the unused transfers' share of the price (floor, in sun). */
export function expiryRefund(
  p: Pick<TransferPackage, "priceSun" | "transfers" | "refundPercent">,
  used: number,
) {
  const unused = BigInt(Math.max(p.transfers - used, 0));
  return (p.priceSun * unused * BigInt(p.refundPercent)) / (BigInt(p.transfers) * 100n);
}

/**
 * Energy the next supply should leave on the address: one USDT transfer — what the address's own
 * recent transfers cost (read from their receipts), at least the operator's USDT figure for a
 * recipient holding USDT (65k on mainnet); rounded up to 1,000.
 */
export function supplyTarget(settings: Settings, recentEnergy: bigint[]): bigint {
  let need = BigInt(settings.usdtEnergyHolder);
  for (const e of recentEnergy) if (e > need) need = e;
  const cap = BigInt(settings.usdtEnergyEmpty);
  if (need > cap) need = cap;
  return ((need + ENERGY_STEP - 1n) / ENERGY_STEP) * ENERGY_STEP;
}

/** Energy one supply delegates: target − available, at least the minimum order, at most the maximum. */
export function supplyEnergy(settings: Settings, target: bigint, available: bigint): bigint {
  let need = target - available;
  if (need < BigInt(settings.energyMin)) need = BigInt(settings.energyMin);
  need = ((need + ENERGY_STEP - 1n) / ENERGY_STEP) * ENERGY_STEP;
  return need > BigInt(settings.energyMax) ? BigInt(settings.energyMax) : need;
}

/**
 * Buys a package (replays the same one for the same idempotency key): the offer must exist, the
 * address be activated and not a contract, one live package per user and address. The debit, the
 * package and the watch mark are one transaction.
 */
export async function buyPackage(
  input: z.input<typeof buySchema>,
): Promise<{ package: PackageView; created: boolean }> {
  const parsed = buySchema.safeParse(input);
  if (!parsed.success)
    throw new AppError("bad_request", "Some package fields are not valid.", {
      fields: fieldErrorsFromZod(parsed.error.issues),
    });
  const i = parsed.data;
  const settings = await getSettings();
  if (settings.maintenance.enabled)
    throw new AppError(
      "maintenance",
      settings.maintenance.message || "Ordering is paused for maintenance. Please try again later.",
    );
  const db = await getDb();
  const existing = await findByKey(db, i.userId, i.idempotencyKey);
  if (existing) return { package: await view(existing), created: false };

  const offer = settings.packages.offers.find((o) => o.transfers === i.transfers);
  if (!offer) {
    const m = "There is no package of that size.";
    throw new AppError("bad_request", m, {
      fields: { transfers: m },
      details: { sizes: settings.packages.offers.map((o) => o.transfers) },
    });
  }
  let address: string;
  try {
    address = parseAddress(i.address);
  } catch (e) {
    const m = e instanceof AppError ? e.message : "Not a TRON address.";
    throw new AppError("invalid_address", m, { fields: { address: m } });
  }
  const acct = await tron().getAccount(address);
  if (!acct.activated) {
    const m = "This address is not activated on TRON yet: send it any amount of TRX first.";
    throw new AppError("not_activated", m, { fields: { address: m } });
  }
  if (acct.isContract) {
    const m = "This is a smart-contract address: energy cannot be delegated to a contract.";
    throw new AppError("invalid_address", m, { fields: { address: m } });
  }
  try {
    const row = await db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext('package'), ${i.userId})`);
      const [live] = await tx
        .select({ id: transferPackages.id })
        .from(transferPackages)
        .where(
          and(
            eq(transferPackages.userId, i.userId),
            eq(transferPackages.address, address),
            eq(transferPackages.status, "active"),
          ),
        );
      if (live) {
        const m = "You already have an active package for this address.";
        throw new AppError("conflict", m, { fields: { address: m }, details: { packageId: live.id } });
      }
      const [r] = await tx
        .insert(transferPackages)
        .values({
          userId: i.userId,
          address,
          transfers: offer.transfers,
          priceSun: offer.priceSun,
          refundPercent: settings.packages.refundPercent,
          source: i.source,
          idempotencyKey: i.idempotencyKey,
          endsAt: sql`now() + make_interval(days => ${settings.packages.validityDays})`,
        })
        .returning();
      await debit(
        {
          userId: i.userId,
          amountSun: offer.priceSun,
          idempotencyKey: `package:${i.userId}:${i.idempotencyKey}`,
          referenceType: "package",
          referenceId: String(r.id),
          memo: `${offer.transfers} transfers for ${address}`,
        },
        tx,
      );
      await watchAddress(address, tx);
      return r;
    });
    await requestCheck("package");
    return { package: await view(row), created: true };
  } catch (e) {
    if (isUniqueViolation(e)) {
      const raced = await findByKey(db, i.userId, i.idempotencyKey);
      if (raced) return { package: await view(raced), created: false };
    }
    throw e;
  }
}

async function findByKey(ex: Executor, userId: number, key: string) {
  const [r] = await ex
    .select()
    .from(transferPackages)
    .where(and(eq(transferPackages.userId, userId), eq(transferPackages.idempotencyKey, key)));
  return r;
}

async function requestCheck(reason: string): Promise<void> {
  const sent = await sendEvents([watchCheckRequested.create({ reason })]);
  if (!sent) logger.warn({ reason }, "could not ask for a watch check; the cron will run it");
}

/**
 * The scanner's hook (inside its crediting transaction, so a crash re-reads the same blocks):
 * records each successful outgoing USDT transfer of an active package's address as one use of
 * that package (the oldest active one for the address with transfers left), once per txid — a
 * block scanned twice counts nothing twice. A package whose uses reach N becomes `completed`.
 * Returns how many uses were recorded.
 */
export async function recordPackageUses(
  ex: Executor,
  blocks: LeanBlock[],
  usdtContract: string,
): Promise<number> {
  if (!usdtContract) return 0;
  const usdtHex = toHex(usdtContract).toLowerCase();
  const found: { owner: string; txid: string; block: number }[] = [];
  for (const b of blocks)
    for (const t of b.txs)
      if (
        t.type === "TriggerSmartContract" &&
        t.ret === "SUCCESS" &&
        t.owner &&
        t.contract?.toLowerCase() === usdtHex &&
        t.data?.toLowerCase().startsWith(TRANSFER_SELECTOR)
      )
        found.push({ owner: t.owner.slice(2).toLowerCase(), txid: t.txid, block: b.number });
  if (!found.length) return 0;
  const owners = [...new Set(found.map((f) => f.owner))];
  const active = rowsOf<{ hex: string }>(
    await ex.execute(sql`select w.hex from watched_addresses w
      where w.hex = any(string_to_array(${owners.join(",")}, ','))
        and exists (select 1 from transfer_packages p where p.address = w.address and p.status = 'active')`),
  );
  if (!active.length) return 0;
  const hexes = new Set(active.map((a) => a.hex));
  let n = 0;
  for (const f of found) {
    if (!hexes.has(f.owner)) continue;
    const rows = rowsOf<{ package_id: number }>(
      await ex.execute(sql`with p as (
          select p.id from transfer_packages p join watched_addresses w on w.address = p.address
          where w.hex = ${f.owner} and p.status = 'active'
            and (select count(*) from package_uses u where u.package_id = p.id) < p.transfers
          order by p.id limit 1 for update of p)
        insert into package_uses (package_id, txid, block_number)
        select p.id, ${f.txid}, ${f.block} from p
        on conflict (txid) do nothing
        returning package_id`),
    );
    if (!rows.length) continue;
    n++;
    const done = rowsOf<{ address: string }>(
      await ex.execute(sql`update transfer_packages p set status = 'completed'
        where p.id = ${rows[0].package_id} and p.status = 'active'
          and (select count(*) from package_uses u where u.package_id = p.id) >= p.transfers
        returning p.address`),
    );
    if (done[0]) await unwatchIfUnused(done[0].address, ex);
  }
  return n;
}

/** Uses, supplies and their cost of each package in `ids`. */
async function statsOf(ex: Executor, ids: number[]) {
  const out = new Map<number, { used: number; supplies: number; costSun: bigint; pending: boolean }>();
  if (!ids.length) return out;
  const list = ids.join(",");
  const rows = rowsOf<{ id: number; used: number; supplies: number; cost: string; pending: boolean }>(
    await ex.execute(sql`select p.id,
        (select count(*)::int from package_uses u where u.package_id = p.id) as used,
        (select count(*)::int from orders o where o.package_id = p.id
          and o.status not in ('failed', 'cancelled', 'refunded')) as supplies,
        (select coalesce(sum(o.price_sun - o.refunded_sun), 0)::text from orders o where o.package_id = p.id) as cost,
        exists (select 1 from orders o where o.package_id = p.id and o.status in ('paid', 'delegating')) as pending
      from transfer_packages p where p.id = any(string_to_array(${list}, ',')::int[])`),
  );
  for (const r of rows)
    out.set(Number(r.id), {
      used: Number(r.used),
      supplies: Number(r.supplies),
      costSun: BigInt(r.cost),
      pending: !!r.pending,
    });
  return out;
}

async function viewsOf(rows: TransferPackage[], ex?: Executor): Promise<PackageView[]> {
  const db = ex ?? (await getDb());
  const stats = await statsOf(
    db,
    rows.map((r) => r.id),
  );
  const addrs = [...new Set(rows.map((r) => r.address))];
  const energy = new Map<string, bigint | null>();
  if (addrs.length) {
    const w = rowsOf<{ address: string; energy_available: string | null }>(
      await db.execute(sql`select address, energy_available from watched_addresses
        where address = any(string_to_array(${addrs.join(",")}, ','))`),
    );
    for (const r of w) energy.set(r.address, r.energy_available == null ? null : BigInt(r.energy_available));
  }
  return rows.map((r) => {
    const s = stats.get(r.id) ?? { used: 0, supplies: 0, costSun: 0n, pending: false };
    return {
      ...r,
      used: s.used,
      remaining: Math.max(r.transfers - s.used, 0),
      supplies: s.supplies,
      supplyCostSun: s.costSun,
      pending: s.pending,
      energyAvailable: energy.get(r.address) ?? null,
    };
  });
}

const view = async (r: TransferPackage) => (await viewsOf([r]))[0];

/** A user's packages, newest first. */
export async function listPackages(userId: number, limit = 50): Promise<PackageView[]> {
  const db = await getDb();
  const rows = await db
    .select()
    .from(transferPackages)
    .where(eq(transferPackages.userId, userId))
    .orderBy(desc(transferPackages.id))
    .limit(Math.min(Math.max(limit, 1), 200));
  return viewsOf(rows, db);
}

/** One of the user's packages (anyone else's: not found). */
export async function getPackage(userId: number, id: number): Promise<PackageView> {
  const db = await getDb();
  const [r] = await db
    .select()
    .from(transferPackages)
    .where(and(eq(transferPackages.id, id), eq(transferPackages.userId, userId)));
  if (!r) throw new AppError("not_found", "Package not found.");
  return view(r);
}

/** The counted transfers of a package (newest first). */
export async function packageUsesOf(userId: number, id: number, limit = 100): Promise<PackageUseView[]> {
  await getPackage(userId, id);
  return usesOf(await getDb(), id, limit);
}

async function usesOf(ex: Executor, id: number, limit: number): Promise<PackageUseView[]> {
  return rowsOf<{
    txid: string;
    block_number: string;
    energy_used: string | null;
    created_at: string | Date;
  }>(
    await ex.execute(sql`select txid, block_number::text, energy_used::text, created_at from package_uses
      where package_id = ${id} order by id desc limit ${Math.min(Math.max(limit, 1), 1000)}`),
  ).map((r) => ({
    txid: r.txid,
    blockNumber: Number(r.block_number),
    energyUsed: r.energy_used == null ? null : BigInt(r.energy_used),
    createdAt: new Date(r.created_at),
  }));
}

/** Console: every package (newest first), optionally by status, with its supplies' cost. */
export async function listAllPackages(opts: { status?: PackageStatus; limit?: number } = {}) {
  const db = await getDb();
  const rows = await db
    .select()
    .from(transferPackages)
    .where(opts.status ? eq(transferPackages.status, opts.status) : undefined)
    .orderBy(desc(transferPackages.id))
    .limit(Math.min(Math.max(opts.limit ?? 100, 1), 500));
  return (await viewsOf(rows, db)).map((p) => ({
    ...p,
    /** What the package brought in (price − expiry refund) minus what its supplies cost. */
    marginSun: p.priceSun - p.refundedSun - p.supplyCostSun,
  }));
}

/**
 * Packages past their validity: `expired`, the unused share refunded once by the rule fixed at
 * purchase (ledger key `package-refund:<id>`), in one transaction per package.
 */
export async function expirePackages(now = new Date()): Promise<number> {
  const db = await getDb();
  const due = await db
    .select({ id: transferPackages.id })
    .from(transferPackages)
    .where(
      and(eq(transferPackages.status, "active"), sql`${transferPackages.endsAt} <= ${now.toISOString()}`),
    );
  let n = 0;
  for (const { id } of due) if (await expireOne(db, id, now)) n++;
  return n;
}

async function expireOne(db: Awaited<ReturnType<typeof getDb>>, id: number, now: Date): Promise<boolean> {
  return db.transaction(async (tx: Tx) => {
    const [p] = await tx
      .select()
      .from(transferPackages)
      .where(
        and(
          eq(transferPackages.id, id),
          eq(transferPackages.status, "active"),
          sql`${transferPackages.endsAt} <= ${now.toISOString()}`,
        ),
      )
      .for("update");
    if (!p) return false;
    const [u] = rowsOf<{ n: number }>(
      await tx.execute(sql`select count(*)::int as n from package_uses where package_id = ${id}`),
    );
    const amount = expiryRefund(p, Number(u?.n ?? 0));
    if (amount > 0n)
      await refund(
        {
          userId: p.userId,
          amountSun: amount,
          idempotencyKey: `package-refund:${p.id}`,
          referenceType: "package",
          referenceId: String(p.id),
          memo: `unused transfers of package ${p.id}`,
        },
        tx,
      );
    await tx
      .update(transferPackages)
      .set({ status: "expired", refundedSun: amount })
      .where(eq(transferPackages.id, id));
    await unwatchIfUnused(p.address, tx);
    return true;
  });
}

export type SupplyOutcome = {
  packageId: number;
  result: "ok" | "pending" | "ordered" | "failed";
  orderId?: number;
  error?: string;
};

/**
 * After a check cycle: every active package whose address has less than one transfer's energy and
 * no supply being delivered gets a supply (prepaid order, idempotency key `pkg:<id>:<n>`, n = its
 * orders so far + 1, so a repeated cycle re-finds the same order). Receipts of counted transfers
 * not read yet are read here (one request each) to size the supply.
 */
export async function supplyChecked(
  checked: CheckedAddress[],
  opts: { now?: Date; client?: TronClient } = {},
): Promise<SupplyOutcome[]> {
  if (!checked.length) return [];
  const now = opts.now ?? new Date();
  const db = await getDb();
  const byAddress = new Map(checked.map((c) => [c.address, c.energyAvailable]));
  const pkgs = await db
    .select()
    .from(transferPackages)
    .where(
      and(
        eq(transferPackages.status, "active"),
        inArray(transferPackages.address, [...byAddress.keys()]),
        sql`${transferPackages.endsAt} > ${now.toISOString()}`,
      ),
    )
    .orderBy(transferPackages.id);
  if (!pkgs.length) return [];
  const settings = await getSettings();
  const client = opts.client ?? tron();
  const out: SupplyOutcome[] = [];
  const served = new Set<string>();
  for (const p of pkgs) {
    // one package supplies an address at a time (the oldest); the others wait their turn
    if (served.has(p.address)) continue;
    served.add(p.address);
    out.push(await supplyOne(p, byAddress.get(p.address) ?? 0n, settings, client));
  }
  return out;
}

async function readUseEnergy(client: TronClient, packageId: number): Promise<bigint[]> {
  const db = await getDb();
  const uses = rowsOf<{ txid: string; energy_used: string | null }>(
    await db.execute(sql`select txid, energy_used::text from package_uses where package_id = ${packageId}
      order by id desc limit ${RECENT_USES}`),
  );
  const out: bigint[] = [];
  for (const u of uses) {
    if (u.energy_used != null) {
      out.push(BigInt(u.energy_used));
      continue;
    }
    try {
      const info = await client.getTransactionInfo(u.txid);
      if (!info) continue;
      const e = info.receipt.energyUsageTotal;
      await db.execute(sql`update package_uses set energy_used = ${e} where txid = ${u.txid}`);
      out.push(e);
    } catch (e) {
      logger.warn({ txid: u.txid, error: (e as Error).message }, "package: could not read a receipt");
    }
  }
  return out;
}

async function supplyOne(
  p: TransferPackage,
  available: bigint,
  settings: Settings,
  client: TronClient,
): Promise<SupplyOutcome> {
  const db = await getDb();
  const [st] = rowsOf<{ n: number; pending: boolean }>(
    await db.execute(sql`select count(*)::int as n,
        coalesce(bool_or(status in ('paid', 'delegating')), false) as pending
      from orders where package_id = ${p.id}`),
  );
  if (st?.pending) return { packageId: p.id, result: "pending" };
  const target = supplyTarget(settings, await readUseEnergy(client, p.id));
  if (available >= target) return { packageId: p.id, result: "ok" };
  const energy = supplyEnergy(settings, target, available);
  try {
    const { order } = await createOrder({
      userId: p.userId,
      receiver: p.address,
      energy,
      duration: settings.packages.supplyDuration,
      source: p.source as (typeof packageSources)[number],
      idempotencyKey: `pkg:${p.id}:${Number(st?.n ?? 0) + 1}`,
      packageId: p.id,
    });
    await db.update(transferPackages).set({ lastError: null }).where(eq(transferPackages.id, p.id));
    return { packageId: p.id, result: "ordered", orderId: order.id };
  } catch (e) {
    const msg = (e as Error).message;
    logger.warn({ packageId: p.id, error: msg }, "package supply not placed");
    await db
      .update(transferPackages)
      .set({ lastError: msg.slice(0, 500) })
      .where(eq(transferPackages.id, p.id));
    return { packageId: p.id, result: "failed", error: msg };
  }
}

/**
 * Addresses of active packages to read again: the last due supply could not be placed, or the last
 * supply ended (reclaimed, failed, refunded) since the address was last read — its energy may be
 * gone without the address having sent anything. Marked for a re-read so the next cycle supplies it.
 */
export async function markPackageRetries(): Promise<number> {
  const db = await getDb();
  const rows = rowsOf<{ n: number }>(
    await db.execute(sql`with m as (update watched_addresses w set dirty = true
        where not w.dirty and exists (select 1 from transfer_packages p
          where p.address = w.address and p.status = 'active'
            and (p.last_error is not null
              or (not exists (select 1 from orders o where o.package_id = p.id
                    and o.status in ('paid', 'delegating', 'active', 'reclaiming'))
                  and exists (select 1 from orders o where o.package_id = p.id
                    and o.updated_at > coalesce(w.checked_at, '-infinity'::timestamptz)))))
        returning 1) select count(*)::int as n from m`),
  );
  return Number(rows[0]?.n ?? 0);
}

/**
 * Tells the users whose packages ended (completed or expired) and were not told yet: marks them and
 * sends `package/ended` (event id `package-ended-<id>`, so a repeated send is one message). Marks
 * are cleared again when the send fails, for the next minute.
 */
export async function announceEndedPackages(): Promise<number> {
  const db = await getDb();
  const rows = await db
    .update(transferPackages)
    .set({ endNotifiedAt: new Date() })
    .where(
      and(
        inArray(transferPackages.status, ["completed", "expired"]),
        sql`${transferPackages.endNotifiedAt} is null`,
      ),
    )
    .returning({ id: transferPackages.id, userId: transferPackages.userId, status: transferPackages.status });
  if (!rows.length) return 0;
  const sent = await sendEvents(
    rows.map((r) =>
      packageEnded.create(
        { packageId: r.id, userId: r.userId, status: r.status as "completed" | "expired" },
        { id: `package-ended-${r.id}` },
      ),
    ),
  );
  if (!sent)
    await db
      .update(transferPackages)
      .set({ endNotifiedAt: null })
      .where(
        inArray(
          transferPackages.id,
          rows.map((r) => r.id),
        ),
      );
  return sent ? rows.length : 0;
}
