import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, isNull, lt, lte, or, sql } from "drizzle-orm";
import { generateSecret, generateURI, verify as verifyTotpCode } from "otplib";
import { z } from "zod";
import { getDb } from "@/db";
import { type Admin, type AdminRole, adminSessions, adminSigninAttempts, admins } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { hashPassword, oneTimePassword, verifyPassword } from "@/lib/auth/password";
import { AppError, isAppError } from "@/lib/errors";
import { SharedLimiter } from "@/lib/security/rate-limit";
import { decryptSecret, encryptSecret } from "@/lib/tron/keys";
import { can, type Permission } from "./permissions";

/**
 * Admin authentication, separate from the portal's Auth.js sessions: email + argon2id password,
 * optional TOTP, lockout after repeated failures, a per-IP / per-email rate limit, and DB-backed
 * sessions (a random token in the `teh_admin` cookie; only its SHA-256 is stored).
 */
export const ADMIN_COOKIE = "teh_admin";
export const authConfig = {
  sessionTtlMs: 12 * 3600_000,
  /** Wrong passwords (or codes) in a row before the account locks. */
  maxFailedLogins: 5,
  lockMs: 15 * 60_000,
  /** Failed attempts allowed per window, per email and per IP. */
  rateWindowMs: 15 * 60_000,
  maxFailuresPerEmail: 20,
  maxFailuresPerIp: 50,
};

export type AdminIdentity = {
  id: number;
  email: string;
  role: AdminRole;
  mustChangePassword: boolean;
  totpEnabled: boolean;
};

/** Who is acting and from where; every admin action takes one. */
export type AdminContext = { admin: AdminIdentity; ip: string | null; sessionId?: number };

const identityOf = (a: Admin): AdminIdentity => ({
  id: a.id,
  email: a.email,
  role: a.role,
  mustChangePassword: a.mustChangePassword,
  totpEnabled: a.totpSecret != null,
});

/**
 * THE permission check. Throws `unauthorized` without a session, `forbidden` when the role lacks
 * the permission (or the first-sign-in password change is still due). Call before touching data.
 */
export function authorize(ctx: AdminContext | null | undefined, permission: Permission): AdminContext {
  if (!ctx) throw new AppError("unauthorized", "Please sign in to the admin console.");
  if (ctx.admin.mustChangePassword && permission !== "self.update")
    throw new AppError("forbidden", "Change your one-time password first.");
  if (!can(ctx.admin.role, permission))
    throw new AppError("forbidden", "Your role does not allow this action.", { details: { permission } });
  return ctx;
}

const emailSchema = z
  .email()
  .max(254)
  .transform((e) => e.trim().toLowerCase());
const passwordSchema = z
  .string()
  .min(12, "Use at least 12 characters.")
  .max(200, "Use at most 200 characters.");

// A real argon2id hash to verify against when the email is unknown (same timing as a wrong password).
let dummyHash: Promise<string> | undefined;

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

export async function createAdmin(
  input: { email: string; role: AdminRole; password?: string },
  actor: { adminId?: number | null; ip?: string | null } = {},
): Promise<{ admin: AdminIdentity; password: string }> {
  const p = z
    .object({
      email: emailSchema,
      role: z.enum(["owner", "operator", "viewer"]),
      password: passwordSchema.optional(),
    })
    .safeParse(input);
  if (!p.success) throw new AppError("bad_request", "Give a valid email and role.");
  const password = p.data.password ?? oneTimePassword();
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [exists] = await tx.select({ id: admins.id }).from(admins).where(eq(admins.email, p.data.email));
    if (exists) throw new AppError("conflict", "An admin with this email already exists.");
    const [row] = await tx
      .insert(admins)
      .values({
        email: p.data.email,
        role: p.data.role,
        passwordHash: await hashPassword(password),
        mustChangePassword: p.data.password === undefined,
      })
      .returning();
    await writeAudit(tx, {
      adminId: actor.adminId ?? null,
      action: "admin.create",
      targetType: "admin",
      targetId: String(row.id),
      after: { email: row.email, role: row.role },
      ip: actor.ip ?? null,
    });
    return { admin: identityOf(row), password };
  });
}

type SignInResult =
  | { status: "ok"; token: string; admin: AdminIdentity; expiresAt: Date }
  | { status: "totp_required" };

const signInSchema = z.object({
  email: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(200),
  totp: z
    .string()
    .trim()
    .regex(/^\d{6}$/)
    .optional()
    .or(z.literal("").transform(() => undefined)),
  ip: z.string().max(100).nullish(),
  userAgent: z.string().max(500).nullish(),
});

const WRONG = "Wrong email or password.";
const LOCKED = "This account is locked after repeated failed sign-ins. Try again later.";

/** Attempts per window, per email and per trusted client IP, in the store every instance shares. */
const attemptsByEmail = new SharedLimiter("admin-signin-email", authConfig.rateWindowMs / 1000);
const attemptsByIp = new SharedLimiter("admin-signin-ip", authConfig.rateWindowMs / 1000);
/** Failures on emails that belong to no admin, so they lock exactly as a real account does. */
const unknownEmailFailures = new SharedLimiter("admin-signin-unknown", authConfig.lockMs / 1000);

/**
 * Checks the password (and the TOTP code when the second factor is on) and opens a session.
 *
 * Every attempt is counted before anything is checked, atomically, so parallel guesses cannot
 * slip past: first against the per-email and per-IP windows (`rate_limited`), then against the
 * account itself — one UPDATE adds the attempt to `failed_logins` and sets `locked_until` when it
 * reaches the limit, and only attempts it counted on an unlocked account get their password
 * hashed. At most `maxFailedLogins` passwords are checked per lock period, however many arrive
 * at once. An email that belongs to no admin gets the same answers at the same points (wrong
 * password, then locked), so the replies tell nobody which admin emails exist.
 */
export async function signIn(input: z.input<typeof signInSchema>): Promise<SignInResult> {
  const parsed = signInSchema.safeParse(input);
  if (!parsed.success) throw new AppError("unauthorized", WRONG);
  const { password, totp, ip = null, userAgent = null } = parsed.data;
  const email = parsed.data.email.toLowerCase();
  const db = await getDb();
  const record = (success: boolean, reason: string | null) =>
    db.insert(adminSigninAttempts).values({ email: email.slice(0, 254), ip, success, reason });
  try {
    await attemptsByEmail.hit(email, authConfig.maxFailuresPerEmail);
    if (ip) await attemptsByIp.hit(ip, authConfig.maxFailuresPerIp);
  } catch (e) {
    if (!isAppError(e) || e.code !== "rate_limited") throw e;
    await record(false, "rate_limited");
    throw new AppError("rate_limited", "Too many sign-in attempts. Wait a few minutes and try again.");
  }
  const locked = async () => {
    await record(false, "locked");
    return new AppError("forbidden", LOCKED);
  };

  const [admin] = await db.select().from(admins).where(eq(admins.email, email));
  if (!admin || admin.disabledAt) {
    const used = await unknownEmailFailures
      .hit(email, authConfig.maxFailedLogins)
      .then(() => false)
      .catch((e) => {
        if (isAppError(e) && e.code === "rate_limited") return true;
        throw e;
      });
    if (used) throw await locked();
    dummyHash ??= hashPassword(randomBytes(16).toString("hex"));
    await verifyPassword(await dummyHash, password);
    await record(false, admin ? "disabled" : "unknown_email");
    throw new AppError("unauthorized", WRONG);
  }

  // Count this attempt on the account (as a failure until proven otherwise), or find it locked.
  const max = authConfig.maxFailedLogins;
  const lockSeconds = Math.ceil(authConfig.lockMs / 1000);
  const [counted] = await db
    .update(admins)
    .set({
      failedLogins: sql`case when ${admins.failedLogins} + 1 >= ${max} then 0 else ${admins.failedLogins} + 1 end`,
      lockedUntil: sql`case when ${admins.failedLogins} + 1 >= ${max}
        then now() + make_interval(secs => ${lockSeconds}) else ${admins.lockedUntil} end`,
    })
    .where(and(eq(admins.id, admin.id), or(isNull(admins.lockedUntil), lte(admins.lockedUntil, sql`now()`))))
    .returning({ failedLogins: admins.failedLogins, lockedUntil: admins.lockedUntil });
  if (!counted) throw await locked();
  const lockedNow = counted.lockedUntil !== null && counted.failedLogins === 0;
  const fail = async (reason: string, message: string) => {
    await record(false, reason);
    if (lockedNow)
      await writeAudit(db, {
        adminId: null,
        action: "admin.locked",
        targetType: "admin",
        targetId: String(admin.id),
        after: { failedLogins: max },
        ip,
      });
    throw new AppError("unauthorized", message);
  };
  if (!(await verifyPassword(admin.passwordHash, password))) return fail("wrong_password", WRONG);
  if (admin.totpSecret) {
    if (!totp) return { status: "totp_required" };
    if (!(await checkTotp(decryptSecret(admin.totpSecret), totp)))
      return fail("wrong_totp", "The authenticator code is not right.");
  }
  await db
    .update(admins)
    .set({ failedLogins: 0, lockedUntil: null, lastLoginAt: new Date() })
    .where(eq(admins.id, admin.id));
  await attemptsByEmail.forget(email, authConfig.maxFailuresPerEmail);
  await record(true, null);
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + authConfig.sessionTtlMs);
  await db.insert(adminSessions).values({
    adminId: admin.id,
    tokenHash: sha256(token),
    ip,
    userAgent: userAgent?.slice(0, 500) ?? null,
    expiresAt,
  });
  // Old sessions of this admin are cleaned up here rather than by a job.
  await db
    .delete(adminSessions)
    .where(and(eq(adminSessions.adminId, admin.id), lt(adminSessions.expiresAt, new Date())));
  return { status: "ok", token, admin: identityOf(admin), expiresAt };
}

/** The admin behind a session token, or null (unknown, expired, or the admin is disabled). */
export async function getSessionAdmin(
  token: string | null | undefined,
): Promise<{ sessionId: number; admin: AdminIdentity } | null> {
  if (!token || token.length > 200) return null;
  const db = await getDb();
  const [row] = await db
    .select({ s: adminSessions, a: admins })
    .from(adminSessions)
    .innerJoin(admins, eq(admins.id, adminSessions.adminId))
    .where(and(eq(adminSessions.tokenHash, sha256(token)), gt(adminSessions.expiresAt, new Date())));
  if (!row || row.a.disabledAt) return null;
  return { sessionId: row.s.id, admin: identityOf(row.a) };
}

export async function signOut(token: string | null | undefined): Promise<void> {
  if (!token) return;
  const db = await getDb();
  await db.delete(adminSessions).where(eq(adminSessions.tokenHash, sha256(token)));
}

async function checkTotp(secret: string, code: string): Promise<boolean> {
  try {
    const r = await verifyTotpCode({ secret, token: code, epochTolerance: 30 });
    return r.valid;
  } catch {
    return false;
  }
}

/** Changes one's own password (the current one is required); clears the first-sign-in flag. */
export async function changePassword(
  ctx: AdminContext,
  input: { current: string; next: string },
): Promise<void> {
  authorize(ctx, "self.update");
  const p = z.object({ current: z.string().min(1).max(200), next: passwordSchema }).safeParse(input);
  if (!p.success)
    throw new AppError("bad_request", "Choose a new password of at least 12 characters.", {
      fields: { next: "Use at least 12 characters." },
    });
  if (p.data.current === p.data.next)
    throw new AppError("bad_request", "The new password must differ from the current one.", {
      fields: { next: "Choose a different password." },
    });
  const db = await getDb();
  const [a] = await db.select().from(admins).where(eq(admins.id, ctx.admin.id));
  if (!a || !(await verifyPassword(a.passwordHash, p.data.current)))
    throw new AppError("unauthorized", "The current password is not right.", {
      fields: { current: "Not right." },
    });
  const passwordHash = await hashPassword(p.data.next);
  await db.transaction(async (tx) => {
    await tx.update(admins).set({ passwordHash, mustChangePassword: false }).where(eq(admins.id, a.id));
    await writeAudit(tx, {
      adminId: a.id,
      action: "admin.password.change",
      targetType: "admin",
      targetId: String(a.id),
      ip: ctx.ip,
    });
  });
}

/** A fresh TOTP secret and its otpauth:// URI (nothing stored until `enableTotp` confirms a code). */
export function newTotpSetup(email: string): { secret: string; uri: string } {
  const secret = generateSecret();
  return { secret, uri: generateURI({ issuer: "TRON Energy Helper", label: email, secret }) };
}

export async function enableTotp(ctx: AdminContext, input: { secret: string; code: string }): Promise<void> {
  authorize(ctx, "self.update");
  const p = z
    .object({ secret: z.string().regex(/^[A-Z2-7]{16,128}$/), code: z.string().regex(/^\d{6}$/) })
    .safeParse(input);
  if (!p.success || !(await checkTotp(p.data.secret, p.data.code)))
    throw new AppError("bad_request", "The authenticator code is not right.", {
      fields: { code: "Not right." },
    });
  const db = await getDb();
  await db.transaction(async (tx) => {
    await tx
      .update(admins)
      .set({ totpSecret: encryptSecret(p.data.secret) })
      .where(eq(admins.id, ctx.admin.id));
    await writeAudit(tx, {
      adminId: ctx.admin.id,
      action: "admin.totp.enable",
      targetType: "admin",
      targetId: String(ctx.admin.id),
      ip: ctx.ip,
    });
  });
}

export async function disableTotp(ctx: AdminContext, input: { code: string }): Promise<void> {
  authorize(ctx, "self.update");
  const db = await getDb();
  const [a] = await db.select().from(admins).where(eq(admins.id, ctx.admin.id));
  if (!a?.totpSecret) return;
  if (!(await checkTotp(decryptSecret(a.totpSecret), String(input.code ?? ""))))
    throw new AppError("bad_request", "The authenticator code is not right.", {
      fields: { code: "Not right." },
    });
  await db.transaction(async (tx) => {
    await tx.update(admins).set({ totpSecret: null }).where(eq(admins.id, a.id));
    await writeAudit(tx, {
      adminId: a.id,
      action: "admin.totp.disable",
      targetType: "admin",
      targetId: String(a.id),
      ip: ctx.ip,
    });
  });
}
