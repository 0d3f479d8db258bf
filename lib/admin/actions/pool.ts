import { z } from "zod";
import { getDb } from "@/db";
import { writeAudit } from "@/lib/audit";
import { parseTrx } from "@/lib/money";
import {
  importPermissionWallet,
  importWallet,
  refreshWallet,
  removeWallet,
  setWalletDailyCaps,
  setWalletPriority,
  setWalletStatus,
} from "@/lib/pool";
import { reconcileChain } from "@/lib/reconcile";
import { defineAction, id } from "./define";

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

// permission-mode wallets: import by address alone, and the owner's daily caps
const bandwidthCap = z.coerce
  .number()
  .int("Whole bytes.")
  .min(0, "At least 0.")
  .max(10_000_000, "At most 10,000,000 bytes.");
const trxCap = z.string().trim().min(1, "Required.").max(20);

export const importPermissionWalletAction = defineAction(
  "pool.import",
  z.object({
    address: z.string().trim().min(1, "Required.").max(100),
    label: z.string().trim().max(100).optional(),
    priority: z.coerce.number().int().min(-1000).max(1000).optional(),
    dailyBandwidthCap: bandwidthCap.optional(),
    dailyTrxCap: trxCap.optional(),
  }),
  async (ctx, i) => {
    const w = await importPermissionWallet(
      {
        address: i.address,
        label: i.label || undefined,
        priority: i.priority,
        dailyBandwidthCap: i.dailyBandwidthCap === undefined ? undefined : BigInt(i.dailyBandwidthCap),
        dailyTrxCapSun:
          i.dailyTrxCap === undefined ? undefined : parseTrx(i.dailyTrxCap, { field: "dailyTrxCap" }),
      },
      { adminId: ctx.admin.id },
    );
    return { walletId: w.id, address: w.address, permissionId: w.permissionId };
  },
);

export const setWalletCapsAction = defineAction(
  "pool.update",
  z.object({ walletId: id, dailyBandwidthCap: bandwidthCap, dailyTrxCap: trxCap }),
  async (ctx, i) => {
    const dailyTrxCapSun = parseTrx(i.dailyTrxCap, { field: "dailyTrxCap" });
    await setWalletDailyCaps(
      i.walletId,
      { dailyBandwidthCap: BigInt(i.dailyBandwidthCap), dailyTrxCapSun },
      { adminId: ctx.admin.id },
    );
    return { walletId: i.walletId, dailyBandwidthCap: i.dailyBandwidthCap, dailyTrxCapSun };
  },
);
