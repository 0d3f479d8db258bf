import { randomBytes } from "node:crypto";
import proxyaddr from "proxy-addr";
import { env } from "@/lib/env";

/**
 * The client's IP address, as far as it can be trusted: the socket's peer address, or — only when
 * that peer is one of TRUSTED_PROXIES — the nearest untrusted hop of X-Forwarded-For. A header
 * alone is never believed.
 *
 * Next.js hands route handlers and server actions the request's headers but not its socket, so
 * the server process stamps each request when it arrives (`installPeerStamp`, called from
 * instrumentation.ts): `x-teh-peer: <nonce>.<peer address>`, with a random nonce made once per
 * process, overwriting whatever a client sent under that name. Requests from an untrusted peer
 * also lose their X-Forwarded-* and Forwarded headers before Next reads them, so nothing
 * downstream (Auth.js's sign-in redirects, Secure-cookie decisions, server-action origin checks)
 * can be steered by them. A request without a valid stamp (a test calling a handler directly, or
 * one that arrived while the server was still starting) counts as coming from "unknown".
 */
export const PEER_HEADER = "x-teh-peer";
export const UNKNOWN_IP = "unknown";
const FORWARDED = [
  "x-forwarded-for",
  "x-forwarded-host",
  "x-forwarded-proto",
  "x-forwarded-port",
  "x-real-ip",
  "forwarded",
];

const g = globalThis as unknown as { __tehPeerNonce?: string; __tehPeerStamp?: boolean };
const nonce = () => {
  g.__tehPeerNonce ??= randomBytes(18).toString("base64url");
  return g.__tehPeerNonce;
};

let trustCache: { src: string; fn: (addr: string, i: number) => boolean } | null = null;

/** TRUSTED_PROXIES compiled (IPs, CIDRs, or proxy-addr's names loopback / linklocal / uniquelocal). */
function trustedProxy(): (addr: string, i: number) => boolean {
  const src = env.TRUSTED_PROXIES;
  if (trustCache?.src !== src) {
    const list = parseTrustedProxies(src);
    trustCache = { src, fn: list.length ? proxyaddr.compile(list) : () => false };
  }
  return trustCache.fn;
}

function parseTrustedProxies(src: string): string[] {
  const list = src
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  proxyaddr.compile(list); // throws on a malformed entry
  return list;
}

/** The client address for a peer and the X-Forwarded-For it sent (trusted hops skipped). */
export function resolveClientIp(peer: string, xForwardedFor: string | null | undefined): string {
  const fake = {
    socket: { remoteAddress: peer },
    connection: { remoteAddress: peer },
    headers: xForwardedFor ? { "x-forwarded-for": xForwardedFor } : {},
  };
  return normalize(proxyaddr(fake as never, trustedProxy()));
}

/** IPv4-mapped IPv6 (::ffff:1.2.3.4) as plain IPv4, so one client has one key. */
function normalize(ip: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return (m ? m[1] : ip).slice(0, 100);
}

type HeaderBag = { get(name: string): string | null };

/** The trusted client IP of a request (route handlers: `req.headers`; actions: `await headers()`). */
export function clientIpOf(headers: HeaderBag): string {
  const stamp = headers.get(PEER_HEADER);
  const prefix = `${nonce()}.`;
  if (!stamp?.startsWith(prefix)) return UNKNOWN_IP;
  const peer = stamp.slice(prefix.length);
  if (!peer) return UNKNOWN_IP;
  return resolveClientIp(peer, headers.get("x-forwarded-for"));
}

type IncomingLike = {
  headers: Record<string, string | string[] | undefined>;
  socket?: { remoteAddress?: string } | null;
};

/** Stamps one incoming request (see above). Exported for tests of the stamp itself. */
function stampIncoming(req: IncomingLike): void {
  const peer = req.socket?.remoteAddress ?? "";
  const trusted = peer !== "" && trustedProxy()(peer, 0);
  if (!trusted) for (const h of FORWARDED) delete req.headers[h];
  req.headers[PEER_HEADER] = `${nonce()}.${peer}`;
}

/** Tests: headers a request from `peer` would carry after the stamp. */
export function peerHeaders(peer: string, extra: Record<string, string> = {}): Record<string, string> {
  return { ...extra, [PEER_HEADER]: `${nonce()}.${peer}` };
}

/**
 * Subscribes to Node's `http.server.request.start` diagnostics channel, published for every
 * request before the server's "request" event (so before Next sees it). Once per process.
 */
export async function installPeerStamp(): Promise<void> {
  if (g.__tehPeerStamp) return;
  g.__tehPeerStamp = true;
  const dc = await import("node:diagnostics_channel");
  dc.subscribe("http.server.request.start", (message) => {
    const { request } = message as { request: IncomingLike };
    stampIncoming(request);
  });
}
