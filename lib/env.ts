import proxyaddr from "proxy-addr";
import { z } from "zod";
import {
  authSecretProblem,
  decodeKey32,
  eventKeyProblem,
  isPublicMnemonic,
  isPublicXpub,
  keyEncryptionKeyProblem,
  oldKeysProblem,
  signingKeyProblem,
} from "@/lib/security/secrets";

/**
 * The one place that reads `process.env`. Every variable the app reads is declared here, validated
 * with zod at start, and documented in `.env.example`. A bad value stops the process with a message
 * naming the variable.
 */

const bool = z
  .enum(["1", "0", "true", "false", "yes", "no", ""])
  .optional()
  .transform((v) => v === "1" || v === "true" || v === "yes");

const networks = ["devnet", "nile", "shasta", "mainnet"] as const;

const schema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  APP_URL: z.url().default("http://localhost:3000"),
  /**
   * What this process does (docs/operations.md): `all` (everything, one process), `web` (pages, bot
   * webhook, reseller API, console; holds no key that opens a supplier key or derives a deposit key),
   * `worker` (the Inngest functions at /api/inngest: signing, collecting), `migrate` (applies the
   * database migrations, then exits).
   */
  APP_ROLE: z.enum(["all", "web", "worker", "migrate"]).default("all"),
  /** Longest a production server spends stopping after SIGTERM/SIGINT before it exits anyway. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(25_000),

  // Database: real PostgreSQL when set, embedded PGlite under PGLITE_DIR otherwise.
  DATABASE_URL: z.string().optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  PGLITE_DIR: z.string().default(".data/pglite"),
  // Ledger group commit: batches of postings in flight at once per process (PostgreSQL only).
  LEDGER_BATCH_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),

  // TRON
  TRON_NETWORK: z.enum(networks).default("devnet"),
  TRON_FULL_HOST: z.url().optional(),
  TRONGRID_API_KEY: z.string().optional(),
  TRONSCAN_API_URL: z.url().optional(),
  TRONSCAN_API_KEY: z.string().optional(),
  TRON_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5_000),
  USDT_CONTRACT: z.string().optional(),
  DEVNET_PORT: z.coerce.number().int().min(1).max(65_535).default(9090),
  DEVNET_BLOCK_MS: z.coerce.number().int().min(0).default(3_000),

  // Keys: AES-256-GCM key (32 bytes, base64) for private keys at rest, its id, and older keys
  // ("id:base64,id:base64") still accepted for decryption until `npm run keys:rotate` has run.
  KEY_ENCRYPTION_KEY: z.string().optional(),
  KEY_ENCRYPTION_KEY_ID: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,32}$/)
    .default("k1"),
  KEY_ENCRYPTION_OLD_KEYS: z.string().default(""),
  // The app's own secrets at rest (admins' TOTP secrets, API callback signing secrets), held by the
  // web and the worker alike: an AES-256-GCM key of its own, its id, older keys while rotating.
  DATA_ENCRYPTION_KEY: z.string().optional(),
  DATA_ENCRYPTION_KEY_ID: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,32}$/)
    .default("d1"),
  DATA_ENCRYPTION_OLD_KEYS: z.string().default(""),

  // Inngest
  INNGEST_DEV: bool,
  INNGEST_BASE_URL: z.url().optional(),
  INNGEST_EVENT_KEY: z.string().optional(),
  INNGEST_SIGNING_KEY: z.string().optional(),
  /** Origin at which the Inngest server reaches this process's /api/inngest (a worker's internal URL); default APP_URL. */
  INNGEST_SERVE_ORIGIN: z.url().optional(),

  // Auth.js (portal sessions)
  AUTH_SECRET: z.string().optional(),

  // Telegram bot
  TELEGRAM_BOT_TOKEN: z
    .string()
    .regex(/^\d+:[A-Za-z0-9_-]{20,}$/, "must look like 123456:ABC… (from @BotFather)")
    .optional(),
  TELEGRAM_BOT_USERNAME: z
    .string()
    .regex(/^[A-Za-z0-9_]{5,32}$/)
    .optional(),
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{16,256}$/, "16–256 characters of A-Z a-z 0-9 _ -")
    .optional(),
  TELEGRAM_API_ROOT: z.url().default("https://api.telegram.org"),
  TELEGRAM_MODE: z.enum(["webhook", "polling", "off"]).default("webhook"),
  /** HTTPS URL of the portal as a Telegram Mini App (a web_app button in the bot); unset = no button. */
  TELEGRAM_MINI_APP_URL: z.url().optional(),
  /** Chat (an operator group or user) that receives monitoring alerts through the bot. */
  ADMIN_ALERT_CHAT_ID: z.coerce.number().int().optional(),
  SUPPORT_URL: z.url().optional(),

  // Admin console and monitoring
  /** Email of the owner account the app creates (printing a one-time password) when no admin exists. */
  FIRST_OWNER_EMAIL: z.email().default("owner@example.com"),
  /** Bearer token protecting GET /api/metrics (Prometheus). Unset = metrics disabled. */
  METRICS_TOKEN: z.string().min(16).optional(),

  // Deposits: account-level xpub (m/44'/195'/0') for deriving user deposit addresses (web, bot,
  // scanner); the mnemonic is read only by the collector; where collected funds go; first block
  // a fresh scanner cursor reads (default: the current solidified head).
  DEPOSIT_XPUB: z
    .string()
    .regex(/^xpub[1-9A-HJ-NP-Za-km-z]{100,112}$/, "must be an xpub (BIP32 extended public key)")
    .optional(),
  DEPOSIT_MNEMONIC: z.string().optional(),
  TREASURY_ADDRESS: z.string().optional(),
  DEPOSIT_SCAN_START_BLOCK: z.coerce.number().int().min(0).optional(),

  // --- Security (see SECURITY.md) ---
  /** Reverse proxies (IPs or CIDRs, comma-separated) whose X-Forwarded-For/-Host/-Proto are believed. */
  TRUSTED_PROXIES: z
    .string()
    .default("")
    .refine(validProxyList, "IPs or CIDRs separated by commas (or loopback, linklocal, uniquelocal)"),
  /**
   * Private receivers order callbacks may still reach in production: exact `host:port` pairs
   * (an integrator on the operator's own network, or a test receiver); empty = none.
   */
  CALLBACK_PRIVATE_RECEIVERS: z
    .string()
    .default("")
    .refine(
      (v) =>
        v
          .split(",")
          .every((x) => x.trim() === "" || /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/.test(x.trim())),
      "host:port pairs separated by commas",
    ),
  /** Older Inngest signing key still accepted while rotating (the SDK reads it too). */
  INNGEST_SIGNING_KEY_FALLBACK: z.string().optional(),
  /** PostgreSQL: longest statement, longest wait for a row or table lock, connect, idle transaction. */
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(15_000),
  DATABASE_LOCK_TIMEOUT_MS: z.coerce.number().int().min(50).max(600_000).default(3_000),
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5_000),
  DATABASE_IDLE_TX_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),

  // Deposit scanner: how deposits are found ("blocks": every block once, for any number of users;
  // "accounts": TronGrid's per-address endpoints, for a few addresses), and the budget of one block
  // read in blocks mode (the batch size adapts to stay within both).
  DEPOSIT_SCAN_MODE: z.enum(["blocks", "accounts"]).default("blocks"),
  DEPOSIT_SCAN_MAX_BYTES: z.coerce.number().int().min(100_000).default(8_000_000),
  DEPOSIT_SCAN_MAX_MS: z.coerce.number().int().min(200).default(2_500),
});

type Env = z.infer<typeof schema>;

function validProxyList(src: string): boolean {
  try {
    proxyaddr.compile(
      src
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    );
    return true;
  } catch {
    return false;
  }
}

function parseEnv(source: NodeJS.ProcessEnv): Env {
  // Empty strings mean "unset", as in most .env files.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".") || "(env)"}: ${i.message}`);
    throw new Error(`Invalid environment variables (see .env.example):\n${lines.join("\n")}`);
  }
  const env = result.data;
  // Shasta has no official USDT: the mainnet contract's address holds nothing there.
  if (env.TRON_NETWORK === "shasta" && !env.USDT_CONTRACT)
    throw new Error(
      "TRON_NETWORK=shasta needs USDT_CONTRACT (Shasta has no official USDT: name the TRC20 you test with).",
    );
  // Wrong on any machine: a key that is not 32 bytes would fail only at first use.
  const bad = [...keyProblems(env), ...roleProblems(env)];
  // Secrets are required when a production server runs, not while `next build` imports modules.
  if (
    env.NODE_ENV === "production" &&
    env.APP_ROLE !== "migrate" &&
    source.NEXT_PHASE !== "phase-production-build"
  )
    bad.push(...productionProblems(env));
  if (bad.length) {
    const lines = bad.map(([k, why]) => `  ${k}: ${why}`);
    const title =
      env.NODE_ENV === "production"
        ? "Unsafe or missing environment variables for production (see SECURITY.md):"
        : "Invalid environment variables (see .env.example):";
    throw new Error(`${title}\n${lines.join("\n")}`);
  }
  return env;
}

type Problem = [variable: string, why: string];

function keyProblems(env: Env): Problem[] {
  const out: Problem[] = [];
  if (env.KEY_ENCRYPTION_KEY) {
    const d = decodeKey32(env.KEY_ENCRYPTION_KEY);
    if ("problem" in d) out.push(["KEY_ENCRYPTION_KEY", d.problem]);
  }
  const old = oldKeysProblem(env.KEY_ENCRYPTION_OLD_KEYS);
  if (old) out.push(["KEY_ENCRYPTION_OLD_KEYS", old]);
  if (env.DATA_ENCRYPTION_KEY) {
    const d = decodeKey32(env.DATA_ENCRYPTION_KEY);
    if ("problem" in d) out.push(["DATA_ENCRYPTION_KEY", d.problem]);
  }
  const oldData = oldKeysProblem(env.DATA_ENCRYPTION_OLD_KEYS);
  if (oldData) out.push(["DATA_ENCRYPTION_OLD_KEYS", oldData]);
  return out;
}

/**
 * What the web role must never hold, on any machine: anything that opens a supplier wallet's key
 * (the key-encryption keys) or derives a deposit address's key (the mnemonic). Whoever takes over
 * the internet-facing process then holds neither.
 */
const WORKER_ONLY_SECRETS = ["KEY_ENCRYPTION_KEY", "KEY_ENCRYPTION_OLD_KEYS", "DEPOSIT_MNEMONIC"] as const;

function roleProblems(env: Env): Problem[] {
  if (env.APP_ROLE !== "web") return [];
  return WORKER_ONLY_SECRETS.filter((k) => env[k]).map(
    (k): Problem => [
      k,
      "must not be given to APP_ROLE=web (only the worker opens supplier keys and deposit keys)",
    ],
  );
}

/**
 * What production refuses, on every network (the devnet included): a missing or guessable
 * secret, a public deposit key, and Inngest in dev mode (which skips the signature check on
 * /api/inngest, so anyone could run jobs).
 */
function productionProblems(env: Env): Problem[] {
  const out: Problem[] = [];
  const need = (k: keyof Env, check: (v: string) => string | null) => {
    const v = env[k];
    if (typeof v !== "string" || v === "") out.push([k, "is required"]);
    else {
      const why = check(v);
      if (why) out.push([k, why]);
    }
  };
  const signs = env.APP_ROLE !== "web";
  if (env.APP_ROLE !== "all" && !env.DATABASE_URL)
    out.push([
      "DATABASE_URL",
      `is required with APP_ROLE=${env.APP_ROLE} (the embedded database belongs to one process)`,
    ]);
  if (signs) need("KEY_ENCRYPTION_KEY", keyEncryptionKeyProblem);
  need("DATA_ENCRYPTION_KEY", keyEncryptionKeyProblem);
  if (env.DATA_ENCRYPTION_KEY && env.DATA_ENCRYPTION_KEY === env.KEY_ENCRYPTION_KEY)
    out.push([
      "DATA_ENCRYPTION_KEY",
      "must differ from KEY_ENCRYPTION_KEY (the web holds one, never the other)",
    ]);
  need("AUTH_SECRET", authSecretProblem);
  need("DEPOSIT_XPUB", (x) =>
    isPublicXpub(x) ? "belongs to a published test mnemonic (npm run deposits:keygen)" : null,
  );
  if (env.DEPOSIT_MNEMONIC && isPublicMnemonic(env.DEPOSIT_MNEMONIC))
    out.push(["DEPOSIT_MNEMONIC", "is a published test mnemonic (npm run deposits:keygen)"]);
  if (env.INNGEST_DEV) out.push(["INNGEST_DEV", "must be unset: dev mode accepts unsigned job calls"]);
  // The web only sends events; the processes that serve /api/inngest check every call's signature.
  if (signs) need("INNGEST_SIGNING_KEY", signingKeyProblem);
  need("INNGEST_EVENT_KEY", eventKeyProblem);
  if (env.INNGEST_SIGNING_KEY_FALLBACK) {
    const why = signingKeyProblem(env.INNGEST_SIGNING_KEY_FALLBACK);
    if (why) out.push(["INNGEST_SIGNING_KEY_FALLBACK", why]);
  }
  if (env.TELEGRAM_BOT_TOKEN && env.TELEGRAM_MODE === "webhook" && !env.TELEGRAM_WEBHOOK_SECRET)
    out.push(["TELEGRAM_WEBHOOK_SECRET", "is required with a bot token in webhook mode"]);
  const app = new URL(env.APP_URL);
  if (app.protocol !== "https:" && !["localhost", "127.0.0.1", "[::1]"].includes(app.hostname))
    out.push(["APP_URL", "must be https:// (sessions and sign-in links travel over it)"]);
  return out;
}

export const env: Env = parseEnv(process.env);

/** Re-reads the environment; tests use it after changing variables. */
export function reloadEnv(): Env {
  const next = parseEnv(process.env);
  for (const k of Object.keys(env)) delete (env as Record<string, unknown>)[k];
  Object.assign(env, next);
  return env;
}

/**
 * Tests, benches and the demo: sets (or, for undefined, removes) variables, re-reads the environment,
 * and returns the undo, which puts the previous values back and re-reads it again.
 */
export function applyEnv(vars: Record<string, string | undefined>): () => void {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const set = (values: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    reloadEnv();
  };
  set(vars);
  return () => set(saved);
}

export { parseEnv };
