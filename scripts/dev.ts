/**
 * `npm run dev`: the whole product on one machine, offline. Starts the local TRON devnet (when
 * TRON_NETWORK is devnet, the default, and nothing answers on DEVNET_PORT yet) and then `next dev`
 * pointed at it. The app itself opens the embedded PostgreSQL (PGlite, under .data/) unless
 * DATABASE_URL is set. Ctrl-C stops both. Settings come from the environment and the same .env
 * files as the app. `npm run dev -- --reset` empties the database and starts the devnet's chain
 * afresh from genesis (both together, so the database never holds another chain's blocks).
 */
import { announceTarget } from "./load-env";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";

const reset = process.argv.includes("--reset");

const port = process.env.PORT ?? "3000";
const devnetPort = process.env.DEVNET_PORT ?? "9090";
const network = process.env.TRON_NETWORK ?? "devnet";
const children: ChildProcess[] = [];

async function answers(url: string): Promise<boolean> {
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(1000) });
    return r.ok;
  } catch {
    return false;
  }
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

async function main() {
  await announceTarget("npm run dev");
  if (reset) {
    if (network === "devnet" && (await answers(`http://127.0.0.1:${devnetPort}/_devnet/state`)))
      throw new Error(`--reset: stop the devnet running on port ${devnetPort} first; nothing was reset.`);
    const r = spawnSync(process.execPath, ["--import", "tsx", "db/reset.ts", "--yes"], { stdio: "inherit" });
    if (r.status !== 0) throw new Error("The database reset failed; nothing was started.");
  }
  // Locally the app talks to an Inngest dev server (INNGEST_BASE_URL, default :8288) when one runs;
  // without one, orders wait in `paid` and /api/health reports `inngest` failing.
  const env: NodeJS.ProcessEnv = { INNGEST_DEV: "1", ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
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
  }
  run(process.execPath, ["node_modules/next/dist/bin/next", "dev", "-p", port], env);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  stop(1);
});
