import { and, asc, eq, isNull } from "drizzle-orm";
import { getDb, type Tx } from "@/db";
import { type Admin, type AdminRole, adminSessions, admins } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { AppError } from "@/lib/errors";
import type { AdminContext } from "./auth";

/**
 * Managing other admins (owners only; the `admins.manage` permission is checked by the action
 * wrapper in ./actions before anything here runs). The rules, checked inside one transaction:
 * - nobody changes their own role or disables themselves (ask another owner);
 * - the console always keeps at least one active owner: demoting or disabling the last one is
 *   refused. The active owners' rows are locked first, in id order, so two owners demoting each
 *   other at the same moment cannot both succeed;
 * - the acting owner must still be an active owner when the change is made;
 * - disabling an admin deletes their sessions (and `getSessionAdmin` refuses disabled admins), so
 *   they are signed out on their next request.
 * Every change writes one audit row with before → after.
 */
type ManagedAdmin = { id: number; email: string; role: AdminRole; disabled: boolean };

const view = (a: Admin): ManagedAdmin => ({
  id: a.id,
  email: a.email,
  role: a.role,
  disabled: a.disabledAt != null,
});

async function lockForChange(
  tx: Tx,
  ctx: AdminContext,
  adminId: number,
): Promise<{ target: Admin; activeOwnerIds: number[] }> {
  if (adminId === ctx.admin.id)
    throw new AppError(
      "bad_request",
      "You cannot change your own role or disable your own account. Ask another owner.",
    );
  // Active owners first (id order: every writer locks in the same order), then the target.
  const owners = await tx
    .select({ id: admins.id })
    .from(admins)
    .where(and(eq(admins.role, "owner"), isNull(admins.disabledAt)))
    .orderBy(asc(admins.id))
    .for("update");
  const activeOwnerIds = owners.map((o) => o.id);
  if (!activeOwnerIds.includes(ctx.admin.id))
    throw new AppError("forbidden", "Only an active owner can manage admins.");
  const [target] = await tx.select().from(admins).where(eq(admins.id, adminId)).for("update");
  if (!target) throw new AppError("not_found", "Admin not found.");
  return { target, activeOwnerIds };
}

/**
 * Refuses a change that would leave no active owner: `target` stops being an active owner
 * (demoted or disabled) while it is the only one. With the acting owner checked above this holds
 * by construction; it is still checked here, on the locked rows, so it cannot depend on that.
 */
export function assertOwnerRemains(
  activeOwnerIds: readonly number[],
  target: { id: number; email: string },
  change: "demote" | "disable",
): void {
  if (!activeOwnerIds.includes(target.id)) return;
  if (activeOwnerIds.some((id) => id !== target.id)) return;
  throw new AppError(
    "invalid_state",
    `${target.email} is the last active owner; ${change === "demote" ? "demoting" : "disabling"} them would leave nobody able to manage the console. Make another admin an owner first.`,
  );
}

export async function setAdminRole(
  ctx: AdminContext,
  input: { adminId: number; role: AdminRole },
): Promise<ManagedAdmin & { changed: boolean }> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const { target, activeOwnerIds } = await lockForChange(tx, ctx, input.adminId);
    if (target.role === input.role) return { ...view(target), changed: false };
    if (input.role !== "owner") assertOwnerRemains(activeOwnerIds, target, "demote");
    const [row] = await tx
      .update(admins)
      .set({ role: input.role })
      .where(eq(admins.id, target.id))
      .returning();
    await writeAudit(tx, {
      adminId: ctx.admin.id,
      action: "admin.role.change",
      targetType: "admin",
      targetId: String(target.id),
      before: { role: target.role },
      after: { role: row.role },
      ip: ctx.ip,
    });
    return { ...view(row), changed: true };
  });
}

export async function setAdminDisabled(
  ctx: AdminContext,
  input: { adminId: number; disabled: boolean },
): Promise<ManagedAdmin & { changed: boolean; sessionsEnded: number }> {
  const db = await getDb();
  return db.transaction(async (tx) => {
    const { target, activeOwnerIds } = await lockForChange(tx, ctx, input.adminId);
    if ((target.disabledAt != null) === input.disabled)
      return { ...view(target), changed: false, sessionsEnded: 0 };
    if (input.disabled) assertOwnerRemains(activeOwnerIds, target, "disable");
    const [row] = await tx
      .update(admins)
      .set(
        input.disabled
          ? { disabledAt: new Date() }
          : { disabledAt: null, failedLogins: 0, lockedUntil: null },
      )
      .where(eq(admins.id, target.id))
      .returning();
    const ended = input.disabled
      ? await tx
          .delete(adminSessions)
          .where(eq(adminSessions.adminId, target.id))
          .returning({ id: adminSessions.id })
      : [];
    await writeAudit(tx, {
      adminId: ctx.admin.id,
      action: input.disabled ? "admin.disable" : "admin.enable",
      targetType: "admin",
      targetId: String(target.id),
      before: { disabledAt: target.disabledAt },
      after: { disabledAt: row.disabledAt, sessionsEnded: ended.length },
      ip: ctx.ip,
    });
    return { ...view(row), changed: true, sessionsEnded: ended.length };
  });
}
