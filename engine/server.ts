/**
 * The local engine's HTTP face: the endpoints the Inngest SDK calls (event API, out-of-band sync,
 * checkpoints, run data) and the read-only run list. Binds to loopback by default.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Engine, type EngineOptions, isFinished, SyncRefused } from "./engine";
import { checkpointBodySchema, hashSigningKey, registerBodySchema, safeEqual } from "./protocol";
import { runDetail, runHtml, runListHtml, runSummary } from "./ui";

export type StartEngineOptions = EngineOptions & { port?: number; host?: string };
export type RunningEngine = { url: string; port: number; engine: Engine; close(): Promise<void> };

const MAX_BODY = 10 * 1024 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > MAX_BODY) throw new HttpError(413, "body too large");
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY) throw new HttpError(413, "body too large");
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, "body is not JSON");
  }
}

function send(res: ServerResponse, status: number, body: unknown, type = "application/json"): void {
  const text = type === "application/json" ? JSON.stringify(body) : String(body);
  res.writeHead(status, { "content-type": `${type}; charset=utf-8`, "cache-control": "no-store" });
  res.end(text);
}

export async function startEngine(opts: StartEngineOptions = {}): Promise<RunningEngine> {
  const engine = new Engine(opts);
  const bearer = opts.signingKey ? `Bearer ${hashSigningKey(opts.signingKey)}` : null;

  const authorised = (req: IncomingMessage) =>
    !bearer || safeEqual(String(req.headers.authorization ?? ""), bearer);

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://engine");
      const path = url.pathname;
      const method = req.method ?? "GET";
      const event = path.match(/^\/e\/([^/]*)$/);
      const checkpoint = path.match(/^\/v1\/checkpoint\/([^/]+)\/async$/);
      const runData = path.match(/^\/v0\/runs\/([^/]+)\/(batch|actions)$/);
      const runPage = path.match(/^\/runs\/([^/]+?)(\.json)?$/);

      if (method === "POST" && event) {
        if (opts.eventKey && !safeEqual(decodeURIComponent(event[1]), opts.eventKey))
          return send(res, 401, { error: "Event key not found", status: 401 });
        const r = engine.ingest(
          parseJson(await readBody(req)),
          req.headers["x-inngest-event-id-seed"] as string | undefined,
        );
        return send(
          res,
          r.status,
          r.error ? { ids: [], status: r.status, error: r.error } : { ids: r.ids, status: 200 },
        );
      }
      if (method === "POST" && path === "/fn/register") {
        if (!authorised(req)) return send(res, 401, { error: "unauthorized" });
        const p = registerBodySchema.safeParse(parseJson(await readBody(req)));
        if (!p.success) return send(res, 400, { error: `invalid sync: ${p.error.issues[0]?.message}` });
        try {
          const r = engine.register({
            appId: p.data.appName,
            url: p.data.url,
            sdk: p.data.sdk,
            framework: p.data.framework,
            functions: p.data.functions,
          });
          return send(res, 200, { ok: true, modified: r.modified });
        } catch (e) {
          if (e instanceof SyncRefused) return send(res, 400, { status: 400, error: e.message });
          throw e;
        }
      }
      if (method === "POST" && checkpoint) {
        if (!authorised(req)) return send(res, 401, { error: "unauthorized" });
        const p = checkpointBodySchema.safeParse(parseJson(await readBody(req)));
        if (!p.success) return send(res, 400, { error: `invalid checkpoint: ${p.error.issues[0]?.message}` });
        const r = engine.checkpoint(decodeURIComponent(checkpoint[1]), p.data);
        return send(res, r.status, r.error ? { error: r.error } : { ok: true });
      }
      if (method === "POST" && path.startsWith("/v1/checkpoint")) {
        return send(res, 501, {
          error: "checkpointed sync runs (durable endpoints) are not implemented by the local engine",
        });
      }
      if (method === "GET" && runData) {
        if (!authorised(req)) return send(res, 401, { error: "unauthorized" });
        const run = engine.getRun(decodeURIComponent(runData[1]));
        if (!run) return send(res, 404, { error: "run not found" });
        return send(res, 200, runData[2] === "batch" ? [run.event] : run.steps);
      }
      if (method === "POST" && path === "/_engine/sync") {
        const ok = await engine.syncAll();
        return send(res, ok ? 200 : 502, { synced: ok });
      }
      if (method !== "GET" && method !== "HEAD") return send(res, 405, { error: "method not allowed" });
      if (path === "/health") {
        const apps = engine.listApps().map((a) => ({
          id: a.id,
          url: a.url,
          reachable: a.reachable,
          functions: a.functions.length,
          error: a.error ?? null,
        }));
        return send(res, 200, { status: "ok", apps, runs: engine.counts() });
      }
      if (path === "/apps.json") return send(res, 200, engine.listApps());
      if (path === "/runs.json") {
        const limit = Math.min(Number(url.searchParams.get("limit") ?? 100) || 100, 1000);
        const runs = engine.listRuns({
          status: url.searchParams.get("status") ?? undefined,
          fnId: url.searchParams.get("fn") ?? undefined,
          limit,
        });
        return send(res, 200, { runs: runs.map((r) => runSummary(engine, r)), counts: engine.counts() });
      }
      if (runPage) {
        const json = Boolean(runPage[2]);
        const run = engine.getRun(decodeURIComponent(runPage[1]));
        if (!run)
          return send(
            res,
            404,
            json ? { error: "run not found" } : "run not found",
            json ? "application/json" : "text/plain",
          );
        return json
          ? send(res, 200, runDetail(engine, run))
          : send(res, 200, runHtml(engine, run), "text/html");
      }
      if (path === "/") {
        return send(
          res,
          200,
          runListHtml(engine, {
            status: url.searchParams.get("status") ?? undefined,
            fnId: url.searchParams.get("fn") ?? undefined,
          }),
          "text/html",
        );
      }
      return send(res, 404, { error: "not found" });
    } catch (e) {
      if (e instanceof HttpError) return send(res, e.status, { error: e.message });
      console.error("[engine] request failed", e);
      return send(res, 500, { error: "engine error" });
    }
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 8288, opts.host ?? "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  engine.start();
  return {
    url: `http://${opts.host ?? "127.0.0.1"}:${port}`,
    port,
    engine,
    async close() {
      await engine.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

export { Engine, isFinished };
