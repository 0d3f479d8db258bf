import http from "node:http";
import https from "node:https";
import { Readable } from "node:stream";

/** What grammY's ApiClient passes to `fetch` (JSON payloads as a string, files as a stream). */
type BotApiInit = {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array | AsyncIterable<Uint8Array> | null;
  /** grammY's own (polyfilled) AbortSignal: its request timeout. */
  signal?: {
    aborted: boolean;
    addEventListener(type: "abort", fn: () => void): void;
    removeEventListener(type: "abort", fn: () => void): void;
  } | null;
  /** grammY's keep-alive agent for the API root (its base fetch config). */
  agent?: http.Agent;
};

/** The part of a fetch Response grammY's ApiClient reads: it only calls `json()`. */
export type BotApiResponse = {
  ok: boolean;
  status: number;
  json(): Promise<unknown>;
  text(): Promise<string>;
};

const agents = new Map<string, http.Agent>();
function agentFor(url: URL): http.Agent {
  let a = agents.get(url.origin);
  if (!a) {
    a = url.protocol === "https:" ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true });
    agents.set(url.origin, a);
  }
  return a;
}

/**
 * The bot's HTTP client for the Telegram Bot API, given to grammY as `client.fetch`: one
 * `http.request` on a keep-alive connection per call and the reply's bytes, without building
 * WHATWG Request/Response objects or streams around them (grammY's default, node-fetch, cost the
 * menu tap more CPU than the rest of the bot's own work: issue #6). It does what grammY needs of
 * fetch: POST a JSON string or a multipart stream (a file upload), abort on grammY's timeout
 * signal, and hand back the body, whatever the status (the Bot API explains errors in JSON).
 * A network failure rejects, as fetch does; grammY turns that into an HttpError.
 */
export function botApiFetch(input: string | URL, init: BotApiInit = {}): Promise<BotApiResponse> {
  const url = typeof input === "string" ? new URL(input) : input;
  if (url.protocol !== "http:" && url.protocol !== "https:")
    return Promise.reject(new TypeError(`unsupported protocol ${url.protocol}`));
  const { body, signal } = init;
  if (signal?.aborted) return Promise.reject(abortError());
  const headers: Record<string, string> = { ...init.headers };
  if (typeof body === "string") headers["content-length"] = String(Buffer.byteLength(body));
  else if (body instanceof Uint8Array) headers["content-length"] = String(body.byteLength);
  return new Promise((resolve, reject) => {
    const mod = url.protocol === "https:" ? https : http;
    const req = mod.request(url, {
      method: init.method ?? "GET",
      headers,
      agent: init.agent ?? agentFor(url),
    });
    let settled = false;
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
    req.on("error", (e) => done(() => reject(e)));
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", (e) => done(() => reject(e)));
      res.on("end", () => {
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
  });
}

function abortError(): Error {
  const e = new Error("The Bot API request was aborted.");
  e.name = "AbortError";
  return e;
}
