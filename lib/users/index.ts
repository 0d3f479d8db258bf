import { randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { type Executor, getDb, preparedQuery } from "@/db";
import { type User, users } from "@/db/schema";
import { AppError } from "@/lib/errors";
import type { Locale } from "@/lib/locale";
import { findReferrerByCode, inviteCodeOf } from "@/lib/referrals/codes";

function newReferralCode(): string {
  return randomBytes(6).toString("base64url");
}

type CreateUserInput = {
  telegramId?: number | null;
  username?: string | null;
  firstName?: string | null;
  language?: Locale;
  startParam?: string | null;
  referredByUserId?: number | null;
};

export async function createUser(input: CreateUserInput = {}, ex?: Executor): Promise<User> {
  const db = ex ?? (await getDb());
  const [u] = await db
    .insert(users)
    .values({
      telegramId: input.telegramId ?? null,
      username: input.username ?? null,
      firstName: input.firstName ?? null,
      language: input.language ?? "en",
      startParam: input.startParam ?? null,
      referredByUserId: input.referredByUserId ?? null,
      referralCode: newReferralCode(),
    })
    .returning();
  return u;
}

/** Read on every portal page and API call: prepared once per client. */
const userByIdQuery = preparedQuery((db) =>
  db
    .select()
    .from(users)
    .where(eq(users.id, sql.placeholder("id")))
    .prepare("user_by_id"),
);

export async function getUserById(id: number, ex?: Executor): Promise<User> {
  const [u] = ex
    ? await ex.select().from(users).where(eq(users.id, id))
    : await (await userByIdQuery()).execute({ id });
  if (!u) throw new AppError("not_found", "User not found.");
  return u;
}

/** Languages: Chinese for `zh*` clients, English otherwise. */
export function languageFrom(code?: string | null): Locale {
  return code?.toLowerCase().startsWith("zh") ? "zh" : "en";
}

type TelegramProfile = {
  id: number;
  username?: string | null;
  first_name?: string | null;
  language_code?: string | null;
};

/**
 * The user for a Telegram account (bot, Login Widget, Mini App: the same row), created on first
 * sight with the language from `language_code`; profile fields refreshed when they change.
 * `current` is this account's row (or null: none) when the caller has just read it (the bot reads
 * it together with the update claim), which saves the select.
 */
export async function findOrCreateTelegramUser(
  profile: TelegramProfile,
  opts: { startParam?: string | null; current?: User | null } = {},
): Promise<{ user: User; created: boolean }> {
  if (!Number.isSafeInteger(profile.id) || profile.id <= 0)
    throw new AppError("bad_request", "Invalid Telegram user.");
  const db = await getDb();
  const known = opts.current !== undefined && (opts.current?.telegramId ?? profile.id) === profile.id;
  const [existing] = known
    ? opts.current
      ? [opts.current]
      : []
    : await db.select().from(users).where(eq(users.telegramId, profile.id));
  if (existing) {
    const username = profile.username ?? null;
    const firstName = profile.first_name ?? null;
    if (existing.username !== username || existing.firstName !== firstName) {
      const [u] = await db
        .update(users)
        .set({ username, firstName })
        .where(eq(users.id, existing.id))
        .returning();
      return { user: u, created: false };
    }
    return { user: existing, created: false };
  }
  // Referred only here, on first contact, and only by an active user's invite code (lib/referrals).
  const referrer = await findReferrerByCode(db, inviteCodeOf(opts.startParam));
  const referredBy = referrer?.status === "active" ? referrer.id : null;
  const [created] = await db
    .insert(users)
    .values({
      telegramId: profile.id,
      username: profile.username ?? null,
      firstName: profile.first_name ?? null,
      language: languageFrom(profile.language_code),
      startParam: opts.startParam?.slice(0, 64) ?? null,
      referredByUserId: referredBy,
      referralCode: newReferralCode(),
    })
    .onConflictDoNothing({ target: users.telegramId })
    .returning();
  if (created) return { user: created, created: true };
  // Lost a race with a concurrent first contact: the other insert won.
  const [u] = await db.select().from(users).where(eq(users.telegramId, profile.id));
  return { user: u, created: false };
}

export async function setUserLanguage(userId: number, language: Locale): Promise<void> {
  const db = await getDb();
  await db.update(users).set({ language }).where(eq(users.id, userId));
}
