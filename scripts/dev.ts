/**
 * `npm run dev`: the whole product on one machine, offline — the local TRON devnet (when
 * TRON_NETWORK is devnet, the default, and nothing answers on DEVNET_PORT yet), an Inngest engine
 * that runs the background work (deposits, delegations, reclaims, sweeps), and `next dev` pointed at
 * both. The app opens the embedded PostgreSQL (PGlite, under .data/) unless DATABASE_URL is set.
 * Ctrl-C stops everything.
 *
 * The engine (INNGEST_ENGINE forces one):
 * - `cli`: the real Inngest dev server, when the optional `inngest-cli` package installed its binary
 *   (`inngest dev -u <app>/api/inngest --no-discovery`); the app talks to it in dev mode (unsigned);
 * - `local`: the project's own engine (engine/, `npm run engine`), used when the binary is missing;
 *   every call to /api/inngest is signed with a signing key made for this session, and the app
 *   verifies it, as in production;
 * - `none`: no engine; orders wait in `paid` and /api/health reports `inngest` failing.
 *
 * Settings come from the environment and the same .env files as the app. `npm run dev -- --reset`
 * empties the database, the engine's saved runs and the devnet's kept chain first, so all of them
 * start afresh together (a database that outlives its chain holds blocks and orders it never saw).
 */
import { announceTarget } from "./load-env";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";

const reset = process.argv.includes("--reset");

const port = process.env.PORT ?? "3000";
const devnetPort = process.env.DEVNET_PORT ?? "9090";
const enginePort = process.env.ENGINE_PORT ?? "8288";
const network = process.env.TRON_NETWORK ?? "devnet";
const children: ChildProcess[] = [];
const appUrl = `http://127.0.0.1:${port}/api/inngest`;
const engineUrl = `http://127.0.0.1:${enginePort}`;
const cliBin = join("node_modules", "inngest-cli", "bin", "inngest");
/** The devnet genesis "treasury" account (devnet/genesis.json, key index 0). */
const DEVNET_TREASURY = "TW67EL76UtSup5Zr186o5bXcowFNdp3T4E";

async function answers(url: string): Promise<boolean> {
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(1000) });
    return r.ok;
  } catch {
    return false;
  }
}

/** The real dev server's version when its binary was installed (the npm package alone has none). */
function cliVersion(): string | null {
  if (!existsSync(cliBin)) return null;
  const r = spawnSync(cliBin, ["--version"], { encoding: "utf8", timeout: 10_000 });
  const m = `${r.stdout ?? ""}${r.stderr ?? ""}`.match(/\d+\.\d+\.\d+/);
  return r.status === 0 && m ? m[0] : null;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(cmd, args, { stdio: "inherit", env });
  children.push(child);
  child.on("exit", (code, signal) => {
    if (!stopping) {
      console.error(`${cmd} ${args.join(" ")} exited (${signal ?? code}); stopping.`);
      stop(code ?? 1);
    }
  });
  return child;
}

let stopping = false;
function stop(code = 0) {
  stopping = true;
  for (const c of children) if (c.exitCode === null) c.kill("SIGTERM");
  setTimeout(() => process.exit(code), 1500).unref();
}
process.on("SIGINT", () => stop(0));
process.on("SIGTERM", () => stop(0));

type Engine = "cli" | "local" | "none";

function chooseEngine(): { engine: Engine; version: string | null } {
  const forced = process.env.INNGEST_ENGINE;
  if (forced && !["cli", "local", "none"].includes(forced))
    throw new Error(`INNGEST_ENGINE must be cli, local or none (got "${forced}").`);
  const version = forced === "local" || forced === "none" ? null : cliVersion();
  if (forced === "cli" && !version)
    throw new Error(
      "INNGEST_ENGINE=cli, but the Inngest dev server binary is not installed (the optional inngest-cli " +
        "package downloads it from GitHub at install time). Run `npm rebuild inngest-cli` with internet " +
        "access, or use INNGEST_ENGINE=local.",
    );
  return { engine: (forced as Engine | undefined) ?? (version ? "cli" : "local"), version };
}

async function main() {
  await announceTarget("npm run dev");
  if (reset) {
    if (network === "devnet" && (await answers(`http://127.0.0.1:${devnetPort}/_devnet/state`)))
      throw new Error(`--reset: stop the devnet running on port ${devnetPort} first; nothing was reset.`);
    const r = spawnSync(process.execPath, ["--import", "tsx", "db/reset.ts", "--yes"], { stdio: "inherit" });
    if (r.status !== 0) throw new Error("The database reset failed; nothing was started.");
    rmSync(process.env.ENGINE_STATE_FILE ?? ".data/engine/state.json", { force: true });
  }
  const { engine, version } = chooseEngine();
  const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
  // The app registers APP_URL's origin with the engine: by default, where this `next dev` listens.
  env.APP_URL ||= `http://localhost:${port}`;
  if (engine === "none") {
    console.log(
      "Background work: none (INNGEST_ENGINE=none). Orders wait in `paid`; nothing is scanned or reclaimed.",
    );
    env.INNGEST_DEV ??= "1";
  } else {
    if (await answers(`${engineUrl}/health`))
      throw new Error(
        `Something already answers on port ${enginePort} (another engine or Inngest dev server?). Stop it or set ENGINE_PORT.`,
      );
    console.log(
      engine === "cli"
        ? `Background work: Inngest dev server ${version} — run list ${engineUrl}/`
        : `Background work: local Inngest engine (engine/, signed calls) — run list ${engineUrl}/`,
    );
  }

  if (network === "devnet") {
    const state = `http://127.0.0.1:${devnetPort}/_devnet/state`;
    if (await answers(state)) {
      console.log(`Using the devnet already running on port ${devnetPort}.`);
    } else {
      run(process.execPath, ["--import", "tsx", "devnet/main.ts", ...(reset ? ["--reset"] : [])], {
        ...env,
        DEVNET_PORT: devnetPort,
      });
      for (let i = 0; i < 100 && !(await answers(state)); i++) await new Promise((r) => setTimeout(r, 200));
      if (!(await answers(state))) throw new Error(`The devnet did not start on port ${devnetPort}.`);
    }
    env.DEVNET_PORT = devnetPort;
    // Deposits are collected to the devnet's own treasury account unless another one is set.
    env.TREASURY_ADDRESS ??= DEVNET_TREASURY;
  }

  if (engine === "cli") {
    run(cliBin, ["dev", "-u", appUrl, "--no-discovery", "-p", enginePort], env);
    env.INNGEST_DEV = "1";
    env.INNGEST_BASE_URL = engineUrl;
  } else if (engine === "local") {
    // One signing key and event key per session, shared by the engine and the app only.
    const signingKey = `signkey-dev-${randomBytes(32).toString("hex")}`;
    const eventKey = randomBytes(16).toString("hex");
    mkdirSync(".data/engine", { recursive: true });
    run(process.execPath, ["--import", "tsx", "engine/main.ts"], {
      ...env,
      ENGINE_PORT: enginePort,
      ENGINE_APP_URL: appUrl,
      ENGINE_STATE_FILE: env.ENGINE_STATE_FILE ?? ".data/engine/state.json",
      INNGEST_SIGNING_KEY: signingKey,
      INNGEST_EVENT_KEY: eventKey,
    });
    for (let i = 0; i < 100 && !(await answers(`${engineUrl}/health`)); i++)
      await new Promise((r) => setTimeout(r, 100));
    env.INNGEST_DEV = "0";
    env.INNGEST_BASE_URL = engineUrl;
    env.INNGEST_SIGNING_KEY = signingKey;
    env.INNGEST_EVENT_KEY = eventKey;
  }
  run(process.execPath, ["node_modules/next/dist/bin/next", "dev", "-p", port], env);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  stop(1);
});
