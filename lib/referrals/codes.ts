import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Executor } from "@/db";
import { users } from "@/db/schema";

/**
 * Invite codes. Every user has one (`users.referral_code`, 6 random bytes in base64url, made when
 * the account is, so it says nothing about the user id). The bot's deep link carries it as the
 * /start parameter `ref_<code>`, the portal's link as `/r/<code>`.
 */
export const inviteCodeSchema = z.string().regex(/^[A-Za-z0-9_-]{4,32}$/, "Not an invite code.");

const START_PREFIX = "ref_";

/** The invite code in a /start (or Mini App start) parameter, or null when it is not an invite. */
export function inviteCodeOf(startParam: string | null | undefined): string | null {
  if (!startParam?.startsWith(START_PREFIX)) return null;
  const p = inviteCodeSchema.safeParse(startParam.slice(START_PREFIX.length));
  return p.success ? p.data : null;
}

/** The /start parameter that carries an invite code. */
export const inviteStartParam = (code: string) => `${START_PREFIX}${code}`;

/** Whether a /start parameter is meant as an invite (well-formed or not). */
export const looksLikeInvite = (startParam: string | null | undefined) =>
  !!startParam?.startsWith(START_PREFIX);

/** The user whose invite code this is (active or not), or null. */
export async function findReferrerByCode(
  ex: Executor,
  code: string | null,
): Promise<{ id: number; status: string } | null> {
  if (!code) return null;
  const [r] = await ex
    .select({ id: users.id, status: users.status })
    .from(users)
    .where(eq(users.referralCode, code))
    .limit(1);
  return r ?? null;
}
