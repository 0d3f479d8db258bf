import { defineConfig } from "vitest/config";

// Standalone config so the engine's suites run without the app's database setup:
//   npx vitest run --config engine/vitest.config.ts
export default defineConfig({
  test: {
    include: ["engine/**/*.test.ts"],
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
