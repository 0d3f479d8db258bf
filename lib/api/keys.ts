import { createHash, randomInt } from "node:crypto";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { LRUCache } from "lru-cache";
import { z } from "zod";
import { getDb, preparedQuery } from "@/db";
import { type ApiKey, apiKeys, users } from "@/db/schema";
import { AppError, fieldErrorsFromZod } from "@/lib/errors";
import { decryptSecret, encryptSecret } from "@/lib/tron/keys";

/**
 * API keys: `teh_live_<prefix 8>_<secret 32>` (base62). Only the SHA-256 of the whole key is stored
 * (the key is 190 random bits, so a fast hash is enough and lookups by hash need no timing-safe
 * compare) plus the visible prefix. Each key carries a callback signing secret, stored encrypted
 * (we need it back to sign), shown once together with the key.
 */

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const API_KEY_RE = /^teh_live_([0-9A-Za-z]{8})_[0-9A-Za-z]{32}$/;

function base62(n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += BASE62[randomInt(62)];
  return s;
}

const hashApiKey = (key: string) => createHash("sha256").update(key).digest("hex");

/** What the portal shows about a key (never the hash or the secret). */
type ApiKeyView = {
  id: number;
  name: string;
  prefix: string;
  rateLimitPerMinute: number;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
};

const view = (k: ApiKey): ApiKeyView => ({
  id: k.id,
  name: k.name,
  prefix: `teh_live_${k.prefix}`,
  rateLimitPerMinute: k.rateLimitPerMinute,
  lastUsedAt: k.lastUsedAt,
  revokedAt: k.revokedAt,
  createdAt: k.createdAt,
});

export const MAX_KEYS_PER_USER = 10;

const createSchema = z.object({
  userId: z.number().int().positive(),
  name: z.string().trim().min(1, "Give the key a name.").max(60, "Use at most 60 characters."),
  rateLimitPerMinute: z.number().int().min(1).max(100_000).optional(),
});

/**
 * Creates a key for a user. The returned `key` and `callbackSecret` are shown once and never again.
 */
export async function createApiKey(
  input: z.input<typeof createSchema>,
): Promise<{ apiKey: ApiKeyView; key: string; callbackSecret: string }> {
  const p = createSchema.safeParse(input);
  if (!p.success)
    throw new AppError("bad_request", "Some fields are not valid.", {
      fields: fieldErrorsFromZod(p.error.issues),
    });
  const db = await getDb();
  // The user's row is locked while counting and inserting, so parallel requests are counted one
  // after another (15 at once used to make 12 keys).
  return db.transaction(async (tx) => {
    const [owner] = await tx
      .select({ id: users.id })
      .from(users)
      .where(eq(users.id, p.data.userId))
      .for("update");
    if (!owner) throw new AppError("not_found", "User not found.");
    const active = await tx
      .select({ id: apiKeys.id })
      .from(apiKeys)
      .where(and(eq(apiKeys.userId, p.data.userId), isNull(apiKeys.revokedAt)));
    if (active.length >= MAX_KEYS_PER_USER)
      throw new AppError(
        "invalid_state",
        `You can have at most ${MAX_KEYS_PER_USER} active keys; revoke one first.`,
        { details: { reason: "key_limit", max: MAX_KEYS_PER_USER } },
      );
    for (let attempt = 0; attempt < 3; attempt++) {
      const prefix = base62(8);
      const key = `teh_live_${prefix}_${base62(32)}`;
      const callbackSecret = `teh_whsec_${base62(32)}`;
      const rows = await tx
        .insert(apiKeys)
        .values({
          userId: p.data.userId,
          name: p.data.name,
          prefix,
          keyHash: hashApiKey(key),
          callbackSecret: encryptSecret(callbackSecret),
          ...(p.data.rateLimitPerMinute ? { rateLimitPerMinute: p.data.rateLimitPerMinute } : {}),
        })
        .onConflictDoNothing()
        .returning();
      if (rows[0]) return { apiKey: view(rows[0]), key, callbackSecret };
    }
    throw new AppError("internal", "Could not create a key; please try again.");
  });
}

export async function listApiKeys(input: { userId: number }): Promise<ApiKeyView[]> {
  const db = await getDb();
  const rows = await db
    .select()
    .from(apiKeys)
    .where(eq(apiKeys.userId, input.userId))
    .orderBy(desc(apiKeys.id));
  return rows.map(view);
}

/** Revokes one of the user's keys (another user's key → not_found). Idempotent. */
export async function revokeApiKey(input: { userId: number; keyId: number }): Promise<ApiKeyView> {
  const db = await getDb();
  const [k] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.id, input.keyId), eq(apiKeys.userId, input.userId)));
  if (!k) throw new AppError("not_found", "API key not found.");
  if (k.revokedAt) return view(k);
  const [row] = await db
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiKeys.id, k.id), isNull(apiKeys.revokedAt)))
    .returning();
  return view(row ?? k);
}

/** The authenticated caller of an API request. */
export type ApiCaller = {
  keyId: number;
  userId: number;
  prefix: string;
  name: string;
  rateLimitPerMinute: number;
};

const LAST_USED_RESOLUTION_MS = 60_000;
const lastUsedWritten = new LRUCache<number, number>({ max: 100_000 });

const keyByHash = preparedQuery((db) =>
  db
    .select({
      id: apiKeys.id,
      userId: apiKeys.userId,
      prefix: apiKeys.prefix,
      name: apiKeys.name,
      rateLimitPerMinute: apiKeys.rateLimitPerMinute,
      revokedAt: apiKeys.revokedAt,
      lastUsedAt: apiKeys.lastUsedAt,
      userStatus: users.status,
    })
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.userId))
    .where(eq(apiKeys.keyHash, sql.placeholder("keyHash")))
    .prepare("api_key_by_hash"),
);

/**
 * `Authorization: Bearer <key>` → the caller, or AppError("unauthorized") (no key, unknown,
 * revoked) / AppError("forbidden") (the account is banned). Records the last-used
 * time at most once a minute per key and process.
 */
export async function verifyApiKey(authorization: string | null): Promise<ApiCaller> {
  if (!authorization)
    throw new AppError("unauthorized", "Send your API key in the header Authorization: Bearer <key>.");
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization);
  if (!m || !API_KEY_RE.test(m[1]))
    throw new AppError("unauthorized", "This API key is not valid or has been revoked.");
  const [k] = await (await keyByHash()).execute({ keyHash: hashApiKey(m[1]) });
  if (!k || k.revokedAt) throw new AppError("unauthorized", "This API key is not valid or has been revoked.");
  // A banned account's keys read and change nothing (checked on every request, so a ban is at once).
  if (k.userStatus === "banned") throw new AppError("forbidden", "This account is suspended.");
  const now = Date.now();
  const last = Math.max(lastUsedWritten.get(k.id) ?? 0, k.lastUsedAt?.getTime() ?? 0);
  if (now - last > LAST_USED_RESOLUTION_MS) {
    lastUsedWritten.set(k.id, now);
    await (await getDb())
      .update(apiKeys)
      .set({ lastUsedAt: new Date(now) })
      .where(eq(apiKeys.id, k.id));
  }
  return {
    keyId: k.id,
    userId: k.userId,
    prefix: `teh_live_${k.prefix}`,
    name: k.name,
    rateLimitPerMinute: k.rateLimitPerMinute,
  };
}

/** The plain callback signing secret of a key (for signing deliveries). */
export async function getCallbackSecret(keyId: number): Promise<{ secret: string; revoked: boolean } | null> {
  const db = await getDb();
  const [k] = await db
    .select({ s: apiKeys.callbackSecret, revokedAt: apiKeys.revokedAt })
    .from(apiKeys)
    .where(eq(apiKeys.id, keyId));
  if (!k) return null;
  return { secret: decryptSecret(k.s), revoked: k.revokedAt !== null };
}
