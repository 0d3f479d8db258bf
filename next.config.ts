import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // PGlite loads its WASM and data files from node_modules at run time.
  serverExternalPackages: ["@electric-sql/pglite", "tronweb", "pino", "@node-rs/argon2"],
  poweredByHeader: false,
  // The bot reads its Fluent catalogs from disk at run time.
  outputFileTracingIncludes: { "/api/telegram": ["./lib/bot/locales/**"] },
  // Separate build folders let several builds coexist (e.g. browser-test runs beside `next dev`).
  distDir: process.env.NEXT_DIST_DIR || ".next",
  typedRoutes: false,
};

export default nextConfig;
