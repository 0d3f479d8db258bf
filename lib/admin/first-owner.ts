import { isNotNull, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db";
import { admins } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { hashPassword, oneTimePassword } from "@/lib/auth/password";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { onShutdown } from "@/lib/lifecycle";
import { logger } from "@/lib/log";

/**
 * The first owner: on a database with no admin at all, the app creates an owner account with a
 * one-time password and prints it once on its own console, so a fresh install reaches the admin
 * console without stopping the app to run a script (the embedded database serves one process).
 *
 * Race-safe: the check and the insert run under a transaction-scoped advisory lock, so several app
 * processes starting at once on one PostgreSQL create one owner, and only the process that created
 * it prints the password.
 */
const LOCK_KEY = 0x7465_6801; // any constant shared by every process of this app

type FirstOwner = { email: string; password: string };

/** Creates the first owner when there is no admin yet; returns it (with its password) or null. */
export async function ensureFirstOwner(email = env.FIRST_OWNER_EMAIL): Promise<FirstOwner | null> {
  if (!z.email().safeParse(email.trim()).success)
    throw new AppError("bad_request", `"${email}" is not an email address.`);
  const db = await getDb();
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${LOCK_KEY})`);
    const [any] = await tx.select({ id: admins.id }).from(admins).limit(1);
    if (any) return null;
    const password = oneTimePassword();
    const [row] = await tx
      .insert(admins)
      .values({
        email: email.trim().toLowerCase(),
        role: "owner",
        passwordHash: await hashPassword(password),
        mustChangePassword: true,
      })
      .returning();
    await writeAudit(tx, {
      adminId: null,
      action: "admin.create_first_owner",
      targetType: "admin",
      targetId: String(row.id),
      after: { email: row.email, role: row.role },
      ip: null,
    });
    return { email: row.email, password };
  });
}

/** The console banner with the one-time password (the only place it ever appears). */
export function firstOwnerBanner(owner: FirstOwner, appUrl = env.APP_URL): string {
  const line = "=".repeat(78);
  return [
    line,
    " First start: no admin existed, so an owner account was created.",
    `   sign in at  ${new URL("/admin/sign-in", appUrl).toString()}`,
    `   email       ${owner.email}`,
    `   password    ${owner.password}`,
    " The password is shown only here, once. Change it at first sign-in (the console asks).",
    line,
  ].join("\n");
}

/**
 * Called once per server process at start (instrumentation.ts). Retries every 30 s while the
 * database cannot be reached, so an owner still appears once it is back.
 */
export async function ensureFirstOwnerOnStart(print: (text: string) => void = console.log): Promise<void> {
  try {
    const owner = await ensureFirstOwner();
    if (owner) {
      print(firstOwnerBanner(owner));
      logger.warn(
        { email: owner.email },
        "first owner created; its one-time password was printed on the console",
      );
    }
  } catch (e) {
    logger.error(
      { err: e instanceof Error ? e.message : String(e) },
      "could not check for the first admin; retrying in 30 s",
    );
    const timer = setTimeout(() => {
      unregister();
      void ensureFirstOwnerOnStart(print);
    }, 30_000).unref();
    const unregister = onShutdown("first-owner retry timer", () => clearTimeout(timer));
  }
}

/** True until some admin has signed in: the sign-in page then says where the password was printed. */
export async function firstSignInPending(): Promise<boolean> {
  const db = await getDb();
  const [signedIn] = await db
    .select({ id: admins.id })
    .from(admins)
    .where(isNotNull(admins.lastLoginAt))
    .limit(1);
  return !signedIn;
}
