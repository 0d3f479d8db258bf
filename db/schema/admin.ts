import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { createdAt, tstz, updatedAt } from "./_columns";

export const adminRole = pgEnum("admin_role", ["owner", "operator", "viewer"]);

export const admins = pgTable("admins", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  /** Stored lower-case. */
  email: text("email").notNull().unique(),
  passwordHash: text("password_hash").notNull(),
  role: adminRole("role").notNull(),
  /** Encrypted TOTP secret, when the second factor is on. */
  totpSecret: text("totp_secret"),
  mustChangePassword: boolean("must_change_password").notNull().default(true),
  failedLogins: integer("failed_logins").notNull().default(0),
  lockedUntil: tstz("locked_until"),
  lastLoginAt: tstz("last_login_at"),
  disabledAt: tstz("disabled_at"),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const auditLog = pgTable(
  "audit_log",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    adminId: integer("admin_id").references(() => admins.id),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    before: jsonb("before"),
    after: jsonb("after"),
    ip: text("ip"),
    createdAt: createdAt(),
  },
  (t) => [
    index("audit_log_created_idx").on(t.createdAt),
    index("audit_log_target_idx").on(t.targetType, t.targetId),
  ],
);

export const alertSeverity = pgEnum("alert_severity", ["info", "warning", "critical"]);
export const alertStatus = pgEnum("alert_status", ["open", "resolved"]);

/** Monitoring alerts, deduplicated on `dedupe_key` while open, resolved when the condition clears. */
export const alerts = pgTable(
  "alerts",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    rule: text("rule").notNull(),
    dedupeKey: text("dedupe_key").notNull(),
    severity: alertSeverity("severity").notNull().default("warning"),
    status: alertStatus("status").notNull().default("open"),
    message: text("message").notNull(),
    details: jsonb("details").$type<Record<string, unknown>>(),
    occurrences: integer("occurrences").notNull().default(1),
    firstSeenAt: createdAt(),
    lastSeenAt: tstz("last_seen_at").notNull().defaultNow(),
    resolvedAt: tstz("resolved_at"),
    notifiedAt: tstz("notified_at"),
  },
  (t) => [
    uniqueIndex("alerts_open_dedupe_uq").on(t.dedupeKey).where(sql`${t.status} = 'open'`),
    index("alerts_status_idx").on(t.status, t.lastSeenAt),
  ],
);

export type Admin = typeof admins.$inferSelect;
export type AdminRole = (typeof adminRole.enumValues)[number];
export type AuditEntry = typeof auditLog.$inferSelect;
export type Alert = typeof alerts.$inferSelect;

/** Admin console sessions (separate from portal sessions): only the SHA-256 of the cookie token is stored. */
export const adminSessions = pgTable(
  "admin_sessions",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    adminId: integer("admin_id")
      .notNull()
      .references(() => admins.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull().unique(),
    ip: text("ip"),
    userAgent: text("user_agent"),
    createdAt: createdAt(),
    lastSeenAt: tstz("last_seen_at").notNull().defaultNow(),
    expiresAt: tstz("expires_at").notNull(),
  },
  (t) => [
    index("admin_sessions_admin_idx").on(t.adminId),
    index("admin_sessions_expires_idx").on(t.expiresAt),
  ],
);

/** Every admin sign-in attempt (for the per-IP / per-email rate limit and the audit trail). */
export const adminSigninAttempts = pgTable(
  "admin_signin_attempts",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    email: text("email").notNull(),
    ip: text("ip"),
    success: boolean("success").notNull(),
    reason: text("reason"),
    createdAt: createdAt(),
  },
  (t) => [
    index("admin_signin_attempts_email_idx").on(t.email, t.createdAt),
    index("admin_signin_attempts_ip_idx").on(t.ip, t.createdAt),
  ],
);

export type AdminSession = typeof adminSessions.$inferSelect;
