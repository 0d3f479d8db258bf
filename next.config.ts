import type { NextConfig } from "next";
import { securityHeaders } from "./lib/security/headers";

const nextConfig: NextConfig = {
  // The production image runs `node server.js` in the standalone output (see scripts/standalone-prepare.ts).
  output: "standalone",
  // PGlite loads its WASM and data files from node_modules at run time.
  serverExternalPackages: [
    "@electric-sql/pglite",
    "tronweb",
    "pino",
    "@node-rs/argon2",
    // Loads drizzle-orm with a dynamic import the bundler cannot follow: Node loads it at run time.
    "rate-limiter-flexible",
  ],
  poweredByHeader: false,
  // `next dev` only: pages opened at the loopback addresses (the URLs the devnet and the engine print
  // beside the app's) may use the dev server's HMR socket and dev resources. Without this, Next refuses
  // them as cross-origin and an open page reloads itself every minute or so as its socket keeps failing.
  allowedDevOrigins: ["127.0.0.1", "[::1]"],
  experimental: {
    // `next dev` only: Turbopack's on-disk cache of the previous dev session is not reused. Restarted
    // on a warm cache, the dev server answered an open page's subscription to its shared chunk list
    // with "restart" (a full reload); with a few pages open at 127.0.0.1 each reload restarted the
    // others, ~5 reloads a second until `next dev` was stopped (`npm run check:dev-reloads` shows it).
    // Without the cache, the first compile of a route after a restart was no slower for this app.
    turbopackFileSystemCacheForDev: false,
  },
  // Every surface (pages, actions, API routes, the bot's webhook) reads the Fluent catalogues
  // (lib/i18n/locales) from disk at run time. rate-limiter-flexible (external, above)
  // loads drizzle-orm with a dynamic import the tracer cannot follow, so the standalone output would
  // leave drizzle-orm out and every rate-limited route would fail there.
  outputFileTracingIncludes: {
    "/**": ["./node_modules/drizzle-orm/**", "./lib/i18n/locales/**"],
  },
  // Separate build folders let several builds coexist (e.g. browser-test runs beside `next dev`).
  distDir: process.env.NEXT_DIST_DIR || ".next",
  typedRoutes: false,
  // CSP, framing (Telegram's web clients for the portal, nobody for /admin), HSTS, nosniff, Referrer-Policy.
  headers: async () => securityHeaders({ production: process.env.NODE_ENV === "production" }),
};

export default nextConfig;
