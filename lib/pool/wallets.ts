import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb, rowsOf } from "@/db";
import { supplierWallets } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { AppError } from "@/lib/errors";
import { logger } from "@/lib/log";
import { sealNewSupplierKey } from "@/lib/tron/keys";
import { insertPermissionWallet } from "./permission";
import { getWallet, type PoolWallet } from "./read";
import { refreshWallet } from "./refresh";

/** The operator's changes to the pool: import (or re-key), enable / disable, priority, remove. Each is audited. */

const importSchema = z.object({
  address: z.string().min(1),
  privateKey: z.string().min(1),
  label: z.string().trim().max(100).optional(),
  priority: z.number().int().min(-1000).max(1000).optional(),
});

/** Imports a wallet: the key is verified against the address and stored encrypted. Refreshes it. */
export async function importWallet(
  input: { address: string; privateKey: string; label?: string; priority?: number },
  actor: { adminId?: number | null } = {},
): Promise<PoolWallet> {
  const p = importSchema.safeParse(input);
  if (!p.success) throw new AppError("bad_request", "Address and private key are required.");
  const { address, ciphertext, keyId } = await sealNewSupplierKey(p.data.address, p.data.privateKey);
  const db = await getDb();
  const [existing] = await db.select().from(supplierWallets).where(eq(supplierWallets.address, address));
  let id: number;
  if (existing) {
    await db
      .update(supplierWallets)
      .set({
        encryptedKey: ciphertext,
        keyId,
        mode: "key",
        removedAt: null,
        // the operator holds its key: the operator's own wallet, no supplier earns on it
        supplierUserId: null,
        ...(p.data.label !== undefined ? { label: p.data.label } : {}),
        ...(p.data.priority !== undefined ? { priority: p.data.priority } : {}),
      })
      .where(eq(supplierWallets.id, existing.id));
    id = existing.id;
  } else {
    const [row] = await db
      .insert(supplierWallets)
      .values({
        address,
        label: p.data.label ?? null,
        priority: p.data.priority ?? 0,
        mode: "key",
        encryptedKey: ciphertext,
        keyId,
      })
      .returning({ id: supplierWallets.id });
    id = row.id;
  }
  await writeAudit(db, {
    adminId: actor.adminId ?? null,
    action: existing ? "pool.wallet.rekey" : "pool.wallet.import",
    targetType: "supplier_wallet",
    targetId: String(id),
    after: { address, label: p.data.label ?? null, priority: p.data.priority ?? 0 },
  });
  try {
    await refreshWallet(id);
  } catch (e) {
    logger.warn({ walletId: id, err: (e as Error).message }, "wallet imported but refresh failed");
  }
  return getWallet(id);
}

/**
 * Imports a permission-mode wallet by address alone: its Active permission must grant our operator
 * key delegate and undelegate only (lib/pool/permission), else it is refused and nothing is stored.
 */
export async function importPermissionWallet(
  input: {
    address: string;
    label?: string;
    priority?: number;
    dailyBandwidthCap?: bigint;
    dailyTrxCapSun?: bigint;
    supplierUserId?: number;
  },
  actor: { adminId?: number | null } = {},
): Promise<PoolWallet> {
  const id = await insertPermissionWallet(input, actor);
  try {
    await refreshWallet(id);
  } catch (e) {
    logger.warn({ walletId: id, err: (e as Error).message }, "wallet imported but refresh failed");
  }
  return getWallet(id);
}

export async function setWalletStatus(
  id: number,
  status: "enabled" | "disabled",
  actor: { adminId?: number | null } = {},
): Promise<PoolWallet> {
  z.enum(["enabled", "disabled"]).parse(status);
  const db = await getDb();
  const rows = await db
    .update(supplierWallets)
    .set({ status })
    .where(and(eq(supplierWallets.id, id), sql`${supplierWallets.removedAt} is null`))
    .returning({ id: supplierWallets.id });
  if (!rows.length) {
    const [w] = await db
      .select({ id: supplierWallets.id })
      .from(supplierWallets)
      .where(eq(supplierWallets.id, id));
    if (w) throw new AppError("invalid_state", "This wallet was removed: import it again to use it.");
    throw new AppError("not_found", "Wallet not found.");
  }
  await writeAudit(db, {
    adminId: actor.adminId ?? null,
    action: "pool.wallet.status",
    targetType: "supplier_wallet",
    targetId: String(id),
    after: { status },
  });
  return getWallet(id);
}

export async function setWalletPriority(
  id: number,
  priority: number,
  actor: { adminId?: number | null } = {},
): Promise<PoolWallet> {
  const pr = z.number().int().min(-1000).max(1000).parse(priority);
  const db = await getDb();
  const rows = await db
    .update(supplierWallets)
    .set({ priority: pr })
    .where(eq(supplierWallets.id, id))
    .returning({ id: supplierWallets.id });
  if (!rows.length) throw new AppError("not_found", "Wallet not found.");
  await writeAudit(db, {
    adminId: actor.adminId ?? null,
    action: "pool.wallet.priority",
    targetType: "supplier_wallet",
    targetId: String(id),
    after: { priority: pr },
  });
  return getWallet(id);
}

/**
 * Removes a wallet that has no outstanding (not reclaimed / not failed) delegations: deleted, or,
 * when order history references it, kept as a disabled row with its encrypted key dropped.
 */
export async function removeWallet(id: number, actor: { adminId?: number | null } = {}): Promise<void> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [w] = await tx.select().from(supplierWallets).where(eq(supplierWallets.id, id)).for("update");
    if (!w) throw new AppError("not_found", "Wallet not found.");
    const [open] = rowsOf<{ n: string | number }>(
      await tx.execute(
        sql`select count(*) as n from delegations where supplier_wallet_id = ${id} and status not in ('failed', 'reclaimed')`,
      ),
    );
    if (Number(open.n) > 0)
      throw new AppError("invalid_state", "This wallet still has delegations that are not reclaimed.");
    const [anyRow] = rowsOf<{ n: string | number }>(
      await tx.execute(sql`select count(*) as n from delegations where supplier_wallet_id = ${id}`),
    );
    if (Number(anyRow.n) > 0) {
      // History references it: disable and drop the key instead of deleting the row.
      await tx
        .update(supplierWallets)
        .set({ status: "disabled", encryptedKey: null, keyId: null, removedAt: new Date() })
        .where(eq(supplierWallets.id, id));
    } else {
      await tx.delete(supplierWallets).where(eq(supplierWallets.id, id));
    }
    await writeAudit(tx, {
      adminId: actor.adminId ?? null,
      action: "pool.wallet.remove",
      targetType: "supplier_wallet",
      targetId: String(id),
      before: { address: w.address },
    });
  });
}
