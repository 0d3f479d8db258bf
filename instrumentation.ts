/**
 * Next.js start-up hook (runs once per server process). Every request is stamped with its socket's
 * peer address (lib/security/client-ip: rate limits and sign-in never trust a client's
 * X-Forwarded-For). In production on PostgreSQL it refuses to start unless the database's applied
 * migrations are exactly this code's (db/migration-state): the app never migrates by itself there,
 * `npm run db:migrate` does before a new version starts. On a database with no admin it creates
 * the first owner and prints its one-time password on this process's console
 * (lib/admin/first-owner). With TELEGRAM_MODE=polling and a bot token, the bot long-polls inside
 * this process — for local development without a public URL. In production SIGTERM/SIGINT stop
 * the process gracefully (lib/lifecycle: polling stops, requests in flight finish, the database
 * pool closes last). It never runs in a second process, so the embedded database is only ever
 * opened here.
 */
export async function register(): Promise<void> {
  // biome-ignore lint/style/noProcessEnv: Next sets NEXT_RUNTIME for this hook; lib/env must not load on the edge.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  try {
    const { installPeerStamp } = await import("@/lib/security/client-ip");
    await installPeerStamp();
    const { env } = await import("@/lib/env");
    const g0 = globalThis as unknown as { __tehFirstOwner?: boolean };
    // biome-ignore lint/style/noProcessEnv: `next build` also loads this hook to prerender; no database then.
    const building = process.env.NEXT_PHASE === "phase-production-build";
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
      const { ensureFirstOwnerOnStart } = await import("@/lib/admin/first-owner");
      void ensureFirstOwnerOnStart();
    }
    if (env.TELEGRAM_MODE !== "polling" || !env.TELEGRAM_BOT_TOKEN) return;
    const g = globalThis as unknown as { __tehPolling?: boolean };
    if (g.__tehPolling) return;
    g.__tehPolling = true;
    const { startPolling } = await import("@/lib/bot/polling");
    void startPolling();
  } catch (e) {
    const { refuseToStart } = await import("@/lib/refuse-start");
    refuseToStart(e);
    throw e;
  }
}
