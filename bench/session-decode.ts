/**
 * `npx tsx bench/session-decode.ts`: what decoding one portal session cookie costs, the check every
 * portal page and proxy.ts run. Side by side on one token, sequentially, in one process:
 *
 * - `auth.js decode`: Auth.js's own `decode` (HKDF, thumbprint, JWE decryption) on every call;
 * - `decodeSessionJwt`: lib/auth/jwt, the same `decode` behind its cache of verified tokens (every
 *   call after the first is a cache hit, as for a returning visitor);
 * - a module given by BENCH_JWT_MODULE (a path exporting `decodeSessionJwt`), to compare another
 *   implementation on the same machine and run;
 * - the ceiling: one HMAC-SHA512 over the token's text, the cheapest authenticated check a decode
 *   without a cache could do.
 *
 * Each is timed twice: `repeat`, the same token again and again (a returning visitor), and `first
 * sight`, a token it has not seen before (a new or re-issued cookie: a cache miss).
 *
 * Env: BENCH_DECODES (20000 repeats per variant; the first tenth warms up and is not timed),
 * BENCH_TOKENS (1000 distinct tokens per variant for `first sight`).
 */
import { createHmac } from "node:crypto";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { decode, encode } from "next-auth/jwt";
import { decodeSessionJwt } from "@/lib/auth/jwt";
import { fmt } from "./util";

type Decoder = (p: { token: string; secret: string; salt: string }) => Promise<unknown>;

const N = Number(process.env.BENCH_DECODES ?? 20_000);
const secret = "s".repeat(48);
const salt = "authjs.session-token";
const token = await encode({ token: { sub: "42", name: "bench", email: "bench@example.com" }, secret, salt });

const variants: [string, Decoder][] = [
  ["auth.js decode", (p) => decode(p)],
  ["decodeSessionJwt (cached)", decodeSessionJwt],
];
if (process.env.BENCH_JWT_MODULE) {
  const mod = (await import(pathToFileURL(path.resolve(process.env.BENCH_JWT_MODULE)).href)) as {
    decodeSessionJwt: Decoder;
  };
  variants.push([`${path.basename(process.env.BENCH_JWT_MODULE)}`, mod.decodeSessionJwt]);
}
variants.push(["ceiling: one HMAC-SHA512", async () => createHmac("sha512", secret).update(token).digest()]);

const M = Number(process.env.BENCH_TOKENS ?? 1000);
const fresh = async () =>
  Promise.all(
    Array.from({ length: M }, (_, i) =>
      encode({ token: { sub: String(i + 1), name: "bench" }, secret, salt }),
    ),
  );

async function repeat(fn: Decoder): Promise<number> {
  const warm = Math.ceil(N / 10);
  for (let i = 0; i < warm; i++) await fn({ token, secret, salt });
  const t0 = performance.now();
  for (let i = 0; i < N; i++) await fn({ token, secret, salt });
  return (performance.now() - t0) / N;
}

async function firstSight(fn: Decoder): Promise<number> {
  const tokens = await fresh();
  const t0 = performance.now();
  for (const t of tokens) await fn({ token: t, secret, salt });
  return (performance.now() - t0) / tokens.length;
}

const show = (ms: number) => `${fmt(ms * 1000, 1).padStart(9)} µs ${fmt(1000 / ms, 0).padStart(8)}/s`;
console.log(`session decode: ${N} repeats, ${M} first sights per variant, token ${token.length} chars`);
console.log(`${"".padEnd(28)} ${"repeat".padStart(22)} ${"first sight".padStart(22)}`);
for (const [name, fn] of variants) {
  const r = await repeat(fn);
  const f = await firstSight(fn);
  console.log(`${name.padEnd(28)} ${show(r)} ${show(f)}`);
}
