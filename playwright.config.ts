import { existsSync } from "node:fs";
import { defineConfig } from "@playwright/test";

import { appSecrets, e2eConfig } from "./e2e/ports";

/**
 * Browser tests in Chromium against the production topology (Next's standalone server: two web
 * processes, baseURL the first, and one worker; real PostgreSQL at DATABASE_URL), the devnet and the
 * local Inngest engine, each a process of its own, all started by scripts/e2e-server.ts.
 * `npm run test:e2e` builds first. The run's keys and secrets are generated
 * here, once, into the environment every process of the run inherits.
 */
const { appPort: port } = e2eConfig();
appSecrets();

export default defineConfig({
  testDir: "./e2e",
  testMatch: "**/*.spec.ts",
  outputDir: "./test-results",
  timeout: 90_000,
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
    // SIGTERM, not Playwright's default SIGKILL: the runner stops its parts and removes its copy of
    // the standalone server (scripts/e2e-server.ts).
    gracefulShutdown: { signal: "SIGTERM", timeout: 5_000 },
  },
});
