/**
 * Portal dashboard time-to-first-byte under `next start` on real PostgreSQL: signs in N users through
 * one-time links (fetch + cookies through Auth.js's CSRF + credentials callback), then requests
 * /dashboard at C concurrency and reports TTFB percentiles (time until the response headers + first
 * body chunk arrive; the wallet resources stream in later by design). Each user then reads the page
 * to its end, as a browser does, so its connection is kept alive for the next load; the time to the
 * last byte is reported too (complete_*).
 *
 *   BENCH_URL=http://127.0.0.1:3201 DATABASE_URL=postgres://…/teh_portal_e2e tsx bench/portal.ts
 *
 * Env: BENCH_URL (default http://127.0.0.1:3000), BENCH_USERS (20), BENCH_CONCURRENCY (20),
 * BENCH_REQUESTS (1000), BENCH_THINK_MS (0: each user asks again as soon as its page has arrived,
 * a closed loop that keeps the server saturated; > 0: each user pauses that long on average between
 * page loads, like a person reading — a random 0.5–1.5 × the mean, after a random first delay, so
 * the users do not arrive in lockstep bursts), BENCH_READ ("all": read each page to its end, the default;
 * "first": drop the connection after the first chunk, the method of earlier notes, which makes the
 * server abort every stream and accept a new connection per request), BENCH_CLIENT ("http": node:http
 * on kept-alive sockets, reading the gzip body as it arrives without inflating it, about 1 ms of
 * CPU per load here, the default; "fetch": undici's fetch, which inflates every page and costs about
 * 2.3 ms per load, CPU the server then does not have on a two-core box; earlier notes used it),
 * BENCH_WARMUP (1000: loads at full concurrency before measuring, so the server's and this
 * client's code are compiled by the JIT, as in a server that has been running). Both clients ask for
 * `accept-encoding: gzip, deflate, br` as a browser does, so the server compresses as it would for
 * one. The server and this script must share DATABASE_URL.
 */
import http from "node:http";
import { gunzipSync, gzipSync } from "node:zlib";
import { percentile } from "./util";

const base = process.env.BENCH_URL ?? "http://127.0.0.1:3000";
const users = Number(process.env.BENCH_USERS ?? 20);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 20);
const total = Number(process.env.BENCH_REQUESTS ?? 1000);
const thinkMs = Number(process.env.BENCH_THINK_MS ?? 0);
const readAll = (process.env.BENCH_READ ?? "all") !== "first";
const client = process.env.BENCH_CLIENT ?? "http";
const warmup = Number(process.env.BENCH_WARMUP ?? 1000);
if (client !== "http" && client !== "fetch") throw new Error('BENCH_CLIENT is "http" or "fetch"');

const { createUser } = await import("@/lib/users");
const { createLoginLink } = await import("@/lib/auth/login-link");
const { addWallet } = await import("@/lib/wallets");
const { credit } = await import("@/lib/ledger");
const { closeDb } = await import("@/db");

/** Signs in through Auth.js's own endpoints (CSRF + the login-link credentials callback). */
async function signIn(token: string): Promise<string> {
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const jar = csrf.headers.getSetCookie().map((c) => c.split(";")[0]);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(`${base}/api/auth/callback/login-link`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.join("; ") },
    body: new URLSearchParams({ token, csrfToken, callbackUrl: `${base}/dashboard` }),
    redirect: "manual",
  });
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .find((c) => c.startsWith("authjs.session-token="));
  if (!cookie) throw new Error(`sign-in failed (HTTP ${res.status} → ${res.headers.get("location")})`);
  return cookie;
}

const cookies: string[] = [];
for (let i = 0; i < users; i++) {
  const u = await createUser({ firstName: `bench-${i}` });
  await credit({
    userId: u.id,
    amountSun: 10_000_000n,
    idempotencyKey: `bench-portal:${u.id}`,
    memo: "bench",
  });
  await addWallet({ userId: u.id, address: "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", label: "bench" });
  const { token } = await createLoginLink(u.id);
  cookies.push(await signIn(token));
}
console.log(`signed in ${cookies.length} users`);

/** Time to the first body chunk and, when the page is read to its end, to its last byte. */
async function loadFetch(cookie: string): Promise<{ first: number; full: number | null }> {
  const t0 = performance.now();
  const res = await fetch(`${base}/dashboard`, { headers: { cookie }, redirect: "manual" });
  if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
  const reader = res.body!.getReader();
  await reader.read();
  const first = performance.now() - t0;
  if (!readAll) {
    await reader.cancel();
    return { first, full: null };
  }
  while (!(await reader.read()).done);
  return { first, full: performance.now() - t0 };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const target = new URL("/dashboard", base);
/** The same measurement over node:http: status checked, body bytes counted, not inflated. */
function loadHttp(
  cookie: string,
  keepBody = false,
): Promise<{ first: number; full: number | null; body?: Buffer }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = http.get(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        agent: readAll ? agent : false,
        headers: { cookie, "accept-encoding": "gzip, deflate, br" },
      },
      (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          return reject(new Error(`HTTP ${res.statusCode}`));
        }
        let first = -1;
        const parts: Buffer[] = [];
        res.on("data", (chunk: Buffer) => {
          if (first < 0) {
            first = performance.now() - t0;
            if (!readAll) {
              req.destroy();
              resolve({ first, full: null });
            }
          }
          if (keepBody) parts.push(chunk);
        });
        res.on("end", () => {
          const full = performance.now() - t0;
          if (!keepBody) return resolve({ first, full });
          const body = Buffer.concat(parts);
          resolve({
            first,
            full,
            body: res.headers["content-encoding"] === "gzip" ? gunzipSync(body) : body,
          });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
  });
}
const load = client === "http" ? loadHttp : loadFetch;

// The lean client must see the real page: each user's dashboard, inflated once, shows the balance.
if (client === "http" && readAll) {
  for (const c of cookies) {
    const { body } = await loadHttp(c, true);
    if (!body?.toString().includes('data-testid="balance"')) throw new Error("the dashboard did not render");
  }
}

/**
 * First-load JS of a page: every script a current browser fetches for it (each `<script src>`, each
 * `<link rel="preload" as="script">` / `<link rel="modulepreload">` in its HTML), gzip-compressed,
 * summed. `<script noModule>` (the legacy polyfill bundle) is left out: browsers with ES modules,
 * i.e. every browser the portal supports, never download it. Cross-checked against the scripts
 * Chromium actually requests while loading the page.
 */
async function firstLoadJs(path: string, cookie: string) {
  const html = await (await fetch(`${base}${path}`, { headers: { cookie } })).text();
  const tags = [
    ...[...html.matchAll(/<script\b[^>]*>/g)]
      .map((m) => m[0])
      .filter((tag) => !/\snomodule\b/i.test(tag))
      .map((tag) => /\ssrc="([^"]+)"/.exec(tag)?.[1]),
    ...[...html.matchAll(/<link\b[^>]*>/g)]
      .map((m) => m[0])
      .filter(
        (tag) =>
          /\srel="modulepreload"/.test(tag) || (/\srel="preload"/.test(tag) && /\sas="script"/.test(tag)),
      )
      .map((tag) => /\shref="([^"]+)"/.exec(tag)?.[1]),
  ];
  const srcs = [...new Set(tags.filter((s): s is string => s !== undefined && /\.js(\?|$)/.test(s)))];
  let raw = 0;
  let gz = 0;
  for (const src of srcs) {
    const body = Buffer.from(await (await fetch(new URL(src, base))).arrayBuffer());
    raw += body.length;
    gz += gzipSync(body, { level: 9 }).length;
  }
  return { path, chunks: srcs.length, raw_kB: Math.round(raw / 1024), gzip_kB: Math.round(gz / 1024) };
}
console.log(
  JSON.stringify([await firstLoadJs("/dashboard", cookies[0]), await firstLoadJs("/rent", cookies[0])]),
);

// Warm-up at full concurrency (not measured).
{
  let w = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (w < warmup) await load(cookies[w++ % cookies.length]);
    }),
  );
}

const lat: number[] = [];
const full: number[] = [];
let errors = 0;
let next = 0;
const t0 = performance.now();
const think = (ms: number) => new Promise((r) => setTimeout(r, ms));
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    if (thinkMs > 0) await think(Math.random() * thinkMs);
    while (next < total) {
      const i = next++;
      try {
        const t = await load(cookies[i % cookies.length]);
        lat.push(t.first);
        if (t.full !== null) full.push(t.full);
      } catch {
        errors++;
      }
      if (thinkMs > 0) await think(thinkMs * (0.5 + Math.random()));
    }
  }),
);
const seconds = (performance.now() - t0) / 1000;
lat.sort((a, b) => a - b);
full.sort((a, b) => a - b);
console.log(
  JSON.stringify(
    {
      bench: "portal dashboard TTFB",
      users,
      concurrency,
      thinkMs,
      read: readAll ? "all" : "first",
      client,
      warmup,
      requests: total,
      errors,
      perSecond: Math.round(lat.length / seconds),
      p50_ms: Math.round(percentile(lat, 50)),
      p95_ms: Math.round(percentile(lat, 95)),
      p99_ms: Math.round(percentile(lat, 99)),
      // The whole page, streamed wallet resources included (read "all" only).
      ...(full.length && {
        complete_p50_ms: Math.round(percentile(full, 50)),
        complete_p95_ms: Math.round(percentile(full, 95)),
      }),
    },
    null,
    2,
  ),
);
await closeDb();
