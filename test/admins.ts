import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { getDb, rowsOf } from "@/db";
import { type AdminContext, createAdmin, signIn } from "@/lib/admin/auth";
import type { AdminRole } from "@/db/schema";

/** Admins for the console's suites: made with a known password, signed in through lib/admin. */
export const ADMIN_PASSWORD = "correct horse battery staple";

/** A new active admin of `role` (unique email), with ADMIN_PASSWORD. */
export async function newAdmin(role: AdminRole): Promise<AdminContext["admin"]> {
  const { admin } = await createAdmin({
    email: `${role}-${randomUUID()}@test.example`,
    role,
    password: ADMIN_PASSWORD,
  });
  return admin;
}

/** A new active admin of `role` as the context lib/admin's actions take (acting from `ip`). */
export async function adminContext(role: AdminRole, ip: string | null = "192.0.2.9"): Promise<AdminContext> {
  return { admin: await newAdmin(role), ip };
}

/** A session token for `admin` (the value of the console's session cookie). */
export async function adminSessionToken(admin: { email: string }): Promise<string> {
  const r = await signIn({ email: admin.email, password: ADMIN_PASSWORD });
  if (r.status !== "ok") throw new Error(`sign-in of ${admin.email} failed: ${r.status}`);
  return r.token;
}

/** Everything a denied admin action must leave untouched. */
export async function adminFingerprint(): Promise<string> {
  const db = await getDb();
  const [r] = rowsOf(
    await db.execute(sql`select
      (select count(*) from audit_log) as audit,
      (select count(*) from ledger_entries) as ledger,
      (select count(*) from admins) as admins,
      (select coalesce(string_agg(id || ':' || role || ':' || (disabled_at is null) || ':' || (totp_secret is null)
        || ':' || must_change_password || ':' || md5(password_hash), ',' order by id), '') from admins) as ads,
      (select count(*) from admin_sessions) as sessions,
      (select count(*) from supplier_wallets) as wallets,
      (select coalesce(string_agg(id || ':' || status || ':' || priority, ',' order by id), '') from supplier_wallets) as ws,
      (select coalesce(string_agg(id || ':' || status || ':' || balance_sun, ',' order by id), '') from users) as us,
      (select coalesce(string_agg(key || '=' || value::text, ',' order by key), '') from settings) as st,
      (select coalesce(string_agg(id || ':' || status, ',' order by id), '') from orders) as os`),
  );
  return JSON.stringify(r, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
}
