/**
 * The server the browser tests run against: migrates and seeds the real PostgreSQL at DATABASE_URL
 * (the embedded database cannot be shared with the test runner), starts a devnet in-process that
 * mines every second, and runs the built app with `next start`.
 */
import { spawn } from "node:child_process";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error(
    "Browser tests need a real PostgreSQL: set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/teh_e2e). See README.",
  );
  process.exit(1);
}
const port = process.env.E2E_PORT ?? "3123";
const devnetPort = process.env.E2E_DEVNET_PORT ?? "9123";

const { default: postgres } = await import("postgres");
const { drizzle } = await import("drizzle-orm/postgres-js");
const { migrate } = await import("drizzle-orm/postgres-js/migrator");
const client = postgres(url, { max: 1, onnotice: () => {} });
await migrate(drizzle(client), { migrationsFolder: "db/migrations" });
await client.end();

const { startDevnet } = await import("../devnet/server");
const devnet = await startDevnet({ port: Number(devnetPort), blockIntervalMs: 1000, solidityLag: 3 });

// As `npm start` runs it: a 64 MB young generation from the start (see package.json and README).
const next = ["--min-semi-space-size=64", "--max-semi-space-size=64", "node_modules/next/dist/bin/next"];
const app = spawn(process.execPath, [...next, "start", "-p", port], {
  stdio: "inherit",
  env: {
    ...process.env,
    NODE_ENV: "production",
    TRON_NETWORK: "devnet",
    DEVNET_PORT: devnetPort,
    // Production refuses weak or public secrets and Inngest dev mode: fresh ones per run (made by
    // playwright.config.ts, so the test runner shares them), else fresh here.
    ...(await import("../lib/security/testing")).freshProductionSecrets(),
    ...Object.fromEntries(
      ["AUTH_SECRET", "KEY_ENCRYPTION_KEY", "INNGEST_SIGNING_KEY", "INNGEST_EVENT_KEY", "DEPOSIT_XPUB"]
        .filter((k) => process.env[k])
        .map((k) => [k, process.env[k]]),
    ),
    INNGEST_DEV: "",
    // No Inngest server in the browser tests: event sends fail at once on loopback (the runner
    // drives the functions in-process).
    INNGEST_BASE_URL: process.env.INNGEST_BASE_URL ?? "http://127.0.0.1:1",
    APP_URL: process.env.APP_URL ?? `http://127.0.0.1:${port}`,
    // A made-up bot (no Telegram calls leave loopback), so Telegram sign-in is on and testable.
    ...(await import("../lib/security/testing")).E2E_BOT,
    NEXT_TELEMETRY_DISABLED: "1",
  },
});
const stop = () => {
  app.kill("SIGTERM");
  devnet.close().finally(() => process.exit(0));
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
app.on("exit", (code) => {
  devnet.close().finally(() => process.exit(code ?? 0));
});
