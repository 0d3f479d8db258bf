import { inArray } from "drizzle-orm";
import { getDb } from "@/db";
import { settings as settingsTable } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { env } from "@/lib/env";
import { AppError, fieldErrorsFromZod } from "@/lib/errors";
import { pricingChanges } from "@/lib/pricing/changes";
import {
  defaultSettings,
  type Settings,
  type SettingsInput,
  serializeSettings,
  settingsSchema,
} from "./schema";

export * from "./schema";

/**
 * Operator settings: one row per top-level key in `settings`, merged over the defaults, validated
 * with zod on every read and write. Cached for a few seconds; a write here clears the cache at
 * once (other app nodes see it within the TTL).
 */
const TTL_MS = 3_000;
let cache: { at: number; value: Settings } | undefined;
/** Bumped by every invalidation: a read that started before one must not fill the cache after it. */
let generation = 0;

export function invalidateSettings() {
  cache = undefined;
  generation++;
}

export async function getSettings(): Promise<Settings> {
  if (cache && Date.now() - cache.at < TTL_MS) return cache.value;
  const startedAt = generation;
  const db = await getDb();
  const rows = await db.select().from(settingsTable);
  const merged: Record<string, unknown> = { ...defaultSettings };
  for (const r of rows) if (r.key in defaultSettings) merged[r.key] = r.value;
  const parsed = settingsSchema.safeParse(merged);
  // Stored values that no longer validate (e.g. after a schema change) fall back to the defaults, loudly.
  const value = parsed.success ? parsed.data : settingsSchema.parse(defaultSettings);
  if (!parsed.success) {
    const { logger } = await import("@/lib/log");
    logger.error({ issues: parsed.error.issues }, "stored settings are invalid; using defaults");
  }
  if (generation === startedAt) cache = { at: Date.now(), value };
  return value;
}

/**
 * Validates and saves a partial change (top-level keys), audited when an admin made it.
 * Returns the new settings. Bad input → `bad_request` with field errors, nothing saved. `check`
 * (a surface's further rule on the settings about to be saved, e.g. the console's offers against
 * the pricing floor) runs after the schema and may refuse; then nothing is saved either.
 */
/**
 * Pay by transfer (docs/transfers.md) and per-transfer packages (docs/packages.md) see their
 * payments and transfers only through the block scanner's hooks: in the account-endpoint scan mode
 * (DEPOSIT_SCAN_MODE=accounts, which reads deposit addresses only) a payment to the rental address
 * would never be seen and a package's transfers never counted. Turning either on there is refused
 * (a save that leaves them as they were is not).
 */
function blockScannerNeeded(next: Settings, patch: Partial<SettingsInput>): void {
  if (env.DEPOSIT_SCAN_MODE !== "accounts") return;
  const m = (what: string) =>
    `${what} needs the block scanner: set DEPOSIT_SCAN_MODE=blocks (the default) first. The account-endpoint mode reads deposit addresses only.`;
  if ("transfer" in patch && next.transfer.enabled) {
    const message = m("Pay by transfer");
    throw new AppError("bad_request", message, { fields: { "transfer.enabled": message } });
  }
  if ("packages" in patch && next.packages.offers.length > 0) {
    const message = m("Selling per-transfer packages");
    throw new AppError("bad_request", message, { fields: { "packages.offers": message } });
  }
}

export async function updateSettings(
  patch: Partial<SettingsInput>,
  actor: { adminId?: number | null; ip?: string | null } = {},
  opts: { check?: (next: Settings) => Promise<void> } = {},
): Promise<Settings> {
  const current = serializeSettings(await getSettingsFresh());
  const unknown = Object.keys(patch).filter((k) => !(k in defaultSettings));
  if (unknown.length)
    throw new AppError("bad_request", `Unknown settings: ${unknown.join(", ")}.`, {
      fields: Object.fromEntries(unknown.map((k) => [k, "Unknown setting."])),
    });
  const next = { ...current, ...patch };
  const parsed = settingsSchema.safeParse(next);
  if (!parsed.success)
    throw new AppError("bad_request", "Some settings are not valid.", {
      fields: fieldErrorsFromZod(parsed.error.issues),
    });
  blockScannerNeeded(parsed.data, patch);
  if (opts.check) await opts.check(parsed.data);
  const stored = serializeSettings(parsed.data) as Record<string, unknown>;
  const keys = Object.keys(patch);
  const db = await getDb();
  await db.transaction(async (tx) => {
    for (const key of keys) {
      await tx
        .insert(settingsTable)
        .values({ key, value: stored[key], updatedByAdminId: actor.adminId ?? null })
        .onConflictDoUpdate({
          target: settingsTable.key,
          set: { value: stored[key], updatedByAdminId: actor.adminId ?? null, updatedAt: new Date() },
        });
    }
    await writeAudit(tx, {
      adminId: actor.adminId ?? null,
      action: "settings.update",
      targetType: "settings",
      targetId: keys.join(","),
      before: Object.fromEntries(keys.map((k) => [k, (current as Record<string, unknown>)[k]])),
      after: Object.fromEntries(keys.map((k) => [k, stored[k]])),
      ip: actor.ip ?? null,
    });
    // Every price change on its own, field by field (old → new).
    const changes = pricingChanges(current as Record<string, unknown>, { ...current, ...stored });
    if (changes.length)
      await writeAudit(tx, {
        adminId: actor.adminId ?? null,
        action: "pricing.update",
        targetType: "settings",
        targetId: changes.map((c) => c.field).join(","),
        before: Object.fromEntries(changes.map((c) => [c.field, c.from])),
        after: Object.fromEntries(changes.map((c) => [c.field, c.to])),
        ip: actor.ip ?? null,
      });
  });
  invalidateSettings();
  return getSettings();
}

async function getSettingsFresh() {
  invalidateSettings();
  return getSettings();
}

/** Removes stored overrides (tests, and "reset to defaults" in the console). */
export async function resetSettings(keys?: string[]): Promise<void> {
  const db = await getDb();
  if (keys?.length) await db.delete(settingsTable).where(inArray(settingsTable.key, keys));
  else await db.delete(settingsTable);
  invalidateSettings();
}
