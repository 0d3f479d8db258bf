/**
 * One configuration for the browser tests, shared by playwright.config.ts, the test runner and
 * scripts/e2e-server.ts: ports, and the secrets the app and the runner must agree on (generated
 * once per run into the environment, which every process of the run inherits). DEVNET/TEST ONLY.
 */
import { randomBytes } from "node:crypto";
import { generateDepositKeys } from "../lib/deposits/derive";

export const BOT_TOKEN = "123456:E2E-fake-bot-token-not-real-000000";
export const WEBHOOK_SECRET = "e2e-webhook-secret-0123456789";

function ensure(name: string, make: () => string): string {
  process.env[name] ??= make();
  return process.env[name] as string;
}

export function e2eConfig() {
  const appPort = Number(process.env.E2E_PORT ?? 3123);
  const devnetPort = Number(process.env.E2E_DEVNET_PORT ?? 9123);
  return {
    appPort,
    /** The production topology: two web processes (A is Playwright's baseURL) and one worker. */
    webPorts: [appPort, appPort + 1] as const,
    workerPort: appPort + 2,
    devnetPort,
    enginePort: Number(process.env.E2E_ENGINE_PORT ?? devnetPort + 1),
    controlPort: devnetPort + 2,
    botApiPort: devnetPort + 3,
    /** A reseller's callback receiver, run by the test runner; the app may call it (an explicit exception). */
    callbackPort: devnetPort + 4,
    signingKey: ensure("E2E_SIGNING_KEY", () => `signkey-test-${randomBytes(32).toString("hex")}`),
    eventKey: ensure("E2E_EVENT_KEY", () => randomBytes(16).toString("hex")),
  };
}

/** The app's secrets for the run; the runner sets the same ones (it writes encrypted pool keys). */
export function appSecrets() {
  return {
    AUTH_SECRET: ensure("AUTH_SECRET", () => randomBytes(32).toString("base64")),
    KEY_ENCRYPTION_KEY: ensure("KEY_ENCRYPTION_KEY", () => randomBytes(32).toString("base64")),
    // Admin TOTP and API callback secrets (every role holds it; the pool's key only the worker).
    DATA_ENCRYPTION_KEY: ensure("DATA_ENCRYPTION_KEY", () => randomBytes(32).toString("base64")),
    // A fresh deposit key per run (production refuses the public test vectors' xpubs).
    DEPOSIT_XPUB: ensure("DEPOSIT_XPUB", () => generateDepositKeys().xpub),
  };
}
