import type { StorageAdapter } from "grammy";
import { eq } from "drizzle-orm";
import { LRUCache } from "lru-cache";
import { getDb } from "@/db";
import { botSessions } from "@/db/schema";
import { takePrefetchedSession } from "./prefetch";

const SESSION_PREFIX = "s:";

/** The `bot_sessions` key of a grammY session key (the chat id). */
export function sessionStorageKey(key: string, prefix = SESSION_PREFIX): string {
  return prefix + key;
}

/**
 * grammY session storage in PostgreSQL (`bot_sessions`), so multi-step input survives a restart
 * and works across app nodes. Writes that would store what was just read are skipped. A value the
 * webhook read together with the update claim (./prefetch) is used instead of reading again.
 */
export function drizzleStorage<T>(prefix = SESSION_PREFIX): StorageAdapter<T> {
  const lastRead = new LRUCache<string, string>({ max: 10_000 });
  return {
    async read(key) {
      const pre = takePrefetchedSession(sessionStorageKey(key, prefix));
      let value: unknown;
      if (pre) value = pre.value;
      else {
        const db = await getDb();
        const [row] = await db
          .select({ value: botSessions.value })
          .from(botSessions)
          .where(eq(botSessions.key, sessionStorageKey(key, prefix)));
        value = row?.value;
      }
      if (value === undefined) {
        lastRead.delete(key);
        return undefined;
      }
      lastRead.set(key, JSON.stringify(value));
      return value as T;
    },
    async write(key, value) {
      const json = JSON.stringify(value);
      if (lastRead.get(key) === json) return;
      const db = await getDb();
      await db
        .insert(botSessions)
        .values({ key: sessionStorageKey(key, prefix), value: value as object })
        .onConflictDoUpdate({
          target: botSessions.key,
          set: { value: value as object, updatedAt: new Date() },
        });
      lastRead.set(key, json);
    },
    async delete(key) {
      lastRead.delete(key);
      const db = await getDb();
      await db.delete(botSessions).where(eq(botSessions.key, sessionStorageKey(key, prefix)));
    },
  };
}

/** A small key/value record in the same table (message ids the notices keep editing). */
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
