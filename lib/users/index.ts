import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { type Executor, getDb } from "@/db";
import { type User, users } from "@/db/schema";
import { AppError } from "@/lib/errors";

export function newReferralCode(): string {
  return randomBytes(6).toString("base64url");
}

export type CreateUserInput = {
  telegramId?: number | null;
  username?: string | null;
  firstName?: string | null;
  language?: "zh" | "en";
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

export async function getUserById(id: number, ex?: Executor): Promise<User> {
  const db = ex ?? (await getDb());
  const [u] = await db.select().from(users).where(eq(users.id, id));
  if (!u) throw new AppError("not_found", "User not found.");
  return u;
}

/** Languages: Chinese for `zh*` clients, English otherwise. */
export function languageFrom(code?: string | null): "zh" | "en" {
  return code?.toLowerCase().startsWith("zh") ? "zh" : "en";
}
