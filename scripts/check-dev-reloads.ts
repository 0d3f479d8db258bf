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
 * It also checks that a page opened at a loopback address (http://127.0.0.1:PORT, http://[::1]:PORT)
 * gets the HMR socket: Next refuses other origins than localhost unless they are allowed, and a page
 * whose socket is refused reloads itself every minute or so. (A foreign origin must still be refused:
 * the control that this part can fail.)
 *
 * Last, it restarts `next dev` on what the first run left in `.next/` and opens three pages in Chromium
 * at 127.0.0.1: each must load once in 20 s (a dev server restarted on Turbopack's on-disk cache kept
 * such pages reloading each other).
 *
 * It leaves nothing behind; it refuses to run while another `next dev` uses this folder (Next's own
 * lock on `.next/dev`).
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
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

/**
 * Whether `next dev` opens its HMR socket for a page at `origin`: "accepted" (101) or "refused" (any
 * other answer; Next refuses a foreign origin by writing a bare "Unauthorized" on the socket, which is
 * not HTTP at all).
 */
function hmrUpgrade(port: number, host: string, origin: string): Promise<"accepted" | "refused"> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host,
      port,
      path: "/_next/hmr?id=check-dev-reloads-origin",
      headers: {
        Connection: "Upgrade",
        Upgrade: "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": Buffer.from("check-dev-reload").toString("base64"), // 16 bytes, as RFC 6455 asks
        Origin: origin,
      },
      timeout: 10_000,
    });
    req.on("upgrade", (res, socket) => {
      socket.destroy();
      resolve(res.statusCode === 101 ? "accepted" : "refused");
    });
    req.on("response", (res) => {
      res.resume();
      resolve("refused");
    });
    req.on("timeout", () => req.destroy(new Error("no answer to the HMR upgrade")));
    req.on("error", (e: NodeJS.ErrnoException) =>
      e.code?.startsWith("HPE_") ? resolve("refused") : reject(e),
    );
    req.end();
  });
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
  const startNext = () =>
    start(
      ["node_modules/next/dist/bin/next", "dev", "-p", String(appPort)],
      { PGLITE_DIR: path.join(dir, "pglite"), DEVNET_PORT: String(devnetPort), TELEGRAM_MODE: "off" },
      nextOut,
    );
  let next = startNext();
  const base = `http://localhost:${appPort}`;
  console.log(`next dev on ${base}, devnet on ${devnetPort}, data in ${path.relative(process.cwd(), dir)}`);
  await waitFor(`http://127.0.0.1:${devnetPort}/_devnet/state`, 30_000);
  await waitFor(`${base}/api/ping`, 120_000);
  for (const p of ["/", "/login", "/admin/sign-in", "/docs/api", "/api/health"]) await fetch(`${base}${p}`);

  const origins: [string, string, "accepted" | "refused"][] = [
    ["127.0.0.1", `http://127.0.0.1:${appPort}`, "accepted"],
    ["::1", `http://[::1]:${appPort}`, "accepted"],
    ["127.0.0.1", "http://evil.example", "refused"],
  ];
  let originsFailed = false;
  for (const [host, origin, want] of origins) {
    const got = await hmrUpgrade(appPort, host, origin).catch((e: Error) => {
      if (host === "::1") return null; // no IPv6 loopback on this machine: nothing to check
      throw e;
    });
    if (got === null) continue;
    const ok = got === want;
    if (!ok) originsFailed = true;
    console.log(`HMR socket for a page at ${origin}: ${got} (want ${want})${ok ? "" : "  FAIL"}`);
  }

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
  const failed = events.length > 0 || compiled > 0 || envReloads > 0 || originsFailed;
  console.log(
    `${SECONDS} s, ${writes} writes into .data/ beside the database and the devnet's chain` +
      `${saves ? " (kept chain present)" : ""}: ${events.length} reload events, ${compiled} "Compiled" lines, ` +
      `${envReloads} env reloads; ${notices} build notices heard (the control)`,
  );
  ws.close();
  if (failed) console.error(`FAIL: reload events ${JSON.stringify(events)}`);
  if (notices === 0) console.error("FAIL: no notice heard at all, so the check proves nothing");

  // A restart on what the first run left behind, with a few pages open in a real browser.
  next.kill("SIGTERM");
  await new Promise<void>((r) => (next.exitCode === null ? next.once("exit", () => r()) : r()));
  next = startNext();
  await waitFor(`${base}/api/ping`, 120_000);
  const browserFailed = await pagesStayPut(appPort);
  return failed || notices === 0 || browserFailed ? 1 : 0;
}

/**
 * Opens three pages at 127.0.0.1 in Chromium right after `next dev` restarted and counts their loads
 * for 20 s: each should load once. (Restarted on Turbopack's on-disk cache of the previous session,
 * the dev server answered every page's chunk-list subscription with "restart", and the pages kept
 * reloading each other, ~100 loads in 20 s.) Without a Chromium (CHROMIUM_PATH, /usr/bin/chromium or
 * Playwright's own) this part says it was skipped.
 */
async function pagesStayPut(port: number): Promise<boolean> {
  const { chromium } = await import("@playwright/test");
  const executablePath =
    process.env.CHROMIUM_PATH ?? (fs.existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);
  const browser = await chromium.launch({ executablePath }).catch((e: Error) => {
    console.log(`restart with pages open: SKIPPED, no Chromium to open them (${e.message.split("\n")[0]})`);
    return null;
  });
  if (!browser) return false;
  try {
    const paths = ["/", "/login", "/admin/sign-in"];
    let loads = 0;
    for (const p of paths) {
      const page = await browser.newPage();
      page.on("load", () => loads++);
      await page.goto(`http://127.0.0.1:${port}${p}`);
    }
    await new Promise((r) => setTimeout(r, 20_000));
    const ok = loads <= paths.length;
    console.log(
      `restart with ${paths.length} pages open at 127.0.0.1 for 20 s: ${loads} page loads (want ${paths.length})` +
        (ok ? "" : "  FAIL"),
    );
    return !ok;
  } finally {
    await browser.close();
  }
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
