import { existsSync } from "node:fs";
import { defineConfig } from "@playwright/test";

/**
 * Browser tests in Chromium against `next start` on a real PostgreSQL (DATABASE_URL) and
 * an in-process devnet, both started by scripts/e2e-server.ts. `npm run test:e2e` builds first.
 */
const port = Number(process.env.E2E_PORT ?? 3123);

export default defineConfig({
  testDir: "./e2e",
  testMatch: "**/*.spec.ts",
  outputDir: "./test-results",
  timeout: 60_000,
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "retain-on-failure",
    browserName: "chromium",
    launchOptions: {
      // CHROMIUM_PATH, else a system Chromium at /usr/bin/chromium, else Playwright's own
      // (`npx playwright install chromium`).
      executablePath:
        process.env.CHROMIUM_PATH ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined),
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: {
    command: "node --import tsx scripts/e2e-server.ts",
    url: `http://127.0.0.1:${port}/api/ping`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "pipe",
    stderr: "pipe",
    env: { E2E_PORT: String(port) },
  },
});
