/**
 * Next.js start-up hook (runs once per server process), by APP_ROLE (lib/roles):
 *
 * - `migrate`: applies the database migrations (db/apply-migrations) and exits 0, or 1 on failure —
 *   the deploy's one-shot step, run from the same image before the new version starts;
 * - every other role: every request is stamped with its socket's peer address
 *   (lib/security/client-ip: rate limits and sign-in never trust a client's X-Forwarded-For), and
 *   a path the role does not serve is answered 404 (lib/roles). In production on PostgreSQL it
 *   refuses to start unless the database's applied migrations are exactly this code's
 *   (db/migration-state): the app never migrates by itself there. On a database with no admin it
 *   creates the first owner and prints its one-time password on this process's console
 *   (lib/admin/first-owner). A process that runs the functions (`worker`, `all`) publishes its
 *   supplier-key import key (lib/tron/key-import) so web processes can seal imported keys to it.
 *   With TELEGRAM_MODE=polling and a bot token, a `web` or `all` process long-polls — one poller
 *   per bot (lib/bot/polling). In production SIGTERM/SIGINT stop the process gracefully
 *   (lib/lifecycle: polling stops, requests in flight finish, the database pool closes last).
 */
export async function register(): Promise<void> {
  // biome-ignore lint/style/noProcessEnv: Next sets NEXT_RUNTIME for this hook; lib/env must not load on the edge.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // biome-ignore lint/style/noProcessEnv: `next build` also loads this hook to prerender; no database then.
  const building = process.env.NEXT_PHASE === "phase-production-build";
  try {
    const { env } = await import("@/lib/env");
    if (env.APP_ROLE === "migrate") {
      if (building) return;
      const { migrateAndExit } = await import("@/db/apply-migrations");
      await migrateAndExit();
      return;
    }
    const { installPeerStamp } = await import("@/lib/security/client-ip");
    await installPeerStamp();
    const { installRoleGate, servesFunctions } = await import("@/lib/roles");
    await installRoleGate();
    const g0 = globalThis as unknown as { __tehFirstOwner?: boolean };
    if (!g0.__tehFirstOwner && !building) {
      if (env.NODE_ENV === "production" && env.DATABASE_URL) {
        const { assertSchemaCurrent } = await import("@/db/migration-state");
        await assertSchemaCurrent();
      }
      g0.__tehFirstOwner = true;
      if (env.NODE_ENV === "production") {
        const { installShutdownHandlers } = await import("@/lib/lifecycle");
        installShutdownHandlers();
      }
      if (servesFunctions()) {
        const { publishImportKey } = await import("@/lib/tron/key-import");
        await publishImportKey();
      }
      const { ensureFirstOwnerOnStart } = await import("@/lib/admin/first-owner");
      void ensureFirstOwnerOnStart();
    }
    if (building || env.APP_ROLE === "worker") return;
    if (env.TELEGRAM_MODE !== "polling" || !env.TELEGRAM_BOT_TOKEN) return;
    const g = globalThis as unknown as { __tehPolling?: boolean };
    if (g.__tehPolling) return;
    g.__tehPolling = true;
    const { startPolling } = await import("@/lib/bot/polling");
    startPolling().catch(async (e: unknown) => {
      g.__tehPolling = false;
      const { logger } = await import("@/lib/log");
      logger.error({ err: e instanceof Error ? e.message : String(e) }, "telegram polling refused");
      const { refuseToStart } = await import("@/lib/refuse-start");
      refuseToStart(e);
    });
  } catch (e) {
    const { refuseToStart } = await import("@/lib/refuse-start");
    refuseToStart(e);
    throw e;
  }
}
