/**
 * What the browser tests run against, each part a process of its own, as in production:
 *
 * - the TRON devnet (`devnet/main.ts`, blocks every second, solidity lag 3);
 * - the local Inngest engine (`engine/main.ts`), which runs every background function by signed
 *   calls to the worker's /api/inngest;
 * - the app as the production image runs it: Next's standalone server (`node server.js`, prepared by
 *   scripts/standalone-prepare.ts and copied outside the project, so nothing resolves from the
 *   project's node_modules), NODE_ENV=production, real PostgreSQL at DATABASE_URL, INNGEST_SIGNING_KEY
 *   and no INNGEST_DEV (the SDK verifies every call). One process per role: `APP_ROLE=migrate` first
 *   (applies the migrations, exits), then one `worker` (Inngest functions; holds the pool's and the
 *   deposit keys) and two `web` processes (pages, portal, admin, bot webhook, API; none of those
 *   keys) on E2E_PORT and E2E_PORT+1, the worker on E2E_PORT+2;
 * - a fake Telegram Bot API on loopback (the bot's outgoing calls, readable by the tests);
 * - a small control API for the tests: kill and restart the worker (crash recovery), read the Bot
 *   API's calls.
 *
 * The test runner only prepares data in the database and sends events to the engine's event API;
 * no Inngest function runs in the runner. Ports: E2E_PORT (web A, 3123; web B and the worker are the
 * next two), E2E_DEVNET_PORT (9123), and the next four for the engine, the control API, the Bot API
 * and the tests' callback receiver.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { prepareStandalone } from "./standalone-prepare";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error(
    "Browser tests need a real PostgreSQL: set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/teh_e2e). See README.",
  );
  process.exit(1);
}
const ports = await import("../e2e/ports");
const {
  appPort,
  webPorts,
  workerPort,
  devnetPort,
  enginePort,
  controlPort,
  botApiPort,
  callbackPort,
  signingKey,
  eventKey,
} = ports.e2eConfig();

// --- the standalone server, copied out of the project: a package the build left out of it fails
// here as it would in the image, instead of being found in the project's node_modules.
const standalone = mkdtempSync(join(tmpdir(), "teh-e2e-standalone-"));
cpSync(prepareStandalone(), standalone, { recursive: true, verbatimSymlinks: true });
const serverJs = join(standalone, "server.js");

const children = new Set<ChildProcess>();
let stopping = false;

function spawnPart(name: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string): ChildProcess {
  const child = spawn(process.execPath, args, { stdio: ["ignore", "inherit", "inherit"], env, cwd });
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

/** Waits for a 2xx from `target` (with `anyAnswer`, for any HTTP answer: the server is up). */
async function waitUntil(what: string, target: string, ms = 60_000, anyAnswer = false): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      const r = await fetch(target, { signal: AbortSignal.timeout(2000) });
      if (r.ok || anyAnswer) return;
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
  ENGINE_APP_URL: `http://127.0.0.1:${workerPort}/api/inngest`,
  INNGEST_SIGNING_KEY: signingKey,
  INNGEST_EVENT_KEY: eventKey,
  ENGINE_RETRY_DELAY_MS: "500",
});
await waitUntil("engine", `http://127.0.0.1:${enginePort}/health`);

// --- the app, one process per role, each as the image runs it: `node server.js` with a 64 MB young
// generation from the start (see package.json `start`), PORT and HOSTNAME.
const baseEnv: NodeJS.ProcessEnv = {
  ...process.env,
  ...ports.appSecrets(),
  NODE_ENV: "production",
  HOSTNAME: "127.0.0.1",
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
/** The keys only the worker holds (a web process refuses to start with them). */
const WORKER_ONLY = ["KEY_ENCRYPTION_KEY", "KEY_ENCRYPTION_OLD_KEYS", "DEPOSIT_MNEMONIC"];
const nodeFlags = ["--min-semi-space-size=64", "--max-semi-space-size=64"];

function roleEnv(role: "migrate" | "worker" | "web", port: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...baseEnv, APP_ROLE: role, PORT: String(port) };
  if (role !== "worker") for (const k of WORKER_ONLY) delete env[k];
  return env;
}

function startServer(name: string, env: NodeJS.ProcessEnv): ChildProcess {
  return spawnPart(name, [...nodeFlags, serverJs], env, standalone);
}

/** The child's exit code (or signal); "timeout" (and the child killed) when it has not exited within `ms`. */
async function exitWithin(child: ChildProcess, ms: number): Promise<number | string | null> {
  let timer: NodeJS.Timeout | undefined;
  const code = await Promise.race([
    new Promise<number | string | null>((r) => child.once("exit", (c, signal) => r(c ?? signal))),
    new Promise<"timeout">((r) => {
      timer = setTimeout(() => r("timeout"), ms);
    }),
  ]);
  clearTimeout(timer);
  if (code === "timeout") child.kill("SIGKILL");
  return code;
}

/**
 * `APP_ROLE=migrate node server.js` applies the pending migrations and exits 0, as the image's
 * one-shot migrate service does; anything else (another exit code, or no exit within 60 s) stops
 * the run.
 */
async function migrateRole(): Promise<void> {
  const child = startServer("migrate", roleEnv("migrate", workerPort));
  expectedExit.add(child);
  const code = await exitWithin(child, 60_000);
  if (code === 0) return;
  throw new Error(
    `[e2e] APP_ROLE=migrate ${code === "timeout" ? "did not exit within 60 s" : `exited with ${code}`}: the database was not migrated`,
  );
}

/** The run's devnet is new and its keys are generated per run: rows left by another run confuse the tests. */
async function warnIfNotEmpty(): Promise<void> {
  const { default: postgres } = await import("postgres");
  const client = postgres(url as string, { max: 1, onnotice: () => {} });
  const [{ n }] = await client`select count(*)::int as n from users`;
  if (n > 0)
    console.warn(
      `[e2e] WARNING: the database at DATABASE_URL already holds ${n} users from another run; the browser tests expect an empty one (createdb a fresh database).`,
    );
  await client.end();
}

/** A start-up failure: every part started so far is stopped, the reason printed, exit 1. */
async function startupFailed(e: unknown): Promise<never> {
  stopping = true;
  console.error(e instanceof Error ? e.message : e);
  for (const c of children) c.kill("SIGKILL");
  await botApi.close().catch(() => {});
  rmSync(standalone, { recursive: true, force: true });
  process.exit(1);
}

await migrateRole().catch(startupFailed);
await warnIfNotEmpty();

let worker: ChildProcess | null = null;
async function startWorker(): Promise<void> {
  // Syncs register the worker's own origin (APP_URL is the public site, served by the web processes).
  worker = startServer("worker", {
    ...roleEnv("worker", workerPort),
    INNGEST_SERVE_ORIGIN: `http://127.0.0.1:${workerPort}`,
  });
  // Its health answers 503 until the deposit scanner has run once: any answer means it is up.
  await waitUntil("worker", `http://127.0.0.1:${workerPort}/api/health`, 60_000, true);
  // Sync at once instead of waiting for the engine's next poll.
  await fetch(`http://127.0.0.1:${enginePort}/_engine/sync`, { method: "POST" }).catch(() => {});
}
async function startWeb(port: number): Promise<void> {
  startServer(`web :${port}`, roleEnv("web", port));
  await waitUntil(`web :${port}`, `http://127.0.0.1:${port}/api/ping`);
}
async function startApp(): Promise<void> {
  // Web A last: Playwright starts the tests when it answers.
  await Promise.all([startWorker(), startWeb(webPorts[1])]);
  await startWeb(webPorts[0]);
}
await startApp().catch(startupFailed);

/** Starts `APP_ROLE=web node server.js` with a worker-only key set; resolves once it exits (60 s at most). */
async function tryWebWith(
  variable: string,
): Promise<{ code: number | string | null; output: string; answered: boolean }> {
  const values: Record<string, string> = {
    KEY_ENCRYPTION_KEY: ports.appSecrets().KEY_ENCRYPTION_KEY,
    KEY_ENCRYPTION_OLD_KEYS: `k0:${ports.appSecrets().KEY_ENCRYPTION_KEY}`,
    DEPOSIT_MNEMONIC: "spare ring hint visit trial theme shock stock roast hair rely puzzle",
  };
  const port = workerPort + 1;
  const child = spawn(process.execPath, [...nodeFlags, serverJs], {
    cwd: standalone,
    env: { ...roleEnv("web", port), [variable]: values[variable] },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (d) => {
    output += d;
  });
  child.stderr?.on("data", (d) => {
    output += d;
  });
  let answered = false;
  const probe = setInterval(() => {
    fetch(`http://127.0.0.1:${port}/api/ping`, { signal: AbortSignal.timeout(500) }).then(
      () => {
        answered = true;
      },
      () => {},
    );
  }, 250);
  const code = await exitWithin(child, 60_000);
  clearInterval(probe);
  return { code, output: output.slice(-2000), answered };
}

// --- the tests' control API
const control = createServer(async (req, res) => {
  const send = (status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  try {
    // The worker: the process that runs the Inngest steps.
    if (req.method === "POST" && req.url === "/app/kill") {
      if (worker) {
        const w = worker;
        expectedExit.add(w);
        const dead = new Promise((r) => w.once("exit", r));
        w.kill("SIGKILL");
        await dead;
        worker = null;
      }
      return send(200, { killed: true });
    }
    if (req.method === "POST" && req.url === "/app/start") {
      if (!worker) await startWorker();
      return send(200, { started: true });
    }
    // A web process started as the image starts it, but given one of the worker's keys: it must
    // refuse to start. Answers its exit code and the end of what it printed.
    const given = /^\/web\/start-with\/([A-Z_]+)$/.exec(req.url ?? "")?.[1];
    if (req.method === "POST" && given) {
      if (!WORKER_ONLY.includes(given)) return send(400, { error: `not a worker-only key: ${given}` });
      return send(200, await tryWebWith(given));
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
  `[e2e] web ${webPorts.join(" and ")}, worker ${workerPort}, devnet ${devnetPort}, engine ${enginePort} (run list http://127.0.0.1:${enginePort}/)`,
);

async function stop(code = 0) {
  stopping = true;
  const exited = [...children].map((c) => new Promise((r) => c.once("exit", r)));
  for (const c of children) c.kill("SIGTERM");
  control.close();
  await botApi.close();
  // The parts get 1.5 s to stop; then the standalone copy is removed and this process exits.
  await Promise.race([Promise.all(exited), new Promise((r) => setTimeout(r, 1500))]);
  rmSync(standalone, { recursive: true, force: true });
  process.exit(code);
}
process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));
