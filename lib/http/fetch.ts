import { Readable } from "node:stream";
import { text as readText } from "node:stream/consumers";
import zlib from "node:zlib";
import { Agent, type Dispatcher, request } from "undici";

/** An abort signal: the platform's, or a polyfill with the same three members (grammY's). */
type SignalLike = {
  aborted: boolean;
  addEventListener(type: "abort", fn: () => void): void;
  removeEventListener(type: "abort", fn: () => void): void;
};

type LeanInit = {
  method?: string;
  headers?: Record<string, string>;
  /** A string or bytes (sent with their length), or a stream of bytes (sent chunked: a file upload). */
  body?: string | Uint8Array | AsyncIterable<Uint8Array> | null;
  signal?: SignalLike | null;
  /** An undici dispatcher of the caller's (a Pool, an Agent); one shared keep-alive Agent otherwise. */
  dispatcher?: Dispatcher;
};

/** What callers read of a response: a subset of fetch's Response. */
type LeanResponse = {
  ok: boolean;
  status: number;
  text(): Promise<string>;
  json(): Promise<unknown>;
};

/** Keep-alive connections per origin, shared by every caller. */
const sharedAgent = new Agent();

/** The reply's text, decoded when compressed. */
function textOf(res: Dispatcher.ResponseData): Promise<string> {
  const encoding = res.headers["content-encoding"];
  switch (Array.isArray(encoding) ? encoding[0] : encoding) {
    case "gzip":
    case "x-gzip":
      return readText(res.body.pipe(zlib.createGunzip()));
    case "deflate":
      return readText(res.body.pipe(zlib.createInflate()));
    case "br":
      return readText(res.body.pipe(zlib.createBrotliDecompress()));
    default:
      return readText(res.body);
  }
}

/** A connection the server had closed (or reset) before any reply. */
function isReset(e: unknown): boolean {
  const code = (e as { code?: string })?.code;
  return code === "ECONNRESET" || code === "UND_ERR_SOCKET";
}

/**
 * The HTTP client for the JSON APIs the server calls many times a second (the Telegram Bot API, the
 * TRON full node and TronScan): undici's `request` on keep-alive connections and the reply's text,
 * without the WHATWG Request/Response objects and web streams that fetch builds around every call
 * (bench/http.ts measures the difference). It does what those callers need: GET or POST a string,
 * bytes or a stream, abort on a signal, and hand back the body whatever the status (the APIs explain
 * errors in JSON), decoded when compressed. A network failure or an abort rejects, as fetch does
 * (an abort with an `AbortError`). A connection found closed or reset by the server before any
 * reply is tried again, once, on a new one, when the body can be sent again. Redirects are not
 * followed (none of these APIs redirects).
 */
export async function leanFetch(input: string | URL, init: LeanInit = {}): Promise<LeanResponse> {
  const url = typeof input === "string" ? new URL(input) : input;
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new TypeError(`unsupported protocol ${url.protocol}`);
  const { signal } = init;
  if (signal?.aborted) throw abortError();
  const replayable = init.body == null || typeof init.body === "string" || init.body instanceof Uint8Array;
  const body =
    init.body == null || typeof init.body === "string" || init.body instanceof Uint8Array
      ? init.body
      : Readable.from(init.body);
  const send = () =>
    request(url, {
      method: (init.method ?? "GET") as Dispatcher.HttpMethod,
      headers: init.headers,
      body,
      signal: signal as AbortSignal | undefined,
      dispatcher: init.dispatcher ?? sharedAgent,
    });
  let res: Dispatcher.ResponseData;
  try {
    try {
      res = await send();
    } catch (e) {
      if (!replayable || !isReset(e) || signal?.aborted) throw e;
      res = await send();
    }
    const text = await textOf(res);
    const status = res.statusCode;
    return {
      ok: status >= 200 && status < 300,
      status,
      text: async () => text,
      json: async () => JSON.parse(text),
    };
  } catch (e) {
    if (signal?.aborted) throw abortError();
    throw e;
  }
}

function abortError(): Error {
  const e = new Error("The request was aborted.");
  e.name = "AbortError";
  return e;
}
