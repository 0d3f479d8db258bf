import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { leanFetch } from "./fetch";

type Seen = { method?: string; headers: http.IncomingHttpHeaders; body: string };
let server: http.Server;
let base: string;
const seen: Seen[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      seen.push({ method: req.method, headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      if (req.url?.endsWith("/slow")) return setTimeout(() => res.end("{}"), 2_000);
      if (req.url?.endsWith("/gz")) {
        res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
        return res.end(gzipSync(JSON.stringify({ balance: "12345678901234567890" })));
      }
      const bad = req.url?.endsWith("/bad");
      res.writeHead(bad ? 400 : 200, { "content-type": "application/json" });
      res.end(
        JSON.stringify(bad ? { ok: false, description: "Bad Request: 你好" } : { ok: true, result: 1 }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** A minimal abort signal like grammY's polyfilled one. */
function signal() {
  const fns = new Set<() => void>();
  return {
    aborted: false,
    addEventListener: (_: "abort", fn: () => void) => void fns.add(fn),
    removeEventListener: (_: "abort", fn: () => void) => void fns.delete(fn),
    abort() {
      this.aborted = true;
      for (const fn of fns) fn();
    },
    listeners: fns,
  };
}

describe("leanFetch", () => {
  it("posts a JSON string with its length and reads the JSON reply", async () => {
    const body = JSON.stringify({ chat_id: 1, text: "能量 ⚡" });
    const s = signal();
    const res = await leanFetch(`${base}/botX/sendMessage`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
      signal: s,
    });
    expect(res.ok).toBe(true);
    expect(await res.json()).toEqual({ ok: true, result: 1 });
    const last = seen.at(-1)!;
    expect(last.method).toBe("POST");
    expect(last.body).toBe(body);
    expect(last.headers["content-length"]).toBe(String(Buffer.byteLength(body)));
    expect(s.listeners.size).toBe(0);
  });

  it("hands back an error status with its JSON body (the Bot API explains errors there)", async () => {
    const res = await leanFetch(`${base}/botX/bad`, { method: "POST", body: "{}" });
    expect(res.ok).toBe(false);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ ok: false, description: "Bad Request: 你好" });
  });

  it("streams a multipart body given as an async iterable (a file upload)", async () => {
    async function* parts() {
      yield new TextEncoder().encode("--b\r\n");
      yield new TextEncoder().encode("photo bytes\r\n--b--\r\n");
    }
    const res = await leanFetch(new URL(`${base}/botX/sendPhoto`), {
      method: "POST",
      headers: { "content-type": "multipart/form-data; boundary=b" },
      body: parts(),
    });
    expect(await res.json()).toEqual({ ok: true, result: 1 });
    expect(seen.at(-1)!.body).toBe("--b\r\nphoto bytes\r\n--b--\r\n");
  });

  it("GETs without a body and decodes a compressed reply", async () => {
    const res = await leanFetch(`${base}/wallet/gz`);
    expect(seen.at(-1)!.method).toBe("GET");
    expect(await res.text()).toBe('{"balance":"12345678901234567890"}');
  });

  it("a platform timeout signal aborts with an AbortError", async () => {
    const p = leanFetch(`${base}/wallet/slow`, {
      method: "POST",
      body: "{}",
      signal: AbortSignal.timeout(50),
    });
    await expect(p).rejects.toMatchObject({ name: "AbortError" });
  });

  it("rejects when grammY's timeout aborts the call, and when nothing listens", async () => {
    const s = signal();
    const p = leanFetch(`${base}/botX/slow`, { method: "POST", body: "{}", signal: s });
    setTimeout(() => s.abort(), 50);
    await expect(p).rejects.toMatchObject({ name: "AbortError" });
    await expect(
      leanFetch("http://127.0.0.1:9/botX/getMe", { method: "POST", body: "{}" }),
    ).rejects.toThrow();
    await expect(leanFetch("ftp://127.0.0.1/x")).rejects.toThrow(/unsupported protocol/);
  });

  it("sends again, once, when a kept-alive connection turns out closed by the server", async () => {
    // A bare server: the first request on a connection is answered (kept alive); a second one on
    // the same connection is reset before any reply, as a server that just timed it out does.
    let connections = 0;
    let requests = 0;
    const raw = net.createServer((sock) => {
      connections++;
      let served = 0;
      let buf = "";
      sock.on("data", (d) => {
        buf += d.toString("latin1");
        if (!buf.includes("\r\n\r\n")) return;
        buf = "";
        requests++;
        if (served++ > 0) return void sock.resetAndDestroy();
        sock.write(
          'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 11\r\n\r\n{"ok":true}',
        );
      });
      sock.on("error", () => {});
    });
    await new Promise<void>((r) => raw.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(raw.address() as AddressInfo).port}/x`;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      expect(await (await leanFetch(url, { agent })).json()).toEqual({ ok: true });
      expect(await (await leanFetch(url, { agent, method: "POST", body: "{}" })).json()).toEqual({
        ok: true,
      });
      expect({ connections, requests }).toEqual({ connections: 2, requests: 3 });
      // A streamed body cannot be sent again: the reset is the caller's to see. (The retry above
      // went out on a connection of its own; one more call leaves a kept-alive one in the pool.)
      await leanFetch(url, { agent });
      async function* once() {
        yield new TextEncoder().encode("{}");
      }
      await expect(leanFetch(url, { agent, method: "POST", body: once() })).rejects.toMatchObject({
        code: "ECONNRESET",
      });
    } finally {
      agent.destroy();
      await new Promise<void>((r) => raw.close(() => r()));
    }
  });

  it("sends again on a fresh connection, not on another kept-alive one the server also closed", async () => {
    // Two kept-alive connections in the pool, both closed by the server (as after a restart or an
    // idle timeout on each): the retry must not pick the second stale one.
    let connections = 0;
    const raw = net.createServer((sock) => {
      connections++;
      let served = 0;
      let buf = "";
      sock.on("data", (d) => {
        buf += d.toString("latin1");
        if (!buf.includes("\r\n\r\n")) return;
        buf = "";
        if (served++ > 0) return void sock.resetAndDestroy();
        // Held briefly so the two first requests overlap and open two connections.
        setTimeout(
          () =>
            sock.write(
              'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 11\r\n\r\n{"ok":true}',
            ),
          50,
        );
      });
      sock.on("error", () => {});
    });
    await new Promise<void>((r) => raw.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(raw.address() as AddressInfo).port}/x`;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
    try {
      await Promise.all([leanFetch(url, { agent }), leanFetch(url, { agent })]);
      expect(connections).toBe(2);
      const res = await leanFetch(url, { agent, method: "POST", body: "{}" });
      expect(await res.json()).toEqual({ ok: true });
      expect(connections).toBe(3);
    } finally {
      agent.destroy();
      await new Promise<void>((r) => raw.close(() => r()));
    }
  });
});
