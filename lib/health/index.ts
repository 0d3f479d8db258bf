import { pingDb } from "@/db";
import { checkSchema } from "@/db/migration-state";

/**
 * Health checks for `/api/health` and the admin dashboard. Each check answers "ok" or throws; a
 * slow check counts as failing after its timeout. Domains register theirs (`lib/health/checks`
 * imports every one).
 */
type CheckResult = "ok" | `fail: ${string}`;

type Check = { name: string; run: () => Promise<unknown>; timeoutMs?: number };

const checks: Check[] = [
  { name: "db", run: pingDb, timeoutMs: 3_000 },
  // The database's applied migrations are exactly this code's (db/migration-state).
  { name: "schema", run: checkSchema, timeoutMs: 3_000 },
];

export function registerHealthCheck(check: Check) {
  const i = checks.findIndex((c) => c.name === check.name);
  if (i >= 0) checks[i] = check;
  else checks.push(check);
}

async function runOne(c: Check): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      c.run(),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`timed out after ${c.timeoutMs ?? 3000} ms`)),
          c.timeoutMs ?? 3000,
        );
      }),
    ]);
    return "ok";
  } catch (e) {
    const msg = e instanceof Error ? e.message.split("\n")[0].slice(0, 200) : "failed";
    return `fail: ${msg}`;
  } finally {
    clearTimeout(timer);
  }
}

type HealthReport = { status: "ok" | "fail"; checks: Record<string, CheckResult> };

export async function runHealthChecks(): Promise<HealthReport> {
  const results = await Promise.all(checks.map(async (c) => [c.name, await runOne(c)] as const));
  const out = Object.fromEntries(results);
  return { status: results.every(([, r]) => r === "ok") ? "ok" : "fail", checks: out };
}

let recent: { at: number; report: Promise<HealthReport> } | null = null;

/** The health report, run at most once per `maxAgeMs` (the admin dashboard's banner). */
export function recentHealth(maxAgeMs = 10_000): Promise<HealthReport> {
  if (!recent || Date.now() - recent.at > maxAgeMs) recent = { at: Date.now(), report: runHealthChecks() };
  return recent.report;
}
