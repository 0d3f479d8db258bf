import { defineConfig } from "vitest/config";

// Standalone config so the devnet suite runs without the app's global DB setup:
//   npx vitest run --config devnet/vitest.config.ts
export default defineConfig({
  test: {
    include: ["devnet/**/*.test.ts"],
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
