import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // PGlite loads its WASM and data files from node_modules at run time.
  serverExternalPackages: ["@electric-sql/pglite", "tronweb", "pino", "@node-rs/argon2"],
  poweredByHeader: false,
  // Separate build folders let several builds coexist (e.g. browser-test runs beside `next dev`).
  distDir: process.env.NEXT_DIST_DIR || ".next",
  typedRoutes: false,
};

export default nextConfig;
