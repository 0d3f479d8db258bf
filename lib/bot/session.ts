import type { StorageAdapter } from "grammy";
import { eq } from "drizzle-orm";
import { getDb } from "@/db";
import { botSessions } from "@/db/schema";

/**
 * grammY session storage in PostgreSQL (`bot_sessions`), so multi-step input survives a restart
 * and works across app nodes. Writes that would store what was just read are skipped.
 */
export function drizzleStorage<T>(prefix = "s:"): StorageAdapter<T> {
  const lastRead = new Map<string, string>();
  return {
    async read(key) {
      const db = await getDb();
      const [row] = await db
        .select({ value: botSessions.value })
        .from(botSessions)
        .where(eq(botSessions.key, prefix + key));
      if (!row) {
        lastRead.delete(key);
        return undefined;
      }
      lastRead.set(key, JSON.stringify(row.value));
      if (lastRead.size > 10_000) lastRead.clear();
      return row.value as T;
    },
    async write(key, value) {
      const json = JSON.stringify(value);
      if (lastRead.get(key) === json) return;
      const db = await getDb();
      await db
        .insert(botSessions)
        .values({ key: prefix + key, value: value as object })
        .onConflictDoUpdate({
          target: botSessions.key,
          set: { value: value as object, updatedAt: new Date() },
        });
      lastRead.set(key, json);
    },
    async delete(key) {
      lastRead.delete(key);
      const db = await getDb();
      await db.delete(botSessions).where(eq(botSessions.key, prefix + key));
    },
  };
}

/** A small key/value record in the same table (message ids the hooks keep editing). */
export async function kvGet<T>(key: string): Promise<T | undefined> {
  const db = await getDb();
  const [row] = await db
    .select({ value: botSessions.value })
    .from(botSessions)
    .where(eq(botSessions.key, key));
  return row?.value as T | undefined;
}

export async function kvSet(key: string, value: unknown): Promise<void> {
  const db = await getDb();
  await db
    .insert(botSessions)
    .values({ key, value: value as object })
    .onConflictDoUpdate({ target: botSessions.key, set: { value: value as object, updatedAt: new Date() } });
}
