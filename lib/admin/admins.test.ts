import { and, eq, inArray, isNull, ne } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb, getDbKind } from "@/db";
import { adminSessions, admins, auditLog } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { setAdminRoleAction, setAdminStatusAction } from "./actions";
import { assertOwnerRemains } from "./admins";
import { type AdminContext, getSessionAdmin, signIn } from "./auth";
import { ADMIN_PASSWORD, adminContext, adminSessionToken } from "@/test/admins";

async function row(id: number) {
  const db = await getDb();
  const [a] = await db.select().from(admins).where(eq(admins.id, id));
  return a;
}

async function auditOf(id: number) {
  const db = await getDb();
  return db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.targetType, "admin"), eq(auditLog.targetId, String(id))))
    .orderBy(auditLog.id);
}

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (x) => x,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

let owner: AdminContext;

beforeAll(async () => {
  owner = await adminContext("owner");
});

describe("changing another admin's role", () => {
  it("takes effect on the admin's next request, audited with before → after and the actor", async () => {
    const op = await adminContext("operator");
    const token = await adminSessionToken(op.admin);
    const r = await setAdminRoleAction(owner, { adminId: op.admin.id, role: "viewer" });
    expect(r).toMatchObject({ id: op.admin.id, role: "viewer", changed: true });
    expect((await getSessionAdmin(token))?.admin.role).toBe("viewer");
    const [a] = await auditOf(op.admin.id).then((rows) =>
      rows.filter((x) => x.action === "admin.role.change"),
    );
    expect(a).toMatchObject({
      adminId: owner.admin.id,
      before: { role: "operator" },
      after: { role: "viewer" },
      ip: "192.0.2.9",
    });
    // the same role again: nothing to do, nothing audited
    const again = await setAdminRoleAction(owner, { adminId: op.admin.id, role: "viewer" });
    expect(again.changed).toBe(false);
    expect((await auditOf(op.admin.id)).filter((x) => x.action === "admin.role.change")).toHaveLength(1);
  });

  it("refuses non-owners (403), bad input (400), unknown admins (404); nothing changes", async () => {
    const op = await adminContext("operator");
    const viewer = await adminContext("viewer");
    const target = await adminContext("viewer");
    expect((await refusal(setAdminRoleAction(op, { adminId: target.admin.id, role: "owner" }))).status).toBe(
      403,
    );
    expect(
      (await refusal(setAdminStatusAction(viewer, { adminId: target.admin.id, status: "disabled" }))).status,
    ).toBe(403);
    expect(
      (await refusal(setAdminRoleAction(owner, { adminId: target.admin.id, role: "root" }))).status,
    ).toBe(400);
    expect(
      (await refusal(setAdminRoleAction(owner, { adminId: 2_000_000_001, role: "viewer" }))).status,
    ).toBe(404);
    expect((await row(target.admin.id)).role).toBe("viewer");
    expect(await auditOf(target.admin.id)).toHaveLength(1); // admin.create only
  });

  it("refuses acting on oneself with a clear error", async () => {
    const me = await adminContext("owner");
    const e1 = await refusal(setAdminRoleAction(me, { adminId: me.admin.id, role: "viewer" }));
    expect(e1.code).toBe("bad_request");
    expect(e1.message).toMatch(/your own/);
    const e2 = await refusal(setAdminStatusAction(me, { adminId: me.admin.id, status: "disabled" }));
    expect(e2.message).toMatch(/your own/);
    const r = await row(me.admin.id);
    expect(r.role).toBe("owner");
    expect(r.disabledAt).toBeNull();
  });
});

describe("disabling and re-enabling an admin", () => {
  it("ends their sessions at once and blocks sign-in; re-enabling lets them sign in again; both audited", async () => {
    const op = await adminContext("operator");
    const t1 = await adminSessionToken(op.admin);
    const t2 = await adminSessionToken(op.admin);
    expect(await getSessionAdmin(t1)).not.toBeNull();
    const r = await setAdminStatusAction(owner, { adminId: op.admin.id, status: "disabled" });
    expect(r).toMatchObject({ disabled: true, changed: true, sessionsEnded: 2 });
    expect(await getSessionAdmin(t1)).toBeNull();
    expect(await getSessionAdmin(t2)).toBeNull();
    const db = await getDb();
    expect(await db.select().from(adminSessions).where(eq(adminSessions.adminId, op.admin.id))).toHaveLength(
      0,
    );
    await expect(signIn({ email: op.admin.email, password: ADMIN_PASSWORD })).rejects.toMatchObject({
      code: "unauthorized",
    });
    // a disabled admin's own (stale) context can do nothing either
    expect(
      (
        await refusal(
          setAdminRoleAction(
            { ...op, admin: { ...op.admin, role: "owner" } },
            { adminId: owner.admin.id, role: "viewer" },
          ),
        )
      ).status,
    ).toBe(403);

    const back = await setAdminStatusAction(owner, { adminId: op.admin.id, status: "active" });
    expect(back).toMatchObject({ disabled: false, changed: true });
    expect(await getSessionAdmin(t1)).toBeNull(); // old sessions stay ended
    expect(await getSessionAdmin(await adminSessionToken(op.admin))).not.toBeNull();
    expect((await auditOf(op.admin.id)).map((a) => a.action)).toEqual([
      "admin.create",
      "admin.disable",
      "admin.enable",
    ]);
  });
});

describe("the last active owner", () => {
  it("is never demoted or disabled (the rule itself)", () => {
    const t = { id: 5, email: "last@test.example" };
    const e = (() => {
      try {
        assertOwnerRemains([5], t, "demote");
      } catch (x) {
        return x as AppError;
      }
    })();
    expect(e?.code).toBe("invalid_state");
    expect(e?.message).toMatch(/last active owner/);
    expect(() => assertOwnerRemains([5], t, "disable")).toThrow(/last active owner/);
    expect(() => assertOwnerRemains([5, 6], t, "disable")).not.toThrow();
    expect(() => assertOwnerRemains([6], t, "demote")).not.toThrow(); // not an active owner
  });

  describe("with exactly two active owners", () => {
    let others: number[] = [];
    let a: AdminContext;
    let b: AdminContext;
    beforeAll(async () => {
      a = await adminContext("owner");
      b = await adminContext("owner");
      const db = await getDb();
      // Park every other active owner of the shared test database for these tests.
      const rows = await db
        .update(admins)
        .set({ disabledAt: new Date() })
        .where(
          and(
            eq(admins.role, "owner"),
            isNull(admins.disabledAt),
            ne(admins.id, a.admin.id),
            ne(admins.id, b.admin.id),
          ),
        )
        .returning({ id: admins.id });
      others = rows.map((r) => r.id);
    });
    afterAll(async () => {
      const db = await getDb();
      if (others.length) await db.update(admins).set({ disabledAt: null }).where(inArray(admins.id, others));
    });

    async function activeOwners() {
      const db = await getDb();
      const rows = await db
        .select({ id: admins.id })
        .from(admins)
        .where(and(eq(admins.role, "owner"), isNull(admins.disabledAt)));
      return rows.map((r) => r.id);
    }

    it("two owners demoting each other at once: exactly one succeeds, one owner remains", async () => {
      const results = await Promise.allSettled([
        setAdminRoleAction(a, { adminId: b.admin.id, role: "operator" }),
        setAdminRoleAction(b, { adminId: a.admin.id, role: "operator" }),
      ]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      const failed = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
      expect(failed.reason).toBeInstanceOf(AppError);
      expect(failed.reason.status).toBe(403);
      const left = await activeOwners();
      expect(left).toHaveLength(1);
      // the one left cannot be removed by the demoted one, and restores the other
      const winner = left[0] === a.admin.id ? a : b;
      const loser = winner === a ? b : a;
      expect(
        (await refusal(setAdminStatusAction(loser, { adminId: winner.admin.id, status: "disabled" }))).status,
      ).toBe(403);
      await setAdminRoleAction(winner, { adminId: loser.admin.id, role: "owner" });
      expect((await activeOwners()).sort()).toEqual([a.admin.id, b.admin.id].sort());
    });

    it("an owner whose own demotion is committing meanwhile cannot remove the other owner", async () => {
      if ((await getDbKind()) === "pglite") return; // one connection: no two transactions at once
      const db = await getDb();
      let commit!: () => void;
      const go = new Promise<void>((r) => {
        commit = r;
      });
      let locked!: () => void;
      const holding = new Promise<void>((r) => {
        locked = r;
      });
      // B's change in flight: the owners' rows locked (as lockForChange does), A demoted, not committed yet.
      const bTx = db.transaction(async (tx) => {
        await tx
          .select({ id: admins.id })
          .from(admins)
          .where(and(eq(admins.role, "owner"), isNull(admins.disabledAt)))
          .orderBy(admins.id)
          .for("update");
        await tx.update(admins).set({ role: "operator" }).where(eq(admins.id, a.admin.id));
        locked();
        await go;
      });
      await holding;
      const aTry = setAdminStatusAction(a, { adminId: b.admin.id, status: "disabled" }).then(
        () => null,
        (x) => x,
      );
      await new Promise((r) => setTimeout(r, 150));
      commit();
      await bTx;
      const e = await aTry;
      expect(e).toBeInstanceOf(AppError);
      expect(e.status).toBe(403);
      expect(await activeOwners()).toEqual([b.admin.id]);
      await setAdminRoleAction(b, { adminId: a.admin.id, role: "owner" });
    });

    it("two owners disabling each other at once: exactly one succeeds, one owner remains", async () => {
      const results = await Promise.allSettled([
        setAdminStatusAction(a, { adminId: b.admin.id, status: "disabled" }),
        setAdminStatusAction(b, { adminId: a.admin.id, status: "disabled" }),
      ]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      expect(await activeOwners()).toHaveLength(1);
    });
  });
});
