import { and, desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { type Executor, getDb } from "@/db";
import { type Alert, alerts } from "@/db/schema";
import { logger } from "@/lib/log";

/**
 * Monitoring alerts. One open row per `dedupeKey`: raising it again bumps `occurrences` and
 * `last_seen_at` (and updates message/details/severity); `resolveAlert` closes it.
 */
const raiseSchema = z.object({
  rule: z.string().min(1).max(100),
  dedupeKey: z.string().min(1).max(300),
  severity: z.enum(["info", "warning", "critical"]).default("warning"),
  message: z.string().min(1).max(2000),
  details: z.record(z.string(), z.unknown()).optional(),
});

type RaiseAlertInput = z.input<typeof raiseSchema>;

const jsonSafe = (v: unknown) =>
  v === undefined
    ? null
    : JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? x.toString() : x)));

export async function raiseAlert(input: RaiseAlertInput, ex?: Executor): Promise<Alert> {
  const a = raiseSchema.parse(input);
  const db = ex ?? (await getDb());
  const details = jsonSafe(a.details);
  const [row] = await db
    .insert(alerts)
    .values({ rule: a.rule, dedupeKey: a.dedupeKey, severity: a.severity, message: a.message, details })
    .onConflictDoUpdate({
      target: alerts.dedupeKey,
      targetWhere: sql`status = 'open'`,
      set: {
        occurrences: sql`${alerts.occurrences} + 1`,
        lastSeenAt: new Date(),
        message: a.message,
        severity: a.severity,
        details,
      },
    })
    .returning();
  // Loud the first time; repeats of an open alert only bump its counter.
  const level = row.occurrences === 1 ? "warn" : "debug";
  logger[level](
    { rule: a.rule, dedupeKey: a.dedupeKey, occurrences: row.occurrences },
    `alert: ${a.message}`,
  );
  return row;
}

/** Resolves the open alert with this key (no-op when none is open). */
export async function resolveAlert(dedupeKey: string, ex?: Executor): Promise<boolean> {
  const db = ex ?? (await getDb());
  const rows = await db
    .update(alerts)
    .set({ status: "resolved", resolvedAt: new Date() })
    .where(and(eq(alerts.dedupeKey, dedupeKey), eq(alerts.status, "open")))
    .returning({ id: alerts.id });
  return rows.length > 0;
}

export async function listAlerts(
  opts: { status?: "open" | "resolved"; limit?: number } = {},
): Promise<Alert[]> {
  const db = await getDb();
  return db
    .select()
    .from(alerts)
    .where(opts.status ? eq(alerts.status, opts.status) : undefined)
    .orderBy(desc(alerts.lastSeenAt))
    .limit(Math.min(opts.limit ?? 100, 1000));
}

export async function getOpenAlert(dedupeKey: string): Promise<Alert | undefined> {
  const db = await getDb();
  const [row] = await db
    .select()
    .from(alerts)
    .where(and(eq(alerts.dedupeKey, dedupeKey), eq(alerts.status, "open")));
  return row;
}
