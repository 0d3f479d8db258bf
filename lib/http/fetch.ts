import http from "node:http";
import https from "node:https";
import { Readable } from "node:stream";
import zlib from "node:zlib";

/** An abort signal: the platform's, or a polyfill with the same three members (grammY's). */
type SignalLike = {
  aborted: boolean;
  addEventListener(type: "abort", fn: () => void): void;
  removeEventListener(type: "abort", fn: () => void): void;
};

export type LeanInit = {
  method?: string;
  headers?: Record<string, string>;
  /** A string or bytes (sent with their length), or a stream of bytes (sent chunked: a file upload). */
  body?: string | Uint8Array | AsyncIterable<Uint8Array> | null;
  signal?: SignalLike | null;
  /** A keep-alive agent of the caller's; one per origin is kept here otherwise. */
  agent?: http.Agent;
};

/** What callers read of a response: a subset of fetch's Response. */
type LeanResponse = {
  ok: boolean;
  status: number;
  text(): Promise<string>;
  json(): Promise<unknown>;
};

const agents = new Map<string, http.Agent>();
function agentFor(url: URL): http.Agent {
  let a = agents.get(url.origin);
  if (!a) {
    a =
      url.protocol === "https:" ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true });
    agents.set(url.origin, a);
  }
  return a;
}

function decoded(res: http.IncomingMessage): NodeJS.ReadableStream {
  switch (res.headers["content-encoding"]) {
    case "gzip":
    case "x-gzip":
      return res.pipe(zlib.createGunzip());
    case "deflate":
      return res.pipe(zlib.createInflate());
    case "br":
      return res.pipe(zlib.createBrotliDecompress());
    default:
      return res;
  }
}

/**
 * A small HTTP client for the JSON APIs the server calls many times a second (the Telegram Bot
 * API, the TRON full node and TronScan): one `http.request` on a keep-alive connection and the
 * reply's bytes, without the WHATWG Request/Response objects, web streams and abort plumbing that
 * fetch builds around every call. Those cost more CPU than the bot's own work on a menu tap and
 * about a fifth of a wallet look-up. It does what those callers need: GET or POST a
 * string, bytes or a stream, abort on a signal, and hand back the body whatever the status (the
 * APIs explain errors in JSON). A network failure or an abort rejects, as fetch does (an abort with
 * an `AbortError`). A kept-alive connection found closed by the server is retried once on a new one
 * of its own, outside the pool (as Node's documentation advises). Redirects are not followed (none of these APIs redirects).
 *
 * Hand-rolled, and kept after a side-by-side trial of undici (Node's own fetch implementation). In
 * isolation undici's `Pool.request` is ahead (`npm run bench:http`: about 250 µs p50 and 7,200
 * calls/s at 16 in flight, against about 290 µs and 4,600/s here). Inside the running server it is
 * not: `npm run bench:bot` on the same build with only this transport swapped, three runs each,
 * taking turns, put this client ahead at a fixed 100 updates/s. Menu tap p95 was 11.2 / 11.5 /
 * 13.3 ms here against 13.0 / 14.2 / 15.4 ms on undici. The wallet look-up (three node calls) was
 * p50 10.2 / 9.7 / 11.0 ms and p95 32.2 / 30.2 / 28.8 ms here, against 16.0 / 7.3 / 19.8 ms and
 * 160.5 / 21.8 / 78.5 ms on undici. Re-run both before changing the transport.
 */
export function leanFetch(input: string | URL, init: LeanInit = {}): Promise<LeanResponse> {
  const url = typeof input === "string" ? new URL(input) : input;
  if (url.protocol !== "http:" && url.protocol !== "https:")
    return Promise.reject(new TypeError(`unsupported protocol ${url.protocol}`));
  const { body, signal } = init;
  if (signal?.aborted) return Promise.reject(abortError());
  const headers: Record<string, string> = { ...init.headers };
  if (typeof body === "string") headers["content-length"] = String(Buffer.byteLength(body));
  else if (body instanceof Uint8Array) headers["content-length"] = String(body.byteLength);
  const replayable = body == null || typeof body === "string" || body instanceof Uint8Array;
  return new Promise((resolve, reject) => {
    const mod = url.protocol === "https:" ? https : http;
    let settled = false;
    let req: http.ClientRequest;
    const onAbort = () => {
      req.destroy(abortError());
    };
    const done = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener("abort", onAbort);
      fn();
    };
    signal?.addEventListener("abort", onAbort);
    const send = (retried: boolean) => {
      // The retry goes out on a connection of its own: the pool may hold more sockets the server
      // closed at the same time (a restart, an idle timeout), and it would hand out the next one.
      const agent = retried ? false : (init.agent ?? agentFor(url));
      req = mod.request(url, { method: init.method ?? "GET", headers, agent });
      let answered = false;
      req.on("error", (e: NodeJS.ErrnoException) => {
        // A kept-alive connection the server had just closed fails before any reply: Node's advice
        // is to send again on a fresh one (once; only a body that can be sent again).
        if (
          !retried &&
          !answered &&
          replayable &&
          req.reusedSocket &&
          e.code === "ECONNRESET" &&
          !signal?.aborted
        )
          return send(true);
        done(() => reject(e));
      });
      req.on("response", (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        const stream = decoded(res);
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("error", (e) => done(() => reject(e)));
        stream.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          const status = res.statusCode ?? 0;
          done(() =>
            resolve({
              ok: status >= 200 && status < 300,
              status,
              text: async () => text,
              json: async () => JSON.parse(text),
            }),
          );
        });
      });
      if (body == null) req.end();
      else if (typeof body === "string" || body instanceof Uint8Array) req.end(body);
      else {
        const src = body instanceof Readable ? body : Readable.from(body);
        src.on("error", (e) => req.destroy(e));
        src.pipe(req);
      }
    };
    send(false);
  });
}

function abortError(): Error {
  const e = new Error("The request was aborted.");
  e.name = "AbortError";
  return e;
}
