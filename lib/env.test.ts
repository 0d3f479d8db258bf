import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { freshProductionSecrets } from "@/lib/security/testing";
import { parseEnv } from "./env";

/** What production refuses at start: every unsafe setting, each named by its variable. */

const sound = () => ({ NODE_ENV: "production", ...freshProductionSecrets() });

function refusal(vars: Record<string, string | undefined>): string {
  try {
    parseEnv(vars as NodeJS.ProcessEnv);
  } catch (e) {
    return String(e);
  }
  return "accepted";
}

describe("production refusals", () => {
  it("a sound configuration starts, on the devnet too", () => {
    expect(refusal(sound())).toBe("accepted");
    expect(refusal({ ...sound(), TRON_NETWORK: "mainnet" })).toBe("accepted");
  });

  it("refuses INNGEST_DEV and a missing signing key on every network (dev mode skips signature checks)", () => {
    for (const net of ["devnet", "nile", "mainnet"]) {
      expect(refusal({ ...sound(), TRON_NETWORK: net, INNGEST_DEV: "1" })).toMatch(
        /INNGEST_DEV: must be unset/,
      );
      expect(refusal({ ...sound(), TRON_NETWORK: net, INNGEST_SIGNING_KEY: undefined })).toMatch(
        /INNGEST_SIGNING_KEY: is required/,
      );
    }
    expect(refusal({ ...sound(), INNGEST_SIGNING_KEY: "signkey-prod-abc" })).toMatch(/INNGEST_SIGNING_KEY/);
    expect(refusal({ ...sound(), INNGEST_SIGNING_KEY: "x".repeat(70) })).toMatch(/INNGEST_SIGNING_KEY/);
    expect(refusal({ ...sound(), INNGEST_EVENT_KEY: undefined })).toMatch(/INNGEST_EVENT_KEY: is required/);
    expect(refusal({ ...sound(), INNGEST_EVENT_KEY: "key" })).toMatch(/INNGEST_EVENT_KEY/);
    expect(refusal({ ...sound(), INNGEST_SIGNING_KEY_FALLBACK: "old" })).toMatch(
      /INNGEST_SIGNING_KEY_FALLBACK/,
    );
    expect(refusal({ ...sound(), INNGEST_DEV: "0" })).toBe("accepted");
  });

  it("refuses weak or published AUTH_SECRET values", () => {
    for (const weak of [
      "x",
      "short-secret",
      "a".repeat(64),
      "dev-only-insecure-auth-secret-set-AUTH_SECRET-in-production",
      "e2e-only-secret-not-for-production-0123456789",
    ])
      expect(refusal({ ...sound(), AUTH_SECRET: weak }), weak).toMatch(/AUTH_SECRET: /);
  });

  it("refuses a key-encryption key that is not 32 random bytes, at start on every machine", () => {
    const text = Buffer.from("my-own-key-text-0123456789abcdef").toString("base64"); // 32 bytes of text
    expect(refusal({ ...sound(), KEY_ENCRYPTION_KEY: text })).toMatch(/KEY_ENCRYPTION_KEY: is text/);
    expect(refusal({ ...sound(), KEY_ENCRYPTION_KEY: Buffer.alloc(32).toString("base64") })).toMatch(
      /KEY_ENCRYPTION_KEY: is not random enough/,
    );
    // wrong length fails at start in development too (it used to fail only at first use)
    for (const nodeEnv of ["development", "test", "production"])
      expect(
        refusal({ ...sound(), NODE_ENV: nodeEnv, KEY_ENCRYPTION_KEY: randomBytes(16).toString("base64") }),
      ).toMatch(/KEY_ENCRYPTION_KEY: must decode to 32 bytes, not 16/);
    expect(refusal({ NODE_ENV: "test", KEY_ENCRYPTION_KEY: "not base64!" })).toMatch(/must be base64/);
    expect(refusal({ NODE_ENV: "test", KEY_ENCRYPTION_OLD_KEYS: "k1:abc" })).toMatch(
      /KEY_ENCRYPTION_OLD_KEYS: key "k1" must decode to 32 bytes/,
    );
  });

  it("refuses a webhook bot without its secret, and a public http APP_URL", () => {
    const bot = { TELEGRAM_BOT_TOKEN: "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ", TELEGRAM_MODE: "webhook" };
    expect(refusal({ ...sound(), ...bot })).toMatch(/TELEGRAM_WEBHOOK_SECRET: is required/);
    expect(refusal({ ...sound(), ...bot, TELEGRAM_WEBHOOK_SECRET: "s".repeat(32) })).toBe("accepted");
    expect(refusal({ ...sound(), APP_URL: "http://energy.example.com" })).toMatch(/APP_URL: must be https/);
    expect(refusal({ ...sound(), APP_URL: "https://energy.example.com" })).toBe("accepted");
    expect(refusal({ ...sound(), APP_URL: "http://127.0.0.1:3000" })).toBe("accepted");
  });

  it("APP_ROLE=web refuses, on every machine, anything that opens a supplier key or derives a deposit key", () => {
    const { KEY_ENCRYPTION_KEY: _k, ...webSecrets } = sound();
    expect(refusal({ ...webSecrets, APP_ROLE: "web" })).toBe("accepted");
    const mnemonic = "spare ring hint visit trial theme shock stock roast hair rely puzzle";
    for (const nodeEnv of ["development", "test", "production"]) {
      const base = nodeEnv === "production" ? webSecrets : {};
      for (const [k, v] of [
        ["KEY_ENCRYPTION_KEY", randomBytes(32).toString("base64")],
        ["KEY_ENCRYPTION_OLD_KEYS", `k0:${randomBytes(32).toString("base64")}`],
        ["DEPOSIT_MNEMONIC", mnemonic],
      ])
        expect(refusal({ ...base, NODE_ENV: nodeEnv, APP_ROLE: "web", [k]: v }), `${nodeEnv} ${k}`).toMatch(
          new RegExp(`${k}: must not be given to APP_ROLE=web`),
        );
    }
    // the web only sends events: no signing key needed; the worker and a single process need theirs
    const { INNGEST_SIGNING_KEY: _s, ...noSigning } = webSecrets;
    expect(refusal({ ...noSigning, APP_ROLE: "web" })).toBe("accepted");
    expect(refusal({ ...sound(), APP_ROLE: "worker", INNGEST_SIGNING_KEY: undefined })).toMatch(
      /INNGEST_SIGNING_KEY: is required/,
    );
    expect(refusal({ ...sound(), APP_ROLE: "worker", KEY_ENCRYPTION_KEY: undefined })).toMatch(
      /KEY_ENCRYPTION_KEY: is required/,
    );
    expect(refusal({ ...sound(), APP_ROLE: "worker", DEPOSIT_MNEMONIC: mnemonic })).toBe("accepted");
  });

  it("refuses a missing, weak or shared DATA_ENCRYPTION_KEY in production", () => {
    expect(refusal({ ...sound(), DATA_ENCRYPTION_KEY: undefined })).toMatch(
      /DATA_ENCRYPTION_KEY: is required/,
    );
    expect(refusal({ ...sound(), DATA_ENCRYPTION_KEY: Buffer.alloc(32).toString("base64") })).toMatch(
      /DATA_ENCRYPTION_KEY: is not random enough/,
    );
    const same = randomBytes(32).toString("base64");
    expect(refusal({ ...sound(), KEY_ENCRYPTION_KEY: same, DATA_ENCRYPTION_KEY: same })).toMatch(
      /DATA_ENCRYPTION_KEY: must differ from KEY_ENCRYPTION_KEY/,
    );
    expect(refusal({ NODE_ENV: "test", DATA_ENCRYPTION_OLD_KEYS: "d0:abc" })).toMatch(
      /DATA_ENCRYPTION_OLD_KEYS/,
    );
  });

  it("the migrate role needs only the database (it serves nothing and holds no secret)", () => {
    expect(refusal({ NODE_ENV: "production", APP_ROLE: "migrate", DATABASE_URL: "postgres://db/x" })).toBe(
      "accepted",
    );
    expect(refusal({ APP_ROLE: "cron" })).toMatch(/APP_ROLE/);
  });

  it("checks TRUSTED_PROXIES' shape", () => {
    expect(refusal({ TRUSTED_PROXIES: "10.0.0.0/8, 127.0.0.1, loopback" })).toBe("accepted");
    expect(refusal({ TRUSTED_PROXIES: "10.0.0.0/99" })).toMatch(/TRUSTED_PROXIES/);
    expect(refusal({ TRUSTED_PROXIES: "proxy.example.com" })).toMatch(/TRUSTED_PROXIES/);
  });

  it("`next build` imports modules without the secrets", () => {
    expect(parseEnv({ NODE_ENV: "production", NEXT_PHASE: "phase-production-build" }).NODE_ENV).toBe(
      "production",
    );
  });

  it(".env.example ships no value production would accept as a secret", () => {
    const example = fs.readFileSync(path.join(process.cwd(), ".env.example"), "utf8");
    const vars: Record<string, string> = {};
    for (const line of example.split("\n")) {
      const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
      if (m) vars[m[1]] = m[2];
    }
    const e = refusal({ ...vars, NODE_ENV: "production" });
    for (const k of [
      "KEY_ENCRYPTION_KEY",
      "DATA_ENCRYPTION_KEY",
      "AUTH_SECRET",
      "DEPOSIT_XPUB",
      "INNGEST_SIGNING_KEY",
      "INNGEST_EVENT_KEY",
    ])
      expect(e, k).toMatch(new RegExp(`${k}: `));
    // and it does not ship dev mode switched on
    expect(vars.INNGEST_DEV ?? "").toBe("");
    // and with real secrets filled in beside it, only the example's own values are left to refuse
    expect(refusal({ ...vars, ...sound(), INNGEST_DEV: "" })).toBe("accepted");
  });
});
