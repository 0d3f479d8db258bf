import { randomBytes } from "node:crypto";
import { generateDepositKeys } from "@/lib/deposits/derive";

/**
 * Secrets a production-mode server started by a test, a benchmark or the browser tests needs,
 * made fresh for each run and of the real shapes (lib/env refuses anything weaker): 32-byte
 * key-encryption and data-encryption keys, a 32-byte AUTH_SECRET, an Inngest signing key and event key, and the xpub of
 * a freshly generated deposit mnemonic (the mnemonic itself is thrown away).
 */
export function freshProductionSecrets(): Record<
  | "KEY_ENCRYPTION_KEY"
  | "DATA_ENCRYPTION_KEY"
  | "AUTH_SECRET"
  | "INNGEST_SIGNING_KEY"
  | "INNGEST_EVENT_KEY"
  | "DEPOSIT_XPUB",
  string
> {
  return {
    KEY_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    DATA_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    AUTH_SECRET: randomBytes(32).toString("base64"),
    INNGEST_SIGNING_KEY: `signkey-test-${randomBytes(32).toString("hex")}`,
    INNGEST_EVENT_KEY: randomBytes(48).toString("base64url"),
    DEPOSIT_XPUB: generateDepositKeys().xpub,
  };
}
