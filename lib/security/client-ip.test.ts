import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { reloadEnv } from "@/lib/env";
import {
  clientIpOf,
  installPeerStamp,
  PEER_HEADER,
  peerHeaders,
  resolveClientIp,
  UNKNOWN_IP,
} from "./client-ip";

/** The trusted client IP: the socket's peer, X-Forwarded-For only from TRUSTED_PROXIES. */

const saved = process.env.TRUSTED_PROXIES;
function trust(list: string) {
  process.env.TRUSTED_PROXIES = list;
  reloadEnv();
}
afterEach(() => {
  if (saved === undefined) delete process.env.TRUSTED_PROXIES;
  else process.env.TRUSTED_PROXIES = saved;
  reloadEnv();
});

describe("client IP", () => {
  it("without trusted proxies the peer is the client, whatever X-Forwarded-For says", () => {
    trust("");
    expect(resolveClientIp("203.0.113.7", "1.1.1.1")).toBe("203.0.113.7");
    expect(resolveClientIp("::ffff:203.0.113.7", null)).toBe("203.0.113.7");
    expect(clientIpOf(new Headers(peerHeaders("198.51.100.1", { "x-forwarded-for": "1.1.1.1" })))).toBe(
      "198.51.100.1",
    );
  });

  it("from a trusted proxy: the nearest untrusted hop, never a spoofed one further left", () => {
    trust("10.0.0.0/8, 127.0.0.1");
    expect(resolveClientIp("10.0.0.2", "198.51.100.4")).toBe("198.51.100.4");
    expect(resolveClientIp("10.0.0.2", "6.6.6.6, 198.51.100.4, 10.0.0.9")).toBe("198.51.100.4");
    expect(resolveClientIp("10.0.0.2", null)).toBe("10.0.0.2");
    expect(resolveClientIp("127.0.0.1", "198.51.100.4")).toBe("198.51.100.4");
    // an untrusted peer's claim is ignored even when it names a trusted proxy
    expect(resolveClientIp("203.0.113.7", "10.0.0.2")).toBe("203.0.113.7");
  });

  it("a client cannot forge the stamp: without the process's nonce it counts as unknown", () => {
    expect(clientIpOf(new Headers({ [PEER_HEADER]: "1.2.3.4" }))).toBe(UNKNOWN_IP);
    expect(clientIpOf(new Headers({ [PEER_HEADER]: "x.1.2.3.4" }))).toBe(UNKNOWN_IP);
    expect(clientIpOf(new Headers({ "x-forwarded-for": "1.2.3.4" }))).toBe(UNKNOWN_IP);
  });

  it("the server stamps every request from its socket and drops untrusted X-Forwarded-* headers", async () => {
    await installPeerStamp();
    const seen: Record<string, string | string[] | undefined>[] = [];
    const server = createServer((req, res) => {
      seen.push({ ...req.headers });
      res.end("ok");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const forged = {
      [PEER_HEADER]: "forged.6.6.6.6",
      "x-forwarded-for": "6.6.6.6",
      "x-forwarded-host": "evil.example",
      "x-forwarded-proto": "https",
      "x-real-ip": "6.6.6.6",
      forwarded: "for=6.6.6.6;host=evil.example",
    };
    try {
      trust("");
      await (await fetch(url, { headers: forged })).text();
      trust("127.0.0.1");
      await (await fetch(url, { headers: forged })).text();
    } finally {
      server.close();
    }
    const [untrusted, trusted] = seen.map((h) => new Headers(h as Record<string, string>));
    for (const h of ["x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-real-ip", "forwarded"])
      expect(untrusted.get(h), h).toBeNull();
    expect(untrusted.get(PEER_HEADER)).toMatch(/\.127\.0\.0\.1$/);
    expect(clientIpOf(untrusted)).toBe("127.0.0.1");
    // from a trusted proxy the forwarded headers stay and name the client
    expect(trusted.get("x-forwarded-host")).toBe("evil.example");
    expect(clientIpOf(trusted)).toBe("6.6.6.6");
  });
});
