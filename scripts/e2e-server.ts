/**
 * What the browser tests run against, each part a process of its own, as in production:
 *
 * - the TRON devnet (`devnet/main.ts`, blocks every second, solidity lag 3);
 * - the local Inngest engine (`engine/main.ts`), which runs every background function by signed
 *   calls to the app's /api/inngest;
 * - the built app (`next start`, NODE_ENV=production, real PostgreSQL at DATABASE_URL) with
 *   INNGEST_SIGNING_KEY and no INNGEST_DEV, so the SDK verifies every call;
 * - a fake Telegram Bot API on loopback (the bot's outgoing calls, readable by the tests);
 * - a small control API for the tests: kill and restart the app (crash recovery), read the Bot API's
 *   calls.
 *
 * The test runner only prepares data in the database and sends events to the engine's event API;
 * no Inngest function runs in the runner. Ports: E2E_PORT (app, 3123), E2E_DEVNET_PORT (9123), and
 * the next three for the engine, the control API and the Bot API.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:http";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error(
    "Browser tests need a real PostgreSQL: set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/teh_e2e). See README.",
  );
  process.exit(1);
}
const ports = await import("../e2e/ports");
const { appPort, devnetPort, enginePort, controlPort, botApiPort, callbackPort, signingKey, eventKey } =
  ports.e2eConfig();

const { default: postgres } = await import("postgres");
const { drizzle } = await import("drizzle-orm/postgres-js");
const { migrate } = await import("drizzle-orm/postgres-js/migrator");
const client = postgres(url, { max: 1, onnotice: () => {} });
await migrate(drizzle(client), { migrationsFolder: "db/migrations" });
// The run's devnet is new and its keys are generated per run: rows left by another run (pool keys
// sealed with another key, a deposit cursor on another chain) make the tests fail in confusing ways.
const [{ n }] = await client`select count(*)::int as n from users`;
if (n > 0)
  console.warn(
    `[e2e] WARNING: the database at DATABASE_URL already holds ${n} users from another run; the browser tests expect an empty one (createdb a fresh database).`,
  );
await client.end();

const children = new Set<ChildProcess>();
let stopping = false;

function spawnPart(name: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, args, { stdio: ["ignore", "inherit", "inherit"], env });
  children.add(child);
  child.on("exit", (code, signal) => {
    children.delete(child);
    if (!stopping && !expectedExit.has(child)) {
      console.error(`[e2e] ${name} exited (${signal ?? code}); stopping.`);
      void stop(1);
    }
  });
  return child;
}
const expectedExit = new WeakSet<ChildProcess>();

async function waitUntil(what: string, target: string, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      const r = await fetch(target, { signal: AbortSignal.timeout(2000) });
      if (r.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`[e2e] ${what} did not answer at ${target}`);
}

// --- the devnet (a chain of this run only: nothing kept under .data/)
spawnPart("devnet", ["--import", "tsx", "devnet/main.ts", "--in-memory"], {
  ...process.env,
  DEVNET_PORT: String(devnetPort),
  DEVNET_BLOCK_MS: "1000",
  DEVNET_SOLIDITY_LAG: "3",
});
await waitUntil("devnet", `http://127.0.0.1:${devnetPort}/_devnet/state`);

// --- the fake Bot API
const { startFakeBotApi } = await import("../lib/bot/testing/fake-bot-api");
const botApi = await startFakeBotApi({ port: botApiPort });

// --- the engine
spawnPart("engine", ["--import", "tsx", "engine/main.ts"], {
  ...process.env,
  ENGINE_PORT: String(enginePort),
  ENGINE_APP_URL: `http://127.0.0.1:${appPort}/api/inngest`,
  INNGEST_SIGNING_KEY: signingKey,
  INNGEST_EVENT_KEY: eventKey,
  ENGINE_RETRY_DELAY_MS: "500",
});
await waitUntil("engine", `http://127.0.0.1:${enginePort}/health`);

// --- the app, as `npm start` runs it (a 64 MB young generation from the start; see package.json)
const appEnv: NodeJS.ProcessEnv = {
  ...process.env,
  ...ports.appSecrets(),
  NODE_ENV: "production",
  TRON_NETWORK: "devnet",
  DEVNET_PORT: String(devnetPort),
  APP_URL: `http://127.0.0.1:${appPort}`,
  INNGEST_DEV: "",
  INNGEST_BASE_URL: `http://127.0.0.1:${enginePort}`,
  INNGEST_SIGNING_KEY: signingKey,
  INNGEST_EVENT_KEY: eventKey,
  TELEGRAM_BOT_TOKEN: ports.BOT_TOKEN,
  TELEGRAM_BOT_USERNAME: "tron_energy_helper_bot",
  TELEGRAM_WEBHOOK_SECRET: ports.WEBHOOK_SECRET,
  TELEGRAM_API_ROOT: botApi.url,
  TELEGRAM_MODE: "webhook",
  CALLBACK_PRIVATE_RECEIVERS: `127.0.0.1:${callbackPort}`,
  NEXT_TELEMETRY_DISABLED: "1",
};
const next = ["--min-semi-space-size=64", "--max-semi-space-size=64", "node_modules/next/dist/bin/next"];
let app: ChildProcess | null = null;
async function startApp(): Promise<void> {
  app = spawnPart("app", [...next, "start", "-p", String(appPort)], appEnv);
  await waitUntil("app", `http://127.0.0.1:${appPort}/api/ping`);
  // Sync at once instead of waiting for the engine's next poll.
  await fetch(`http://127.0.0.1:${enginePort}/_engine/sync`, { method: "POST" }).catch(() => {});
}
await startApp();

// --- the tests' control API
const control = createServer(async (req, res) => {
  const send = (status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  try {
    if (req.method === "POST" && req.url === "/app/kill") {
      if (app) {
        expectedExit.add(app);
        const dead = new Promise((r) => app?.once("exit", r));
        app.kill("SIGKILL");
        await dead;
        app = null;
      }
      return send(200, { killed: true });
    }
    if (req.method === "POST" && req.url === "/app/start") {
      if (!app) await startApp();
      return send(200, { started: true });
    }
    if (req.method === "GET" && req.url === "/bot/calls") return send(200, botApi.calls);
    if (req.method === "POST" && req.url === "/bot/clear") {
      botApi.clear();
      return send(200, { cleared: true });
    }
    send(404, { error: "not found" });
  } catch (e) {
    send(500, { error: e instanceof Error ? e.message : String(e) });
  }
});
await new Promise<void>((r) => control.listen(controlPort, "127.0.0.1", () => r()));
console.log(
  `[e2e] app ${appPort}, devnet ${devnetPort}, engine ${enginePort} (run list http://127.0.0.1:${enginePort}/)`,
);

async function stop(code = 0) {
  stopping = true;
  for (const c of children) c.kill("SIGTERM");
  control.close();
  await botApi.close();
  setTimeout(() => process.exit(code), 1500).unref();
}
process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));
