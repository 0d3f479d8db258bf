import { and, eq, isNotNull } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import { getDb } from "@/db";
import { admins, apiKeys, supplierWallets } from "@/db/schema";
import { currentKeyId, KeyError, keyIdOf, reencrypt } from "./keys";

/**
 * Re-encrypts every secret sealed with KEY_ENCRYPTION_KEY under the current key (`npm run
 * keys:rotate`): supplier wallets' private keys, API keys' callback signing secrets and admins'
 * TOTP secrets. Rows already on the current key are skipped; each update applies only if the row
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
  },
  {
    name: "API callback secret",
    table: apiKeys,
    id: apiKeys.id,
    label: apiKeys.prefix,
    column: apiKeys.callbackSecret,
    field: "callbackSecret",
  },
  {
    name: "admin TOTP secret",
    table: admins,
    id: admins.id,
    label: admins.email,
    column: admins.totpSecret,
    field: "totpSecret",
  },
];

export type RotateReport = {
  rotated: number;
  current: number;
  failed: number;
  total: number;
  lines: string[];
};

export async function rotateStoredSecrets(opts: { dryRun?: boolean } = {}): Promise<RotateReport> {
  const db = await getDb();
  const target = currentKeyId();
  const r: RotateReport = { rotated: 0, current: 0, failed: 0, total: 0, lines: [] };
  for (const t of targets) {
    const rows = (await db
      .select({ id: t.id, label: t.label, ct: t.column })
      .from(t.table)
      .where(isNotNull(t.column))) as { id: number; label: string; ct: string }[];
    r.total += rows.length;
    for (const row of rows) {
      try {
        if (keyIdOf(row.ct) === target) {
          r.current++;
          continue;
        }
        const next = reencrypt(row.ct);
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
