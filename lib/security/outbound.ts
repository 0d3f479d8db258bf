import { lookup as dnsLookup } from "node:dns";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";

/**
 * Outbound requests to URLs someone else chose (order callbacks): they must never reach our own
 * network. The rules:
 *
 * - an address is public only if it is global unicast after normalising every form that embeds an
 *   IPv4 address (IPv4-mapped ::ffff:a.b.c.d, IPv4-compatible ::a.b.c.d, SIIT ::ffff:0:a.b.c.d,
 *   NAT64 64:ff9b::/96 and 64:ff9b:1::/48, 6to4 2002::/16); Teredo is refused outright;
 * - the host is resolved once, inside the connection (the socket's `lookup`), and every answer
 *   must be public: the socket connects to exactly the address that was checked, so a DNS answer
 *   that changes between a check and the connection (rebinding) cannot slip through;
 * - redirects are never followed (a 3xx is not a delivery), so none can lead into private space;
 * - the reply is read for its status only: the body is discarded after `maxResponseBytes`, and
 *   the whole exchange is bounded by `timeoutMs`.
 */

export class OutboundRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OutboundRefused";
  }
}

function embeddedV4(v6: ipaddr.IPv6): ipaddr.IPv4 | null {
  const p = v6.parts; // eight 16-bit words
  const last32 = () => new ipaddr.IPv4([p[6] >> 8, p[6] & 0xff, p[7] >> 8, p[7] & 0xff]);
  const range = v6.range();
  if (range === "ipv4Mapped") return v6.toIPv4Address();
  // IPv4-compatible ::a.b.c.d (deprecated, but still routed by some stacks); :: and ::1 excluded
  if (p.slice(0, 6).every((w) => w === 0) && (p[6] !== 0 || p[7] > 1)) return last32();
  // SIIT ::ffff:0:a.b.c.d
  if (p.slice(0, 4).every((w) => w === 0) && p[4] === 0xffff && p[5] === 0) return last32();
  // NAT64: well-known 64:ff9b::/96 and local-use 64:ff9b:1::/48
  if (p[0] === 0x64 && p[1] === 0xff9b) return last32();
  // 6to4 2002:AABB:CCDD::/48
  if (range === "6to4") return new ipaddr.IPv4([p[1] >> 8, p[1] & 0xff, p[2] >> 8, p[2] & 0xff]);
  return null;
}

/** True when `ip` (any textual form) is a global unicast address, embedded IPv4 checked too. */
export function isPublicIp(ip: string): boolean {
  const s = ip.replace(/^\[|\]$/g, "");
  if (!ipaddr.isValid(s)) return false;
  let addr: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    addr = ipaddr.parse(s);
  } catch {
    return false;
  }
  if (addr.kind() === "ipv6") {
    const v6 = addr as ipaddr.IPv6;
    if (v6.range() === "teredo") return false;
    const v4 = embeddedV4(v6);
    if (v4) return v4.range() === "unicast";
    return v6.range() === "unicast";
  }
  return addr.range() === "unicast";
}

const LOCAL_NAMES = /(^|\.)(localhost|local|internal|localdomain|home\.arpa)\.?$/i;

/** A host name or literal that is certainly not public (no DNS needed); undefined when unsure. */
export function isPrivateHostLiteral(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "");
  if (ipaddr.isValid(h)) return !isPublicIp(h);
  return LOCAL_NAMES.test(h) || !h.includes(".");
}

type Resolver = (host: string) => Promise<{ address: string; family: number }[]>;

const systemResolver: Resolver = (host) =>
  new Promise((resolve, reject) =>
    dnsLookup(host, { all: true, verbatim: true }, (err, addrs) => (err ? reject(err) : resolve(addrs))),
  );

/**
 * A socket `lookup` that resolves once, refuses when any answer is not public, and hands the
 * socket the first checked answer.
 */
function publicOnlyLookup(
  resolver: Resolver = systemResolver,
  isPublic: (ip: string) => boolean = isPublicIp,
): LookupFunction {
  return (hostname, options, callback) => {
    resolver(hostname).then(
      (addrs) => {
        if (addrs.length === 0) return callback(new OutboundRefused("host has no address"), "", 4);
        const bad = addrs.find((a) => !isPublic(a.address));
        if (bad) return callback(new OutboundRefused("host resolves to a private address"), "", 4);
        const first = addrs[0];
        if ((options as { all?: boolean }).all)
          (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [first]);
        else callback(null, first.address, first.family);
      },
      (err) => callback(err, "", 4),
    );
  };
}

export type OutboundPost = {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  /** Reply bytes read at most (the body is not used; reading stops there). */
  maxResponseBytes?: number;
  /** Development and tests: loopback and private receivers allowed. */
  allowPrivate?: boolean;
  /** Tests: the resolver the connection uses, and what counts as public. */
  resolver?: Resolver;
  isPublic?: (ip: string) => boolean;
};

type OutboundResult = { status: number; location: string | null };

/** POSTs under the rules above. Resolves with the status; rejects on refusal, timeout or network error. */
export function postOutbound(o: OutboundPost): Promise<OutboundResult> {
  const u = new URL(o.url);
  if (u.protocol !== "http:" && u.protocol !== "https:")
    return Promise.reject(new OutboundRefused("not http(s)"));
  const host = u.hostname.replace(/^\[|\]$/g, "");
  const isPublic = o.isPublic ?? isPublicIp;
  if (!o.allowPrivate) {
    // IP literals never reach `lookup`: check them here.
    if (ipaddr.isValid(host) && !isPublic(host))
      return Promise.reject(new OutboundRefused("host is not public"));
    if (!ipaddr.isValid(host) && LOCAL_NAMES.test(host))
      return Promise.reject(new OutboundRefused("host is not public"));
  }
  const mod = u.protocol === "https:" ? https : http;
  const max = o.maxResponseBytes ?? 64 * 1024;
  return new Promise<OutboundResult>((resolve, reject) => {
    const signal = AbortSignal.timeout(o.timeoutMs);
    const req = mod.request(
      u,
      {
        method: "POST",
        headers: { ...o.headers, "content-length": String(Buffer.byteLength(o.body)) },
        agent: false,
        signal,
        ...(o.allowPrivate ? {} : { lookup: publicOnlyLookup(o.resolver, isPublic) }),
      },
      (res) => {
        let read = 0;
        const done = () => resolve({ status: res.statusCode ?? 0, location: res.headers.location ?? null });
        res.on("data", (chunk: Buffer) => {
          read += chunk.length;
          if (read > max) {
            res.destroy();
            done();
          }
        });
        res.on("end", done);
        res.on("error", () => done());
      },
    );
    req.on("error", (e) =>
      reject(signal.aborted ? Object.assign(new Error("timed out"), { name: "TimeoutError" }) : e),
    );
    req.end(o.body);
  });
}
