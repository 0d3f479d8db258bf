import { and, eq, lt, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb, preparedQuery } from "@/db";
import { botSessions, rateLimits, supplierProfiles, telegramUpdates, userWallets, users } from "@/db/schema";
import { logger } from "@/lib/log";
import type { Claimed } from "./prefetch";
import { BOT_RATE_LIMIT, botLimitKey } from "./rate-limit";
import { sessionStorageKey } from "./session";

/**
 * Each Telegram update is processed once: `claimUpdate` records its id (null when already seen),
 * `releaseUpdate` forgets it when processing failed so Telegram's retry is handled. Old ids are
 * pruned every 1,000 claims.
 *
 * The claim also reads, in the same round trip, what every update needs next: the sender's user
 * row with its default wallet and whether they supply energy (the main menu's balance, wallet and
 * supply entry) and the chat's session (see
 * ./prefetch: read fresh for this update, never cached across updates).
 */
const KEEP_MS = 3 * 24 * 3600_000;
let sincePrune = 0;

const idSchema = z.object({ id: z.number().int() });
/** The sender and chat of the update kinds the bot serves (anything else: no prefetch). */
const whoSchema = z.union([
  z.object({ message: z.object({ from: idSchema, chat: idSchema }) }),
  z.object({
    callback_query: z.object({ from: idSchema, message: z.object({ chat: idSchema }).optional() }),
  }),
]);

function whoOf(update: unknown): { telegramId: number; chatId: number | null } | null {
  const w = whoSchema.safeParse(update);
  if (!w.success) return null;
  if ("message" in w.data) return { telegramId: w.data.message.from.id, chatId: w.data.message.chat.id };
  const q = w.data.callback_query;
  return { telegramId: q.from.id, chatId: q.message?.chat.id ?? null };
}

/** The claim, built once per database client (prepared: no SQL building or planning per update). */
const claimQueries = preparedQuery((db) => {
  const claim = db.$with("claim").as(
    db
      .insert(telegramUpdates)
      .values({ updateId: sql.placeholder("updateId") })
      .onConflictDoNothing()
      .returning({ id: telegramUpdates.updateId }),
  );
  // The sender's hit in the bot's rate-limit window (./rate-limit), only when the id was new and the
  // update is from a private chat: the same upsert the limiter runs, in the claim's statement.
  const window = sql`${sql.placeholder("windowMs")}::int * interval '1 millisecond'`;
  const expired = sql`${rateLimits.expire} <= now()`;
  const hit = db.$with("hit").as(
    db
      .insert(rateLimits)
      .select(
        db
          .select({
            key: sql<string>`${sql.placeholder("limitKey")}::text`.as("key"),
            points: sql<number>`1`.as("points"),
            expire: sql<Date>`now() + ${window}`.as("expire"),
          })
          .from(claim)
          .where(sql`${sql.placeholder("countHit")}::boolean`),
      )
      .onConflictDoUpdate({
        target: rateLimits.key,
        set: {
          points: sql`case when ${expired} then 1 else ${rateLimits.points} + 1 end`,
          expire: sql`case when ${expired} then now() + ${window} else ${rateLimits.expire} end`,
        },
      })
      .returning({ points: rateLimits.points }),
  );
  return {
    bare: db.with(claim).select({ id: claim.id }).from(claim).prepare("bot_claim_update"),
    // One row when the id is new (user null until first contact), none when already seen.
    withReads: db
      .with(claim, hit)
      .select({
        id: claim.id,
        limitHits: sql<number | null>`(select ${hit.points} from ${hit})`,
        user: users,
        defaultWallet: userWallets,
        supplier: sql<boolean>`exists(select 1 from ${supplierProfiles} where ${supplierProfiles.userId} = ${users.id})`,
        session:
          sql`(select ${botSessions.value} from ${botSessions} where ${botSessions.key} = ${sql.placeholder("sessionKey")})`.mapWith(
            botSessions.value,
          ),
      })
      .from(claim)
      .leftJoin(users, eq(users.telegramId, sql.placeholder("telegramId")))
      .leftJoin(userWallets, and(eq(userWallets.userId, users.id), eq(userWallets.isDefault, true)))
      .prepare("bot_claim_update_reads_v4"),
  };
});

/** Records the update id; null when it was already processed (or is being processed). */
export async function claimUpdate(update: { update_id: number }): Promise<Claimed | null> {
  const updateId = update.update_id;
  const q = await claimQueries();
  const who = whoOf(update);
  let claimed: Claimed | null = null;
  if (!who) {
    const rows = await q.bare.execute({ updateId });
    if (rows.length)
      claimed = {
        updateId,
        telegramId: null,
        user: undefined,
        defaultWallet: undefined,
        sessionKey: null,
        session: undefined,
        sessionTaken: false,
      };
  } else {
    const sessionKey = who.chatId === null ? null : sessionStorageKey(String(who.chatId));
    // A private chat's id is its user's id; the bot serves private chats only (and counts only them).
    const countHit = who.chatId === who.telegramId;
    const windowMs = BOT_RATE_LIMIT.timeFrame;
    const rows = await q.withReads.execute({
      updateId,
      telegramId: who.telegramId,
      sessionKey,
      countHit,
      limitKey: botLimitKey(who.telegramId),
      windowMs,
    });
    const hits = rows[0]?.limitHits;
    if (rows.length)
      claimed = {
        updateId,
        telegramId: who.telegramId,
        user: rows[0].user,
        defaultWallet: rows[0].defaultWallet,
        supplier: rows[0].supplier === true,
        sessionKey,
        session: rows[0].session ?? undefined,
        sessionTaken: false,
        limitHits:
          countHit && hits !== null && hits !== undefined
            ? { count: Number(hits), windowMs, taken: false }
            : undefined,
      };
  }
  if (++sincePrune >= 1000) {
    sincePrune = 0;
    (await getDb())
      .delete(telegramUpdates)
      .where(lt(telegramUpdates.receivedAt, new Date(Date.now() - KEEP_MS)))
      .catch((e) => logger.warn({ err: String(e) }, "telegram_updates prune failed"));
  }
  return claimed;
}

export async function releaseUpdate(updateId: number): Promise<void> {
  const db = await getDb();
  await db
    .delete(telegramUpdates)
    .where(eq(telegramUpdates.updateId, updateId))
    .catch((e) => logger.warn({ err: String(e), updateId }, "could not release telegram update id"));
}
