import type { Executor } from "@/db";
import { auditLog } from "@/db/schema";

type AuditInput = {
  adminId: number | null;
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  before?: unknown;
  after?: unknown;
  ip?: string | null;
};

const jsonSafe = (v: unknown) =>
  v === undefined
    ? null
    : JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? x.toString() : x)));

/** Writes one audit row (who, what, target, before → after, IP); call it inside the change's transaction. */
export async function writeAudit(ex: Executor, a: AuditInput): Promise<void> {
  await ex.insert(auditLog).values({
    adminId: a.adminId,
    action: a.action,
    targetType: a.targetType ?? null,
    targetId: a.targetId ?? null,
    before: jsonSafe(a.before),
    after: jsonSafe(a.after),
    ip: a.ip ?? null,
  });
}
