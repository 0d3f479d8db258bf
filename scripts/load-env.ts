/**
 * Loads the same env files as the app, with Next's own loader (`@next/env`), from the directory the
 * command runs in (npm runs scripts from the project root). Import it FIRST in every script, before
 * anything that reads `lib/env`:
 *
 *   import { announceTarget } from "@/scripts/load-env";
 *
 * Order, as in Next: `.env.$(mode).local`, `.env.local` (skipped when NODE_ENV=test),
 * `.env.$(mode)`, `.env`, where mode is `production` when NODE_ENV=production, `test` when
 * NODE_ENV=test, else `development`. The first file that sets a variable wins, and a variable already
 * set in the environment wins over every file.
 */
import path from "node:path";
import * as nextEnv from "@next/env";

// @next/env is CommonJS: Node's ESM loader (tsx) exposes it as `default`, CommonJS loaders (drizzle-kit
// bundles drizzle.config.ts) as named exports.
const { loadEnvConfig } = ((nextEnv as { default?: typeof nextEnv }).default ?? nextEnv) as typeof nextEnv;
const fromEnvironment = new Set(Object.keys(process.env).filter((k) => process.env[k] !== ""));
const { loadedEnvFiles } = loadEnvConfig(process.cwd(), process.env.NODE_ENV !== "production", {
  info: () => {},
  error: (...args: unknown[]) => console.error(...args),
});

/** The env files read, in the order they take precedence (relative to the working directory). */
export const envFiles: string[] = loadedEnvFiles.map((f) => path.relative(process.cwd(), f.path) || f.path);

/** Where a variable's value came from: "the environment", the file that set it, or "default". */
export function sourceOf(name: string): string {
  if (fromEnvironment.has(name)) return "the environment";
  const file = loadedEnvFiles.find((f) => f.env[name] !== undefined && f.env[name] !== "");
  return file ? path.relative(process.cwd(), file.path) : "default";
}

/** A database URL without its password, for printing. */
export function redactDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(an unparseable DATABASE_URL)";
  }
}

/**
 * Prints which database and TRON network `command` is about to use, and where each setting came
 * from, before the command writes anything. Reads the settings through lib/env (so its defaults
 * and validation apply).
 */
export async function announceTarget(
  command: string,
  opts: { database?: boolean; network?: boolean; keys?: boolean } = {},
): Promise<void> {
  const { env } = await import("@/lib/env");
  const lines = [`${command}:`];
  if (opts.database !== false) {
    const db = env.DATABASE_URL
      ? `PostgreSQL ${redactDatabaseUrl(env.DATABASE_URL)}  (DATABASE_URL from ${sourceOf("DATABASE_URL")})`
      : `embedded PGlite at ${env.PGLITE_DIR}  (DATABASE_URL not set${
          sourceOf("PGLITE_DIR") === "default" ? "" : `; PGLITE_DIR from ${sourceOf("PGLITE_DIR")}`
        })`;
    lines.push(`  database  ${db}`);
  }
  if (opts.network !== false) {
    const { tronConfigFromEnv } = await import("@/lib/tron/client");
    lines.push(
      `  network   ${env.TRON_NETWORK} at ${tronConfigFromEnv().fullHost}  (TRON_NETWORK from ${sourceOf("TRON_NETWORK")})`,
    );
  }
  if (opts.keys) {
    lines.push(
      env.KEY_ENCRYPTION_KEY
        ? `  keys      encrypted with KEY_ENCRYPTION_KEY id "${env.KEY_ENCRYPTION_KEY_ID}"  (from ${sourceOf("KEY_ENCRYPTION_KEY")})`
        : "  keys      encrypted with the INSECURE development key (KEY_ENCRYPTION_KEY not set)",
      env.DATA_ENCRYPTION_KEY
        ? `  data      encrypted with DATA_ENCRYPTION_KEY id "${env.DATA_ENCRYPTION_KEY_ID}"  (from ${sourceOf("DATA_ENCRYPTION_KEY")})`
        : "  data      encrypted with the INSECURE development key (DATA_ENCRYPTION_KEY not set)",
    );
  }
  lines.push(`  env files ${envFiles.length ? envFiles.join(", ") : "none"}`);
  console.log(lines.join("\n"));
}
