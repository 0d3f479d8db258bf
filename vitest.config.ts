import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "@": fileURLToPath(new URL("./", import.meta.url)),
      // `server-only` throws outside a React server bundle; tests run plain Node.
      "server-only": fileURLToPath(new URL("./test/server-only.ts", import.meta.url)),
    },
  },
  test: {
    // next-auth imports "next/server" without an extension; let vite resolve it.
    server: { deps: { inline: ["next-auth", "@auth/core"] } },
    // *.test.tsx: component tests, each choosing a DOM environment in its first line.
    include: ["**/*.test.ts", "**/*.test.tsx"],
    exclude: ["**/node_modules/**", ".next/**", ".next-*/**", "e2e/**", ".data/**"],
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration suites share one database (PGlite or DATABASE_URL); run files one at a time.
    fileParallelism: false,
    // One worker, modules shared across files: the embedded database starts once per run.
    pool: "forks",
    isolate: false,
    globalSetup: ["./test/global-setup.ts"],
    // vitest's summary, then the whole suites this run skipped and why (their titles say).
    reporters: ["default", "./test/skip-reporter.ts"],
    setupFiles: ["./test/setup.ts"],
  },
});
