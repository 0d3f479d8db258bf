import { createHash, randomBytes } from "node:crypto";
import { and, count, eq, gt, lt } from "drizzle-orm";
import { generateSecret, generateURI, verify as verifyTotpCode } from "otplib";
import { z } from "zod";
import { getDb } from "@/db";
import { type Admin, type AdminRole, adminSessions, adminSigninAttempts, admins } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { hashPassword, oneTimePassword, verifyPassword } from "@/lib/auth/password";
import { AppError } from "@/lib/errors";
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
export const passwordSchema = z
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

export type SignInResult =
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

/**
 * Checks the password (and the TOTP code when the second factor is on) and opens a session.
 * Refuses with `rate_limited` when too many attempts failed recently for this email or IP, and
 * with `forbidden` while the account is locked (even with the right password).
 */
export async function signIn(input: z.input<typeof signInSchema>): Promise<SignInResult> {
  const parsed = signInSchema.safeParse(input);
  if (!parsed.success) throw new AppError("unauthorized", WRONG);
  const { password, totp, ip = null, userAgent = null } = parsed.data;
  const email = parsed.data.email.toLowerCase();
  const db = await getDb();
  const since = new Date(Date.now() - authConfig.rateWindowMs);
  const [[byEmail], [byIp]] = await Promise.all([
    db
      .select({ n: count() })
      .from(adminSigninAttempts)
      .where(
        and(
          eq(adminSigninAttempts.email, email),
          eq(adminSigninAttempts.success, false),
          gt(adminSigninAttempts.createdAt, since),
        ),
      ),
    ip
      ? db
          .select({ n: count() })
          .from(adminSigninAttempts)
          .where(
            and(
              eq(adminSigninAttempts.ip, ip),
              eq(adminSigninAttempts.success, false),
              gt(adminSigninAttempts.createdAt, since),
            ),
          )
      : Promise.resolve([{ n: 0 }]),
  ]);
  const record = (success: boolean, reason: string | null) =>
    db.insert(adminSigninAttempts).values({ email: email.slice(0, 254), ip, success, reason });
  if (byEmail.n >= authConfig.maxFailuresPerEmail || byIp.n >= authConfig.maxFailuresPerIp) {
    await record(false, "rate_limited");
    throw new AppError("rate_limited", "Too many sign-in attempts. Wait a few minutes and try again.");
  }

  const [admin] = await db.select().from(admins).where(eq(admins.email, email));
  if (!admin || admin.disabledAt) {
    dummyHash ??= hashPassword(randomBytes(16).toString("hex"));
    await verifyPassword(await dummyHash, password);
    await record(false, admin ? "disabled" : "unknown_email");
    throw new AppError("unauthorized", WRONG);
  }
  if (admin.lockedUntil && admin.lockedUntil > new Date()) {
    await record(false, "locked");
    throw new AppError(
      "forbidden",
      "This account is locked after repeated failed sign-ins. Try again later.",
      {
        details: { lockedUntil: admin.lockedUntil.toISOString() },
      },
    );
  }
  const fail = async (reason: string, message: string) => {
    const failed = admin.failedLogins + 1;
    const lock = failed >= authConfig.maxFailedLogins;
    await db
      .update(admins)
      .set({
        failedLogins: lock ? 0 : failed,
        lockedUntil: lock ? new Date(Date.now() + authConfig.lockMs) : admin.lockedUntil,
      })
      .where(eq(admins.id, admin.id));
    await record(false, reason);
    if (lock)
      await writeAudit(db, {
        adminId: null,
        action: "admin.locked",
        targetType: "admin",
        targetId: String(admin.id),
        after: { failedLogins: failed },
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
