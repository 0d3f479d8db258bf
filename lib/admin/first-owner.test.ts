import { eq, sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { admins, auditLog } from "@/db/schema";
import { changePassword, getSessionAdmin, signIn } from "./auth";
import { ensureFirstOwner, ensureFirstOwnerOnStart, firstSignInPending } from "./first-owner";

/** A database with no admin at all, as on a fresh install. */
async function noAdmins() {
  const db = await getDb();
  await db.execute(sql`update audit_log set admin_id = null where admin_id is not null`);
  await db.execute(sql`delete from admins`);
}

describe("first owner", () => {
  beforeEach(noAdmins);

  it("the first start with no admin creates one owner and prints its one-time password once", async () => {
    const printed: string[] = [];
    await ensureFirstOwnerOnStart((t) => printed.push(t));
    expect(printed).toHaveLength(1);
    const password = /password\s+(\S+)/.exec(printed[0])?.[1] ?? "";
    expect(password).toMatch(/^[A-Za-z0-9]{5}(-[A-Za-z0-9]{5}){3}$/);
    expect(printed[0]).toContain("owner@example.com");
    expect(printed[0]).toContain("/admin/sign-in");

    const db = await getDb();
    const rows = await db.select().from(admins);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ email: "owner@example.com", role: "owner", mustChangePassword: true });
    expect(rows[0].passwordHash).not.toContain(password);
    const audit = await db
      .select()
      .from(auditLog)
      .where(eq(auditLog.targetId, String(rows[0].id)));
    expect(audit.map((a) => a.action)).toContain("admin.create_first_owner");

    // A restart finds the owner and prints nothing.
    await ensureFirstOwnerOnStart((t) => printed.push(t));
    expect(printed).toHaveLength(1);

    // The printed password signs in; the console then asks for a new one before anything else.
    expect(await firstSignInPending()).toBe(true);
    const r = await signIn({ email: "owner@example.com", password });
    if (r.status !== "ok") throw new Error("sign-in failed");
    expect(r.admin.mustChangePassword).toBe(true);
    expect(await firstSignInPending()).toBe(false);
    const ctx = await getSessionAdmin(r.token);
    await changePassword({ ...ctx!, ip: null }, { current: password, next: "a much longer password 123" });
    expect((await db.select().from(admins))[0].mustChangePassword).toBe(false);
  });

  it("several processes starting at once create exactly one owner", async () => {
    // Each call takes its own connection from the pool, as separate app processes would.
    const results = await Promise.all(Array.from({ length: 6 }, () => ensureFirstOwner()));
    expect(results.filter((r) => r !== null)).toHaveLength(1);
    const db = await getDb();
    expect(await db.select().from(admins)).toHaveLength(1);
  });

  it("does nothing when any admin exists", async () => {
    const db = await getDb();
    await db.insert(admins).values({ email: "ops@example.com", role: "viewer", passwordHash: "x" });
    expect(await ensureFirstOwner()).toBeNull();
    expect(await db.select().from(admins)).toHaveLength(1);
  });
});
