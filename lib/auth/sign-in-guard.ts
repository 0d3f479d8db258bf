import "server-only";
import { randomBytes, timingSafeEqual } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import { cookies } from "next/headers";
import { getDb } from "@/db";
import { loginTokens } from "@/db/schema";
import { env } from "@/lib/env";
import { getSessionUser } from "./session";
import { hashToken } from "./login-link";

/**
 * What every portal sign-in goes through besides the proof of identity itself (lib/auth/auth.ts):
 *
 * - a pre-login nonce: the sign-in page asks for one (a server action sets it in an httpOnly,
 *   SameSite=Strict cookie and returns it), and the sign-in POST must carry the same value. A
 *   request forged from elsewhere — a link with someone's signed Login Widget fields, a form on
 *   another site — has no nonce of this browser, so it signs nobody in (login CSRF). Server
 *   actions are POSTs that Next only accepts from this origin;
 * - no silent account switch: a browser signed in as one user is never signed in as another
 *   unless the person chose it on the page ("Sign in as … instead").
 */
const LOGIN_NONCE_COOKIE = "teh_login_nonce";
const NONCE_TTL_S = 15 * 60;

export async function issueLoginNonce(): Promise<string> {
  const nonce = randomBytes(24).toString("base64url");
  (await cookies()).set(LOGIN_NONCE_COOKIE, nonce, {
    httpOnly: true,
    sameSite: "strict",
    secure: env.APP_URL.startsWith("https://"),
    path: "/",
    maxAge: NONCE_TTL_S,
  });
  return nonce;
}

/** True when `given` is this browser's current nonce; the nonce is used up either way. */
export async function consumeLoginNonce(given: unknown): Promise<boolean> {
  const jar = await cookies();
  const have = jar.get(LOGIN_NONCE_COOKIE)?.value;
  if (have) jar.delete(LOGIN_NONCE_COOKIE);
  if (typeof given !== "string" || !have) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(have);
  return a.length === b.length && timingSafeEqual(a, b);
}

type OtherAccount = { current: string };

/**
 * When this browser is signed in as someone other than the account about to sign in (by Telegram
 * id, or by user id for a one-time link), who it is signed in as; otherwise null.
 */
export async function otherAccountSignedIn(target: {
  telegramId?: number;
  userId?: number;
}): Promise<OtherAccount | null> {
  const me = await getSessionUser();
  if (!me || me.status === "banned") return null;
  const same =
    target.userId !== undefined
      ? me.id === target.userId
      : me.telegramId !== null && me.telegramId === target.telegramId;
  if (same) return null;
  return { current: me.firstName ?? (me.username ? `@${me.username}` : `#${me.id}`) };
}

/** The user a one-time link belongs to, without using it up (null when unknown or spent). */
export async function loginTokenOwner(token: string): Promise<number | null> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  const db = await getDb();
  const [row] = await db
    .select({ userId: loginTokens.userId })
    .from(loginTokens)
    .where(and(eq(loginTokens.tokenHash, hashToken(token)), isNull(loginTokens.usedAt)));
  return row?.userId ?? null;
}
