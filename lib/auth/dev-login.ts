import { createHash } from "node:crypto";
import { z } from "zod";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { findOrCreateTelegramUser } from "@/lib/users";
import { createLoginLink } from "./login-link";

/**
 * Development sign-in on the local devnet: with no Telegram bot (the usual case offline), a
 * developer signs in to the portal as a test user by name. It exists only when NODE_ENV is not
 * production and TRON_NETWORK is devnet; everywhere else its page answers 404 and this module
 * refuses. The user is an ordinary Telegram-keyed user with an id from a range Telegram does not
 * hand out (8,000,000,000 and up), derived from the name, so the same name is the same user.
 */
export function devSignInEnabled(): boolean {
  return env.NODE_ENV !== "production" && env.TRON_NETWORK === "devnet";
}

export const devNameSchema = z
  .string()
  .trim()
  .min(1, "Enter a name.")
  .max(32, "At most 32 characters.")
  .regex(/^[\p{L}\p{N} ._-]+$/u, "Letters, digits, spaces, dots, dashes and underscores only.");

export const DEV_TELEGRAM_ID_BASE = 8_000_000_000;

export function devTelegramId(name: string): number {
  const h = createHash("sha256").update(name.trim().toLowerCase()).digest();
  return DEV_TELEGRAM_ID_BASE + (h.readUInt32BE(0) % 1_000_000_000);
}

/**
 * A one-time sign-in token (the bot's login-link kind) for the test user of that name; a
 * `startParam` (an invite, `ref_<code>`) applies when this creates the user, as the bot's /start.
 */
export async function issueDevLoginToken(
  rawName: string,
  opts: { startParam?: string | null } = {},
): Promise<string> {
  if (!devSignInEnabled())
    throw new AppError("forbidden", "Development sign-in exists only in development on the local devnet.");
  const name = devNameSchema.parse(rawName);
  const { user } = await findOrCreateTelegramUser(
    { id: devTelegramId(name), first_name: name },
    { startParam: opts.startParam ?? null },
  );
  const { token } = await createLoginLink(user.id);
  return token;
}
