/**
 * `npm run check:dev-reloads`: a reproducible check that what runs beside `next dev` writing under
 * `.data/` — the embedded database and the devnet's kept chain — never makes `next dev` rebuild or
 * reload the pages a developer has open.
 *
 * It starts the devnet (keeping its chain in `.data/check-dev-reloads/`, a block every 500 ms) and
 * `next dev` on free ports with the embedded database in the same folder, loads a few pages (which
 * open the database), then for 30 s (CHECK_SECONDS) keeps the database busy and writes into `.data/`
 * five times a second, while listening on the HMR socket the browser uses and reading the server's
 * output. Any event that makes an open page reload or re-render (server component changes, page
 * reload, pages added or removed), a "Compiled" line or an env reload fails the check. ("built"
 * notices, which every request to `next dev` sends and open pages ignore, are counted as the control:
 * they prove the listener hears the server.)
 *
 * It leaves nothing behind; it refuses to run while another `next dev` uses this folder (Next's own
 * lock on `.next/dev`).
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

const SECONDS = Number(process.env.CHECK_SECONDS ?? 30);
const dir = path.resolve(".data/check-dev-reloads");
const children: ChildProcess[] = [];

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function start(args: string[], env: Record<string, string>, out: string[]): ChildProcess {
  const child = spawn(process.execPath, args, {
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (c) => out.push(String(c)));
  child.stderr?.on("data", (c) => out.push(String(c)));
  children.push(child);
  return child;
}

async function waitFor(url: string, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      const r = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (r.status < 500) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${url} did not answer within ${ms / 1000} s`);
}

/** HMR messages after which an open page reloads or re-renders. */
const RELOADS = ["serverComponentChanges", "reloadPage", "addedPage", "removedPage"];

async function main(): Promise<number> {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const [appPort, devnetPort] = [await freePort(), await freePort()];
  const devnetOut: string[] = [];
  const nextOut: string[] = [];
  start(
    ["--import", "tsx", "devnet/main.ts"],
    { DEVNET_PORT: String(devnetPort), DEVNET_BLOCK_MS: "500", DEVNET_DATA_DIR: path.join(dir, "devnet") },
    devnetOut,
  );
  start(
    ["node_modules/next/dist/bin/next", "dev", "-p", String(appPort)],
    { PGLITE_DIR: path.join(dir, "pglite"), DEVNET_PORT: String(devnetPort), TELEGRAM_MODE: "off" },
    nextOut,
  );
  const base = `http://localhost:${appPort}`;
  console.log(`next dev on ${base}, devnet on ${devnetPort}, data in ${path.relative(process.cwd(), dir)}`);
  await waitFor(`http://127.0.0.1:${devnetPort}/_devnet/state`, 30_000);
  await waitFor(`${base}/api/ping`, 120_000);
  for (const p of ["/", "/login", "/admin/sign-in", "/docs/api", "/api/health"]) await fetch(`${base}${p}`);

  const events: string[] = [];
  let notices = 0;
  const ws = new WebSocket(`ws://localhost:${appPort}/_next/hmr?id=check-dev-reloads`);
  ws.binaryType = "arraybuffer";
  ws.onmessage = (m) => {
    try {
      const type = JSON.parse(String(m.data)).type as string;
      if (RELOADS.includes(type)) events.push(type);
      else if (type === "built") notices++;
    } catch {}
  };
  await new Promise<void>((resolve, reject) => {
    ws.onopen = () => resolve();
    ws.onerror = () => reject(new Error("could not open the HMR socket"));
  });
  await new Promise((r) => setTimeout(r, 3_000)); // let the first compiles settle
  events.length = 0;
  notices = 0;
  const outBefore = nextOut.join("");
  const count = (text: string, what: string) => text.split(what).length - 1;

  const churn = path.join(dir, "churn.log");
  const until = Date.now() + SECONDS * 1000;
  let writes = 0;
  while (Date.now() < until) {
    fs.appendFileSync(churn, `${Date.now()}\n`);
    fs.writeFileSync(path.join(dir, "devnet-like.json"), JSON.stringify({ at: Date.now() }));
    writes++;
    if (writes % 10 === 0) await fetch(`${base}/api/health`).catch(() => {});
    await new Promise((r) => setTimeout(r, 200));
  }
  const saves = fs.existsSync(path.join(dir, "devnet", "chain.json"));
  const out = nextOut.join("");
  const compiled = count(out, "Compiled") - count(outBefore, "Compiled");
  const envReloads = count(out, "Reload env") - count(outBefore, "Reload env");
  const failed = events.length > 0 || compiled > 0 || envReloads > 0;
  console.log(
    `${SECONDS} s, ${writes} writes into .data/ beside the database and the devnet's chain` +
      `${saves ? " (kept chain present)" : ""}: ${events.length} reload events, ${compiled} "Compiled" lines, ` +
      `${envReloads} env reloads; ${notices} build notices heard (the control)`,
  );
  ws.close();
  if (failed) console.error(`FAIL: ${JSON.stringify(events)}`);
  if (notices === 0) console.error("FAIL: no notice heard at all, so the check proves nothing");
  return failed || notices === 0 ? 1 : 0;
}

function cleanup() {
  for (const c of children) if (c.exitCode === null) c.kill("SIGTERM");
}

main()
  .then(async (code) => {
    cleanup();
    await new Promise((r) => setTimeout(r, 2_000));
    fs.rmSync(dir, { recursive: true, force: true });
    process.exit(code);
  })
  .catch(async (e) => {
    console.error(e instanceof Error ? e.message : e);
    cleanup();
    await new Promise((r) => setTimeout(r, 2_000));
    fs.rmSync(dir, { recursive: true, force: true });
    process.exit(1);
  });
