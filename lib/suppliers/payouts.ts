import { and, desc, eq, inArray, isNull, lt, sql } from "drizzle-orm";
import type { Types } from "tronweb";
import { z } from "zod";
import { getDb, rowsOf, type Tx } from "@/db";
import { type SupplierPayout, supplierPayouts, supplierProfiles, users } from "@/db/schema";
import { supplierPayoutApproved } from "@/inngest/events";
import { raiseAlert } from "@/lib/alerts";
import { writeAudit } from "@/lib/audit";
import { AppError } from "@/lib/errors";
import { sendEvents } from "@/lib/events";
import { post } from "@/lib/ledger";
import { logger } from "@/lib/log";
import { formatTrx } from "@/lib/money";
import { getSettings } from "@/lib/settings";
import { rentalAddress, rentalSigner } from "@/lib/transfers/address";
import { type TronClient, tron } from "@/lib/tron/client";
import { ChainError } from "@/lib/tron/errors";
import { broadcast, buildTrxTransfer, txStatus, txTimesOf } from "@/lib/tron/tx";

/**
 * Supplier payouts in TRX (docs/suppliers.md). A payout is debited from the supplier's balance
 * when it is requested (`supplier_payout`, key `supplier:payout:<id>`, in the transaction that
 * inserts it), never more than what they earned and have not been paid (`withdrawable`): a
 * supplier's own deposits are never paid out. At or below settings `suppliers.payoutAutoMaxSun` it
 * is approved at once; otherwise it waits in the console's queue. An approved payout is paid from
 * the platform's rental address (m/44'/195'/0'/1/0 of the deposit account; its key is the worker's
 * alone) with the store-before-broadcast steps of every transaction: sign → store → broadcast →
 * confirm, re-signed only once the stored one provably expired. A rejected or failed payout is
 * returned to the balance once (`supplier_payout_return`, key `supplier:payout:return:<id>`).
 */

export const payoutKey = (id: number) => `supplier:payout:${id}`;
export const payoutReturnKey = (id: number) => `supplier:payout:return:${id}`;

/**
 * What the supplier may still be paid: their earnings and repaid transaction fees less payouts not
 * returned, at most their balance.
 */
export async function withdrawableSun(userId: number, ex?: Tx): Promise<bigint> {
  const db = ex ?? (await getDb());
  const [r] = rowsOf<{ earned: string; paid: string; balance: string }>(
    await db.execute(sql`select
      (select coalesce(sum(earning_sun), 0) from supplier_earnings where supplier_user_id = ${userId})
        + (select coalesce(sum(fee_sun), 0) from wallet_tx_costs
          where supplier_user_id = ${userId} and repaid_entry_id is not null) as earned,
      (select coalesce(sum(amount_sun), 0) from supplier_payouts where supplier_user_id = ${userId}
        and status not in ('rejected', 'failed')) as paid,
      (select balance_sun from users where id = ${userId}) as balance`),
  );
  if (r.balance == null) throw new AppError("not_found", "User not found.");
  const left = BigInt(r.earned) - BigInt(r.paid);
  const balance = BigInt(r.balance);
  const w = left < balance ? left : balance;
  return w > 0n ? w : 0n;
}

const requestSchema = z.object({ amountSun: z.bigint().positive() });

/**
 * A payout of `amountSun` to the supplier's payout address: debited now; approved at once at or
 * below the automatic limit, else pending for an operator. The user row is locked first so two
 * requests never both pass the withdrawable check.
 */
export async function requestPayout(
  userId: number,
  input: { amountSun: bigint },
  opts: { automatic?: boolean } = {},
): Promise<SupplierPayout> {
  const p = requestSchema.safeParse(input);
  if (!p.success)
    throw new AppError("invalid_amount", "Enter an amount of TRX greater than zero.", {
      fields: { amount: "Must be greater than zero." },
    });
  const { suppliers } = await getSettings();
  if (p.data.amountSun < suppliers.payoutMinSun)
    throw new AppError("invalid_amount", `The smallest payout is ${formatTrx(suppliers.payoutMinSun)}.`, {
      fields: { amount: "Too small." },
    });
  const db = await getDb();
  const payout = await db.transaction(async (tx) => {
    const [u] = await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for("update");
    if (!u) throw new AppError("not_found", "User not found.");
    const [profile] = await tx.select().from(supplierProfiles).where(eq(supplierProfiles.userId, userId));
    if (!profile) throw new AppError("invalid_state", "Only suppliers can request a payout.");
    if (!profile.payoutAddress)
      throw new AppError("invalid_state", "Set your payout address first.", {
        fields: { payoutAddress: "Required." },
      });
    const can = await withdrawableSun(userId, tx);
    if (p.data.amountSun > can)
      throw new AppError("insufficient_balance", `You can be paid at most ${formatTrx(can)} now.`, {
        details: { withdrawableSun: can.toString() },
      });
    const approved = p.data.amountSun <= suppliers.payoutAutoMaxSun;
    const [row] = await tx
      .insert(supplierPayouts)
      .values({
        supplierUserId: userId,
        amountSun: p.data.amountSun,
        toAddress: profile.payoutAddress,
        status: approved ? "approved" : "pending",
        automatic: opts.automatic ?? false,
        decidedAt: approved ? new Date() : null,
      })
      .returning();
    const { entry } = await post(
      {
        userId,
        type: "supplier_payout",
        amountSun: -p.data.amountSun,
        idempotencyKey: payoutKey(row.id),
        referenceType: "supplier_payout",
        referenceId: String(row.id),
        memo: `supplier payout #${row.id} to ${profile.payoutAddress}`,
      },
      tx,
    );
    const [done] = await tx
      .update(supplierPayouts)
      .set({ debitEntryId: entry.id })
      .where(eq(supplierPayouts.id, row.id))
      .returning();
    return done;
  });
  if (payout.status === "approved") await announcePayouts([payout.id], "approved");
  return payout;
}

/** After the commit: one supplier/payout.approved per id (never throws; the sweep re-sends). */
export async function announcePayouts(ids: number[], phase: string): Promise<void> {
  if (!ids.length) return;
  await sendEvents(
    ids.map((id) =>
      supplierPayoutApproved.create({ payoutId: id }, { id: `supplier-payout-${id}-${phase}` }),
    ),
  );
}

async function returnPayout(tx: Tx, row: SupplierPayout, status: "rejected" | "failed", why: string) {
  const { entry } = await post(
    {
      userId: row.supplierUserId,
      type: "supplier_payout_return",
      amountSun: row.amountSun,
      idempotencyKey: payoutReturnKey(row.id),
      referenceType: "supplier_payout",
      referenceId: String(row.id),
      memo: `supplier payout #${row.id} ${status}`,
    },
    tx,
  );
  await tx
    .update(supplierPayouts)
    .set({
      status,
      returnEntryId: entry.id,
      ...(status === "failed" ? { error: why.slice(0, 1000) } : { reason: why }),
    })
    .where(eq(supplierPayouts.id, row.id));
}

const decideSchema = z.object({
  payoutId: z.number().int().positive(),
  approve: z.boolean(),
  reason: z.string().trim().max(500).optional(),
  adminId: z.number().int().positive(),
});

/** An operator approves a pending payout (it is paid next) or rejects it (returned to the balance). */
export async function decidePayout(input: z.input<typeof decideSchema>): Promise<SupplierPayout> {
  const p = decideSchema.safeParse(input);
  if (!p.success) throw new AppError("bad_request", "Invalid decision.");
  if (!p.data.approve && !p.data.reason)
    throw new AppError("bad_request", "Say why the payout is rejected.", { fields: { reason: "Required." } });
  const db = await getDb();
  const row = await db.transaction(async (tx) => {
    const [r] = await tx
      .select()
      .from(supplierPayouts)
      .where(eq(supplierPayouts.id, p.data.payoutId))
      .for("update");
    if (!r) throw new AppError("not_found", "Payout not found.");
    if (r.status !== "pending")
      throw new AppError("invalid_state", `This payout is ${r.status}; it cannot be decided now.`);
    const decided = { decidedByAdminId: p.data.adminId, decidedAt: new Date() };
    if (p.data.approve)
      await tx
        .update(supplierPayouts)
        .set({ status: "approved", ...decided })
        .where(eq(supplierPayouts.id, r.id));
    else {
      await tx.update(supplierPayouts).set(decided).where(eq(supplierPayouts.id, r.id));
      await returnPayout(tx, r, "rejected", p.data.reason as string);
    }
    await writeAudit(tx, {
      adminId: p.data.adminId,
      action: p.data.approve ? "supplier.payout.approve" : "supplier.payout.reject",
      targetType: "supplier_payout",
      targetId: String(r.id),
      after: { amountSun: r.amountSun.toString(), toAddress: r.toAddress, reason: p.data.reason ?? null },
    });
    const [out] = await tx.select().from(supplierPayouts).where(eq(supplierPayouts.id, r.id));
    return out;
  });
  if (row.status === "approved") await announcePayouts([row.id], "approved");
  return row;
}

export type PayoutState = {
  state: "signed" | "sent" | "pending" | "resign" | "confirmed" | "failed" | "none";
};

const PAYING = ["approved", "signed", "broadcast"] as const;

async function load(id: number): Promise<SupplierPayout> {
  const db = await getDb();
  const [r] = await db.select().from(supplierPayouts).where(eq(supplierPayouts.id, id));
  if (!r) throw new AppError("not_found", `Payout ${id} not found.`);
  return r;
}

const settled = (r: SupplierPayout): PayoutState => ({
  state: r.status === "confirmed" ? "confirmed" : r.status === "failed" ? "failed" : "none",
});

/** The payout failed for good: the amount goes back to the supplier's balance once, with an alert. */
export async function failPayout(id: number, error: string): Promise<PayoutState> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [r] = await tx.select().from(supplierPayouts).where(eq(supplierPayouts.id, id)).for("update");
    if (!r || !(PAYING as readonly string[]).includes(r.status)) return;
    await returnPayout(tx, r, "failed", error);
  });
  logger.error({ payoutId: id, error }, "supplier payout failed");
  await raiseAlert({
    rule: "supplier_payout_failed",
    dedupeKey: `supplier-payout:${id}`,
    severity: "warning",
    message: `Supplier payout #${id} failed (${error.slice(0, 300)}); the amount was returned to the supplier's balance.`,
    details: { payoutId: id },
  }).catch(() => {});
  return { state: "failed" };
}

/** Signs the payout and stores it (once; a stored, unexpired one is kept). */
export async function signPayout(id: number, client: TronClient = tron()): Promise<PayoutState> {
  const r = await load(id);
  if (!(PAYING as readonly string[]).includes(r.status)) return settled(r);
  if (r.txid) return { state: "signed" };
  let signed: Awaited<ReturnType<typeof buildTrxTransfer>>;
  try {
    signed = await buildTrxTransfer(
      client,
      { from: rentalAddress(), to: r.toAddress, sun: r.amountSun },
      rentalSigner(client),
    );
  } catch (e) {
    if (e instanceof ChainError) return failPayout(id, e.chainMessage || e.message);
    throw e;
  }
  const db = await getDb();
  await db
    .update(supplierPayouts)
    .set({
      status: "signed",
      txid: signed.txid,
      signedTx: signed.signedTx,
      txExpiresAt: new Date(signed.expiration),
      attempt: r.attempt + 1,
    })
    .where(
      and(
        eq(supplierPayouts.id, id),
        inArray(supplierPayouts.status, ["approved", "signed"]),
        isNull(supplierPayouts.txid),
      ),
    );
  return { state: "signed" }; // whichever stored first is the one broadcast
}

/** Broadcasts the stored payout (a duplicate counts as sent). */
export async function broadcastPayout(id: number, client: TronClient = tron()): Promise<PayoutState> {
  const r = await load(id);
  if (!(PAYING as readonly string[]).includes(r.status)) return settled(r);
  if (!r.signedTx) return { state: "resign" };
  try {
    await broadcast(client, r.signedTx as Types.SignedTransaction);
  } catch (e) {
    if (e instanceof ChainError) {
      // expired / TaPoS prove nothing about inclusion: look it up
      if (e.kind === "expired" || e.kind === "tapos" || e.kind === "server_busy") return { state: "sent" };
      return failPayout(id, e.chainMessage || e.message);
    }
    throw e;
  }
  const db = await getDb();
  await db
    .update(supplierPayouts)
    .set({ status: "broadcast" })
    .where(
      and(
        eq(supplierPayouts.id, id),
        eq(supplierPayouts.status, "signed"),
        eq(supplierPayouts.txid, r.txid as string),
      ),
    );
  return { state: "sent" };
}

/** Looks the stored payout up: in a block → confirmed; provably expired → re-sign; else pending. */
export async function checkPayout(id: number, client: TronClient = tron()): Promise<PayoutState> {
  const r = await load(id);
  if (!(PAYING as readonly string[]).includes(r.status)) return settled(r);
  if (!r.txid) return { state: "resign" };
  const st = await txStatus(client, r.txid, txTimesOf(r.signedTx));
  const db = await getDb();
  if (st.status === "included" || st.status === "solidified") {
    await db
      .update(supplierPayouts)
      .set({ status: "confirmed", confirmedAt: new Date(), blockNumber: st.blockNumber ?? null })
      .where(and(eq(supplierPayouts.id, id), eq(supplierPayouts.txid, r.txid)));
    logger.info({ payoutId: id, txid: r.txid }, "supplier payout confirmed");
    return { state: "confirmed" };
  }
  if (st.status === "failed") return failPayout(id, `payout ${r.txid} failed on chain (${st.receiptResult})`);
  if (st.expired) {
    await db
      .update(supplierPayouts)
      .set({ status: "approved", txid: null, signedTx: null, txExpiresAt: null })
      .where(and(eq(supplierPayouts.id, id), eq(supplierPayouts.txid, r.txid)));
    return { state: "resign" };
  }
  return { state: "pending" };
}

/**
 * The sweep: open payouts (approved, signed or broadcast) untouched for `staleMs` are announced
 * again; suppliers whose withdrawable amount reached `suppliers.payoutAutoAboveSun` get an
 * automatic payout of all of it (approved or queued by the same limit as a request).
 */
export async function sweepPayouts(staleMs = 5 * 60_000): Promise<{ resent: number[]; automatic: number[] }> {
  const db = await getDb();
  const stale = await db
    .select({ id: supplierPayouts.id })
    .from(supplierPayouts)
    .where(
      and(
        inArray(supplierPayouts.status, [...PAYING]),
        lt(supplierPayouts.updatedAt, new Date(Date.now() - staleMs)),
      ),
    );
  await announcePayouts(
    stale.map((s) => s.id),
    `sweep-${Math.floor(Date.now() / staleMs)}`,
  );
  const { suppliers } = await getSettings();
  const automatic: number[] = [];
  if (suppliers.payoutAutoAboveSun > 0n) {
    const due = await db
      .select({ userId: supplierProfiles.userId })
      .from(supplierProfiles)
      .innerJoin(users, eq(users.id, supplierProfiles.userId))
      .where(
        and(
          sql`${supplierProfiles.payoutAddress} is not null`,
          sql`${users.balanceSun} >= ${suppliers.payoutAutoAboveSun}`,
          sql`not exists (select 1 from supplier_payouts p where p.supplier_user_id = ${supplierProfiles.userId} and p.status in ('pending', 'approved', 'signed', 'broadcast'))`,
        ),
      );
    for (const d of due) {
      const amount = await withdrawableSun(d.userId);
      if (amount < suppliers.payoutAutoAboveSun || amount < suppliers.payoutMinSun) continue;
      try {
        automatic.push((await requestPayout(d.userId, { amountSun: amount }, { automatic: true })).id);
      } catch (e) {
        logger.warn({ userId: d.userId, err: (e as Error).message }, "automatic supplier payout not made");
      }
    }
  }
  return { resent: stale.map((s) => s.id), automatic };
}

/** A supplier's payouts, newest first. */
export async function listPayouts(
  opts: { userId?: number; status?: SupplierPayout["status"][]; limit?: number } = {},
) {
  const db = await getDb();
  const where = and(
    opts.userId ? eq(supplierPayouts.supplierUserId, opts.userId) : undefined,
    opts.status?.length ? inArray(supplierPayouts.status, opts.status) : undefined,
  );
  return db
    .select()
    .from(supplierPayouts)
    .where(where)
    .orderBy(desc(supplierPayouts.id))
    .limit(Math.min(opts.limit ?? 50, 500));
}
