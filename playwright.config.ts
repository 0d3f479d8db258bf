import { defineConfig } from "@playwright/test";
import { freshProductionSecrets } from "./lib/security/testing";

/**
 * Browser tests in Debian's Chromium against `next start` on a real PostgreSQL (DATABASE_URL) and
 * an in-process devnet, both started by scripts/e2e-server.ts. `npm run test:e2e` builds first.
 */
const port = Number(process.env.E2E_PORT ?? 3123);

// Fresh production secrets for this run (production refuses weak or public ones): set once here,
// inherited by the server (scripts/e2e-server.ts) and the test workers, which share the database.
for (const [k, v] of Object.entries(freshProductionSecrets())) process.env[k] ??= v;

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
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
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
