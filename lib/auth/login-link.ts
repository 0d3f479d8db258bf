import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, isNull } from "drizzle-orm";
import { getDb } from "@/db";
import { loginTokens } from "@/db/schema";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";

/**
 * One-time portal sign-in links issued by the bot: valid 10 minutes, single use, stored only as a
 * SHA-256 hash. `createLoginLink` is the bot's side, `consumeLoginToken` the portal's.
 */
export const LOGIN_LINK_TTL_MS = 10 * 60 * 1000;

export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

export async function createLoginLink(
  userId: number,
  now = new Date(),
): Promise<{ url: string; token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + LOGIN_LINK_TTL_MS);
  const db = await getDb();
  await db.insert(loginTokens).values({ tokenHash: hashToken(token), userId, expiresAt });
  const url = new URL(`/login/link?token=${encodeURIComponent(token)}`, env.APP_URL).toString();
  return { url, token, expiresAt };
}

type LoginLinkFailure = "invalid" | "used" | "expired";

/**
 * Uses a token once. Returns the user id, or throws `unauthorized` with `details.reason`
 * ("invalid", "used", "expired") so the page can say which.
 */
export async function consumeLoginToken(token: string, now = new Date()): Promise<number> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) throw failure("invalid");
  const db = await getDb();
  const h = hashToken(token);
  const [used] = await db
    .update(loginTokens)
    .set({ usedAt: now })
    .where(and(eq(loginTokens.tokenHash, h), isNull(loginTokens.usedAt), gt(loginTokens.expiresAt, now)))
    .returning({ userId: loginTokens.userId });
  if (used) return used.userId;
  const [row] = await db.select().from(loginTokens).where(eq(loginTokens.tokenHash, h));
  if (!row) throw failure("invalid");
  throw failure(row.usedAt ? "used" : "expired");
}

function failure(reason: LoginLinkFailure) {
  const messages: Record<LoginLinkFailure, string> = {
    invalid: "This sign-in link is not valid.",
    used: "This sign-in link was already used. Ask the bot for a new one.",
    expired: "This sign-in link has expired. Ask the bot for a new one.",
  };
  return new AppError("unauthorized", messages[reason], { details: { reason } });
}
