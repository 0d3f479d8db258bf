import { and, eq, isNotNull } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import { getDb } from "@/db";
import { admins, apiKeys, poolOperator, supplierWallets } from "@/db/schema";
import {
  currentDataKeyId,
  currentKeyId,
  KeyError,
  keyIdOf,
  reencryptSecret,
  reencryptSupplierKey,
} from "./keys";

/**
 * Re-encrypts every stored secret under its ring's current key (`npm run keys:rotate`, run where
 * both rings are held: the worker's environment): supplier wallets' private keys and the operator key under
 * KEY_ENCRYPTION_KEY (keys sealed to the worker by a web import become AES too), API keys' callback
 * signing secrets and admins' TOTP secrets under DATA_ENCRYPTION_KEY. Rows already on the current key are skipped; each update applies only if the row
 * still holds the ciphertext that was read, so a concurrent change is never overwritten (re-run to
 * pick it up). Reports counts and row labels only, never key material.
 */
type Target = {
  name: string;
  table: PgTable;
  id: PgColumn;
  label: PgColumn;
  column: PgColumn;
  /** The column's property name in the table object (for `.set()`). */
  field: string;
  /** Extra columns to set beside the ciphertext (the wallet's key id). */
  extra?: (keyId: string) => Record<string, unknown>;
  /** The ring's current key id, and the re-seal under it. */
  currentId: () => string;
  reseal: (ciphertext: string) => Promise<string> | string;
  /** Whether a ciphertext is already in its final form under the current key. */
  isCurrent?: (ciphertext: string, currentId: string) => boolean;
};

const targets: Target[] = [
  {
    name: "supplier wallet key",
    table: supplierWallets,
    id: supplierWallets.id,
    label: supplierWallets.address,
    column: supplierWallets.encryptedKey,
    field: "encryptedKey",
    extra: (keyId) => ({ keyId, updatedAt: new Date() }),
    currentId: currentKeyId,
    reseal: reencryptSupplierKey,
    // A key sealed to the worker at import is re-sealed with AES even under the current key id.
    isCurrent: (ct, id) => ct.startsWith("v1:") && keyIdOf(ct) === id,
  },
  {
    name: "operator key",
    table: poolOperator,
    id: poolOperator.id,
    label: poolOperator.address,
    column: poolOperator.encryptedKey,
    field: "encryptedKey",
    extra: (keyId) => ({ keyId, updatedAt: new Date() }),
    currentId: currentKeyId,
    reseal: reencryptSupplierKey,
    isCurrent: (ct, id) => ct.startsWith("v1:") && keyIdOf(ct) === id,
  },
  {
    name: "API callback secret",
    table: apiKeys,
    id: apiKeys.id,
    label: apiKeys.prefix,
    column: apiKeys.callbackSecret,
    field: "callbackSecret",
    currentId: currentDataKeyId,
    reseal: reencryptSecret,
  },
  {
    name: "admin TOTP secret",
    table: admins,
    id: admins.id,
    label: admins.email,
    column: admins.totpSecret,
    field: "totpSecret",
    currentId: currentDataKeyId,
    reseal: reencryptSecret,
  },
];

type RotateReport = {
  rotated: number;
  current: number;
  failed: number;
  total: number;
  lines: string[];
};

export async function rotateStoredSecrets(opts: { dryRun?: boolean } = {}): Promise<RotateReport> {
  const db = await getDb();
  const r: RotateReport = { rotated: 0, current: 0, failed: 0, total: 0, lines: [] };
  for (const t of targets) {
    const target = t.currentId();
    const isCurrent = t.isCurrent ?? ((ct: string, id: string) => keyIdOf(ct) === id);
    const rows = (await db
      .select({ id: t.id, label: t.label, ct: t.column })
      .from(t.table)
      .where(isNotNull(t.column))) as { id: number; label: string; ct: string }[];
    r.total += rows.length;
    for (const row of rows) {
      try {
        if (isCurrent(row.ct, target)) {
          r.current++;
          continue;
        }
        const next = await t.reseal(row.ct);
        if (!opts.dryRun) {
          const done = await db
            .update(t.table)
            .set({ [t.field]: next, ...(t.extra?.(target) ?? {}) })
            .where(and(eq(t.id, row.id), eq(t.column, row.ct)))
            .returning({ id: t.id });
          if (done.length === 0) {
            r.lines.push(`${t.name} ${row.label}: changed while rotating; re-run to pick it up`);
            continue;
          }
        }
        r.rotated++;
      } catch (e) {
        r.failed++;
        r.lines.push(
          `${t.name} ${row.label}: cannot re-encrypt (${e instanceof KeyError ? e.reason : "error"})`,
        );
      }
    }
  }
  return r;
}
