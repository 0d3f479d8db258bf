import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db";
import { users } from "@/db/schema";
import { writeAudit } from "@/lib/audit";
import { AppError } from "@/lib/errors";
import { adjust } from "@/lib/ledger";
import { parseTrx } from "@/lib/money";
import { defineAction, id, reason } from "./define";

/** More than all TRX there is (about 10^11): no correction is ever this large. */
const MAX_ADJUST_SUN = 10n ** 17n;
const tooLarge = (field: string) =>
  new AppError("invalid_amount", "That amount is too large.", { fields: { amountTrx: field } });
function hasCode(e: unknown, code: string): boolean {
  for (let cur: any = e, i = 0; i < 5 && cur; i++, cur = cur.cause) if (cur.code === code) return true;
  return false;
}

/** A manual balance correction: signed TRX amount, a required reason, one ledger row + one audit row. */
export const adjustBalanceAction = defineAction(
  "users.adjust",
  z.object({
    userId: id,
    amountTrx: z.string().trim().min(1, "Required.").max(40),
    reason,
    /** Sent by the form so a double submit posts once. */
    nonce: z
      .string()
      .regex(/^[A-Za-z0-9-]{8,64}$/)
      .optional(),
  }),
  async (ctx, i) => {
    const amountSun = parseTrx(i.amountTrx, { allowNegative: true, field: "amountTrx" });
    if (amountSun > MAX_ADJUST_SUN || amountSun < -MAX_ADJUST_SUN)
      throw tooLarge("At most 100,000,000,000 TRX.");
    const db = await getDb();
    return db
      .transaction(async (tx) => {
        const [u] = await tx.select().from(users).where(eq(users.id, i.userId));
        if (!u) throw new AppError("not_found", "User not found.");
        const r = await adjust(
          {
            userId: i.userId,
            amountSun,
            idempotencyKey: `adjust:${i.userId}:${i.nonce ?? randomUUID()}`,
            referenceType: "admin",
            referenceId: String(ctx.admin.id),
            memo: i.reason,
            adminId: ctx.admin.id,
          },
          tx,
        );
        if (!r.replayed)
          await writeAudit(tx, {
            adminId: ctx.admin.id,
            action: "user.adjust",
            targetType: "user",
            targetId: String(i.userId),
            before: { balanceSun: u.balanceSun },
            after: {
              balanceSun: r.entry.balanceAfterSun,
              amountSun,
              reason: i.reason,
              ledgerEntryId: r.entry.id,
            },
            ip: ctx.ip,
          });
        return { ledgerEntryId: r.entry.id, balanceSun: r.entry.balanceAfterSun, replayed: r.replayed };
      })
      .catch((e) => {
        // The balance column is a 64-bit integer: a sum past it is the amount's fault, not ours.
        if (hasCode(e, "22003")) throw tooLarge("The balance would exceed its largest value.");
        throw e;
      });
  },
);

export const setUserStatusAction = defineAction(
  "users.ban",
  z.object({ userId: id, status: z.enum(["active", "banned"]), reason: reason.optional() }),
  async (ctx, i) => {
    const db = await getDb();
    return db.transaction(async (tx) => {
      const [u] = await tx.select().from(users).where(eq(users.id, i.userId)).for("update");
      if (!u) throw new AppError("not_found", "User not found.");
      await tx.update(users).set({ status: i.status }).where(eq(users.id, u.id));
      await writeAudit(tx, {
        adminId: ctx.admin.id,
        action: i.status === "banned" ? "user.ban" : "user.unban",
        targetType: "user",
        targetId: String(u.id),
        before: { status: u.status },
        after: { status: i.status, reason: i.reason ?? null },
        ip: ctx.ip,
      });
      return { userId: u.id, status: i.status };
    });
  },
);
