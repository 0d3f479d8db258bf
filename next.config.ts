import type { NextConfig } from "next";
import { securityHeaders } from "./lib/security/headers";

const nextConfig: NextConfig = {
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
  // The bot reads its Fluent catalogs from disk at run time.
  outputFileTracingIncludes: { "/api/telegram": ["./lib/bot/locales/**"] },
  // Separate build folders let several builds coexist (e.g. browser-test runs beside `next dev`).
  distDir: process.env.NEXT_DIST_DIR || ".next",
  typedRoutes: false,
  // CSP, framing (Telegram's web clients for the portal, nobody for /admin), HSTS, nosniff, Referrer-Policy.
  headers: async () => securityHeaders({ production: process.env.NODE_ENV === "production" }),
};

export default nextConfig;
