import { randomBytes } from "node:crypto";
import { generateDepositKeys } from "@/lib/deposits/derive";

/**
 * Secrets a production-mode server started by a test, a benchmark or the browser tests needs,
 * made fresh for each run and of the real shapes (lib/env refuses anything weaker): a 32-byte
 * key-encryption key, a 32-byte AUTH_SECRET, an Inngest signing key and event key, and the xpub of
 * a freshly generated deposit mnemonic (the mnemonic itself is thrown away).
 */
export function freshProductionSecrets(): Record<
  "KEY_ENCRYPTION_KEY" | "AUTH_SECRET" | "INNGEST_SIGNING_KEY" | "INNGEST_EVENT_KEY" | "DEPOSIT_XPUB",
  string
> {
  return {
    KEY_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    AUTH_SECRET: randomBytes(32).toString("base64"),
    INNGEST_SIGNING_KEY: `signkey-test-${randomBytes(32).toString("hex")}`,
    INNGEST_EVENT_KEY: randomBytes(48).toString("base64url"),
    DEPOSIT_XPUB: generateDepositKeys().xpub,
  };
}

/**
 * The browser tests' bot: a made-up token of the real shape (no Telegram account behind it; the
 * Bot API root points at a closed loopback port), so sign-in data can be signed by the tests and
 * verified by the server.
 */
export const E2E_BOT = {
  TELEGRAM_BOT_TOKEN: "7000001:e2e-made-up-token-no-such-bot-000",
  TELEGRAM_BOT_USERNAME: "e2e_energy_bot",
  TELEGRAM_MODE: "off",
  TELEGRAM_API_ROOT: "http://127.0.0.1:1",
} as const;
