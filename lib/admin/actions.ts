import { randomUUID } from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db";
import { delegations, users } from "@/db/schema";
import { delegationExpired, depositRescanRequested } from "@/inngest/events";
import { resolveAlert } from "@/lib/alerts";
import { getDepositAddressOf, MAX_RESCAN_BLOCKS, scannerStatus, setScanCursor } from "@/lib/deposits";
import { writeAudit } from "@/lib/audit";
import { AppError, fieldErrorsFromZod } from "@/lib/errors";
import { sendEvents } from "@/lib/events";
import { adjust } from "@/lib/ledger";
import { parseTrx } from "@/lib/money";
import { cancelOrder, getOrder, refundOrder, retryOrder } from "@/lib/orders";
import { importWallet, refreshWallet, removeWallet, setWalletPriority, setWalletStatus } from "@/lib/pool";
import { reconcileChain } from "@/lib/reconcile";
import { type SettingsInput, updateSettings } from "@/lib/settings";
import { setAdminDisabled, setAdminRole } from "./admins";
import { type AdminContext, authorize, createAdmin } from "./auth";
import type { Permission } from "./permissions";

/**
 * Every mutating admin action, as `(ctx, input) → result`: the permission is checked FIRST (before
 * the input is even parsed), then the input is parsed with zod, then one lib/ function does the
 * work and the audit row is written. Server actions and routes only add the session lookup.
 */
export type AdminAction<I, R> = ((ctx: AdminContext | null, input: unknown) => Promise<R>) & {
  permission: Permission;
  schema: z.ZodType<I>;
};

function defineAction<S extends z.ZodType, R>(
  permission: Permission,
  schema: S,
  run: (ctx: AdminContext, input: z.output<S>) => Promise<R>,
): AdminAction<z.output<S>, R> {
  const fn = async (ctx: AdminContext | null, input: unknown) => {
    const c = authorize(ctx, permission);
    const p = schema.safeParse(input);
    if (!p.success)
      throw new AppError("bad_request", "Some fields are missing or invalid.", {
        fields: fieldErrorsFromZod(p.error.issues),
      });
    return run(c, p.data);
  };
  return Object.assign(fn, { permission, schema: schema as unknown as z.ZodType<z.output<S>> });
}

const id = z.coerce.number().int().positive();
const reason = z.string().trim().min(3, "Give a reason (at least 3 characters).").max(500);

// ------------------------------------------------------------------------------------ orders

/**
 * Re-sends order/paid. The answer says what happened: when the job queue did not take the event,
 * the action fails with that (the audit row records `sent: false`; the safety sweep re-sends later).
 */
export const retryOrderAction = defineAction("orders.retry", z.object({ orderId: id }), async (ctx, i) => {
  const r = await retryOrder({ orderId: i.orderId });
  await writeAudit(await getDb(), {
    adminId: ctx.admin.id,
    action: "order.retry",
    targetType: "order",
    targetId: String(i.orderId),
    after: r,
    ip: ctx.ip,
  });
  if (!r.sent)
    throw new AppError(
      "provider_unavailable",
      "Not sent: the job queue (Inngest) is not reachable. The retry is recorded, and the safety sweep sends it once the queue is back; /api/health shows its state.",
    );
  return r;
});

export const refundOrderAction = defineAction(
  "orders.refund",
  z.object({ orderId: id, reason }),
  async (ctx, i) => {
    // lib/orders writes the ledger row (once per order) and the audit row in one transaction.
    const o = await refundOrder({ orderId: i.orderId, reason: i.reason, adminId: ctx.admin.id });
    return { orderId: o.id, status: o.status };
  },
);

export const cancelOrderAction = defineAction(
  "orders.cancel",
  z.object({ orderId: id, reason: reason.optional() }),
  async (ctx, i) => {
    const before = await getOrder({ orderId: i.orderId });
    if (before.status !== "paid")
      throw new AppError(
        "invalid_state",
        `Only a paid order can be cancelled; this one is ${before.status}.`,
      );
    const o = await cancelOrder({ orderId: i.orderId, reason: i.reason ?? "cancelled by operator" });
    await writeAudit(await getDb(), {
      adminId: ctx.admin.id,
      action: "order.cancel",
      targetType: "order",
      targetId: String(o.id),
      before: { status: before.status },
      after: { status: o.status, reason: i.reason ?? null },
      ip: ctx.ip,
    });
    return { orderId: o.id, status: o.status };
  },
);

/** Sends delegation/expired now for every delegation of the order that is still out. */
export const reclaimOrderAction = defineAction(
  "orders.reclaim",
  z.object({ orderId: id }),
  async (ctx, i) => {
    const o = await getOrder({ orderId: i.orderId });
    const due = o.delegations.filter((d) => d.status === "confirmed" || d.status === "reclaiming");
    if (!due.length) throw new AppError("invalid_state", "This order has no delegation to reclaim.");
    const stamp = Date.now();
    const sent = await sendEvents(
      due.map((d) =>
        delegationExpired.create({ delegationId: d.id }, { id: `delegation-reclaim-now-${d.id}-${stamp}` }),
      ),
    );
    await writeAudit(await getDb(), {
      adminId: ctx.admin.id,
      action: "order.reclaim_now",
      targetType: "order",
      targetId: String(o.id),
      after: { delegationIds: due.map((d) => d.id), sent },
      ip: ctx.ip,
    });
    if (!sent)
      throw new AppError("provider_unavailable", "The job queue is not reachable; try again shortly.");
    return { delegationIds: due.map((d) => d.id) };
  },
);

// -------------------------------------------------------------------------------------- pool

export const importWalletAction = defineAction(
  "pool.import",
  z.object({
    address: z.string().trim().min(1, "Required.").max(100),
    privateKey: z.string().trim().min(1, "Required.").max(200),
    label: z.string().trim().max(100).optional(),
    priority: z.coerce.number().int().min(-1000).max(1000).optional(),
  }),
  async (ctx, i) => {
    const w = await importWallet(
      { address: i.address, privateKey: i.privateKey, label: i.label || undefined, priority: i.priority },
      { adminId: ctx.admin.id },
    );
    return { walletId: w.id, address: w.address };
  },
);

export const setWalletStatusAction = defineAction(
  "pool.update",
  z.object({ walletId: id, status: z.enum(["enabled", "disabled"]) }),
  async (ctx, i) => {
    const w = await setWalletStatus(i.walletId, i.status, { adminId: ctx.admin.id });
    return { walletId: w.id, status: w.status };
  },
);

export const setWalletPriorityAction = defineAction(
  "pool.update",
  z.object({ walletId: id, priority: z.coerce.number().int().min(-1000).max(1000) }),
  async (ctx, i) => {
    const w = await setWalletPriority(i.walletId, i.priority, { adminId: ctx.admin.id });
    return { walletId: w.id, priority: w.priority };
  },
);

/** Compares the pool with the chain now (the scheduled run also undelegates orphans). */
export const reconcileNowAction = defineAction("pool.refresh", z.object({}), async (ctx) => {
  const r = await reconcileChain();
  await writeAudit(await getDb(), {
    adminId: ctx.admin.id,
    action: "pool.reconcile",
    targetType: "pool",
    after: { runId: r.runId, wallets: r.wallets, open: r.open, failedWallets: r.failedWallets },
    ip: ctx.ip,
  });
  return r;
});

export const refreshWalletAction = defineAction(
  "pool.refresh",
  z.object({ walletId: id }),
  async (ctx, i) => {
    const w = await refreshWallet(i.walletId);
    await writeAudit(await getDb(), {
      adminId: ctx.admin.id,
      action: "pool.wallet.refresh",
      targetType: "supplier_wallet",
      targetId: String(w.id),
      after: { trxSun: w.trxSun, delegatableSun: w.delegatableSun },
      ip: ctx.ip,
    });
    return { walletId: w.id, delegatableSun: w.delegatableSun };
  },
);

export const removeWalletAction = defineAction("pool.remove", z.object({ walletId: id }), async (ctx, i) => {
  await removeWallet(i.walletId, { adminId: ctx.admin.id });
  return { walletId: i.walletId };
});

// ------------------------------------------------------------------------------------- users

/** More than all TRX there is (about 10^11): no correction is ever this large. */
const MAX_ADJUST_SUN = 10n ** 17n;
const tooLarge = (field: string) =>
  new AppError("invalid_amount", "That amount is too large.", { fields: { amountTrx: field } });
function hasCode(e: unknown, code: string): boolean {
  for (let cur: any = e, i = 0; i < 5 && cur; i++, cur = cur.cause) if (cur.code === code) return true;
  return false;
}

/** A manual balance correction: signed TRX amount, a required reason, one ledger row + one audit row. */
export const adjustBalanceAction = defineAction(
  "users.adjust",
  z.object({
    userId: id,
    amountTrx: z.string().trim().min(1, "Required.").max(40),
    reason,
    /** Sent by the form so a double submit posts once. */
    nonce: z
      .string()
      .regex(/^[A-Za-z0-9-]{8,64}$/)
      .optional(),
  }),
  async (ctx, i) => {
    const amountSun = parseTrx(i.amountTrx, { allowNegative: true, field: "amountTrx" });
    if (amountSun > MAX_ADJUST_SUN || amountSun < -MAX_ADJUST_SUN)
      throw tooLarge("At most 100,000,000,000 TRX.");
    const db = await getDb();
    return db
      .transaction(async (tx) => {
        const [u] = await tx.select().from(users).where(eq(users.id, i.userId));
        if (!u) throw new AppError("not_found", "User not found.");
        const r = await adjust(
          {
            userId: i.userId,
            amountSun,
            idempotencyKey: `adjust:${i.userId}:${i.nonce ?? randomUUID()}`,
            referenceType: "admin",
            referenceId: String(ctx.admin.id),
            memo: i.reason,
            adminId: ctx.admin.id,
          },
          tx,
        );
        if (!r.replayed)
          await writeAudit(tx, {
            adminId: ctx.admin.id,
            action: "user.adjust",
            targetType: "user",
            targetId: String(i.userId),
            before: { balanceSun: u.balanceSun },
            after: {
              balanceSun: r.entry.balanceAfterSun,
              amountSun,
              reason: i.reason,
              ledgerEntryId: r.entry.id,
            },
            ip: ctx.ip,
          });
        return { ledgerEntryId: r.entry.id, balanceSun: r.entry.balanceAfterSun, replayed: r.replayed };
      })
      .catch((e) => {
        // The balance column is a 64-bit integer: a sum past it is the amount's fault, not ours.
        if (hasCode(e, "22003")) throw tooLarge("The balance would exceed its largest value.");
        throw e;
      });
  },
);

export const setUserStatusAction = defineAction(
  "users.ban",
  z.object({ userId: id, status: z.enum(["active", "banned"]), reason: reason.optional() }),
  async (ctx, i) => {
    const db = await getDb();
    return db.transaction(async (tx) => {
      const [u] = await tx.select().from(users).where(eq(users.id, i.userId)).for("update");
      if (!u) throw new AppError("not_found", "User not found.");
      await tx.update(users).set({ status: i.status }).where(eq(users.id, u.id));
      await writeAudit(tx, {
        adminId: ctx.admin.id,
        action: i.status === "banned" ? "user.ban" : "user.unban",
        targetType: "user",
        targetId: String(u.id),
        before: { status: u.status },
        after: { status: i.status, reason: i.reason ?? null },
        ip: ctx.ip,
      });
      return { userId: u.id, status: i.status };
    });
  },
);

// ---------------------------------------------------------------------------------- settings

/** A partial settings change (top-level keys); lib/settings validates and audits it. */
export const updateSettingsAction = defineAction(
  "settings.update",
  z.record(z.string(), z.unknown()),
  async (ctx, patch) => {
    await updateSettings(patch as Partial<SettingsInput>, { adminId: ctx.admin.id, ip: ctx.ip });
    return { keys: Object.keys(patch) };
  },
);

// ------------------------------------------------------------------------------------ alerts

export const resolveAlertAction = defineAction(
  "alerts.resolve",
  z.object({ dedupeKey: z.string().min(1).max(300) }),
  async (ctx, i) => {
    const resolved = await resolveAlert(i.dedupeKey);
    await writeAudit(await getDb(), {
      adminId: ctx.admin.id,
      action: "alert.resolve",
      targetType: "alert",
      targetId: i.dedupeKey,
      after: { resolved },
      ip: ctx.ip,
    });
    return { resolved };
  },
);

// ------------------------------------------------------------------------------------ admins

export const createAdminAction = defineAction(
  "admins.manage",
  z.object({ email: z.email().max(254), role: z.enum(["owner", "operator", "viewer"]) }),
  async (ctx, i) => {
    const r = await createAdmin({ email: i.email, role: i.role }, { adminId: ctx.admin.id, ip: ctx.ip });
    return { adminId: r.admin.id, email: r.admin.email, oneTimePassword: r.password };
  },
);

/** An owner changes another admin's role (never their own; never the last active owner away). */
export const setAdminRoleAction = defineAction(
  "admins.manage",
  z.object({ adminId: id, role: z.enum(["owner", "operator", "viewer"]) }),
  async (ctx, i) => setAdminRole(ctx, i),
);

/** An owner disables or re-enables another admin; disabling ends their sessions. */
export const setAdminStatusAction = defineAction(
  "admins.manage",
  z.object({ adminId: id, status: z.enum(["active", "disabled"]) }),
  async (ctx, i) => setAdminDisabled(ctx, { adminId: i.adminId, disabled: i.status === "disabled" }),
);

/** Every action, for the permission matrix test and for routes that dispatch by name. */
// ---------------------------------------------------------------------------------- deposits

const block = z.coerce.number().int("A whole block number.").min(0, "A block number.");

/** Queues a rescan of solidified blocks [fromBlock, toBlock] for the user's deposit address. */
export const rescanDepositsAction = defineAction(
  "deposits.rescan",
  z
    .object({ userId: id, fromBlock: block, toBlock: block })
    .refine((i) => i.toBlock >= i.fromBlock, {
      message: "The range ends before it starts.",
      path: ["toBlock"],
    })
    .refine((i) => i.toBlock - i.fromBlock + 1 <= MAX_RESCAN_BLOCKS, {
      message: `At most ${MAX_RESCAN_BLOCKS} blocks at a time.`,
      path: ["toBlock"],
    }),
  async (ctx, i) => {
    const addr = await getDepositAddressOf(i.userId);
    if (!addr) throw new AppError("not_found", "This user has no deposit address.");
    const sent = await sendEvents([
      depositRescanRequested.create(
        { depositAddressId: addr.id, fromBlock: i.fromBlock, toBlock: i.toBlock, adminId: ctx.admin.id },
        { id: `deposit-rescan-${addr.id}-${i.fromBlock}-${i.toBlock}-${Date.now()}` },
      ),
    ]);
    await writeAudit(await getDb(), {
      adminId: ctx.admin.id,
      action: "deposits.rescan",
      targetType: "user",
      targetId: String(i.userId),
      after: { address: addr.address, fromBlock: i.fromBlock, toBlock: i.toBlock, queued: sent },
      ip: ctx.ip,
    });
    if (!sent)
      throw new AppError("provider_unavailable", "The job queue is not reachable; try again shortly.");
    return { depositAddressId: addr.id, fromBlock: i.fromBlock, toBlock: i.toBlock };
  },
);

/** Puts the deposit scanner's cursors at a block (the next scan reads from it) and clears a stop. */
export const restartScannerAction = defineAction(
  "deposits.scanner",
  z.object({ fromBlock: block, reason }),
  async (ctx, i) => {
    const before = await scannerStatus();
    await setScanCursor(i.fromBlock);
    await writeAudit(await getDb(), {
      adminId: ctx.admin.id,
      action: "deposits.scanner_restart",
      targetType: "scanner",
      targetId: "deposits",
      before: { cursor: before.cursor, problem: before.problem },
      after: { fromBlock: i.fromBlock, reason: i.reason },
      ip: ctx.ip,
    });
    return { fromBlock: i.fromBlock };
  },
);

export const adminActions = {
  retryOrder: retryOrderAction,
  refundOrder: refundOrderAction,
  cancelOrder: cancelOrderAction,
  reclaimOrder: reclaimOrderAction,
  importWallet: importWalletAction,
  setWalletStatus: setWalletStatusAction,
  setWalletPriority: setWalletPriorityAction,
  refreshWallet: refreshWalletAction,
  reconcileNow: reconcileNowAction,
  removeWallet: removeWalletAction,
  adjustBalance: adjustBalanceAction,
  setUserStatus: setUserStatusAction,
  updateSettings: updateSettingsAction,
  resolveAlert: resolveAlertAction,
  createAdmin: createAdminAction,
  setAdminRole: setAdminRoleAction,
  setAdminStatus: setAdminStatusAction,
  rescanDeposits: rescanDepositsAction,
  restartScanner: restartScannerAction,
} as const;

export type AdminActionName = keyof typeof adminActions;

/** Delegations of an order still out on chain (the order page's "reclaim now" shows when any). */
export async function outstandingDelegations(orderId: number): Promise<number> {
  const db = await getDb();
  const rows = await db
    .select({ id: delegations.id })
    .from(delegations)
    .where(and(eq(delegations.orderId, orderId), inArray(delegations.status, ["confirmed", "reclaiming"])));
  return rows.length;
}
