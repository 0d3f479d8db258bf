/**
 * A production server that refuses to start (lib/env, db/migration-state) exits with 1, its reason
 * last on the console: `next start` would otherwise keep running after its start-up hook failed and
 * answer every request with 500, which no supervisor notices. Reads `process.env` itself, as
 * lib/env may be what failed to load.
 */
export function refuseToStart(e: unknown): void {
  // biome-ignore lint/style/noProcessEnv: lib/env may be what failed to load.
  const { NODE_ENV, NEXT_PHASE } = process.env;
  if (NODE_ENV !== "production" || NEXT_PHASE === "phase-production-build") return;
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
}
