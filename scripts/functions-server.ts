/**
 * The app's Inngest functions run by the local engine outside Next, for scripts (the order demo,
 * the engine benchmark) and their tests: the engine from `engine/server.ts` on a loopback port with
 * a fresh signing key and event key, and the app's functions (`inngest/index.ts`) served over HTTP
 * by the SDK's own serve handler for plain Node (`inngest/node`, the same InngestCommHandler that
 * `inngest/next` wraps for `/api/inngest`), so every call is signed by the engine and verified by
 * the SDK, and `sendEvents` reaches the engine's event API with the event key.
 *
 * Call `startEngineForApp` before anything imports the app (`@/lib/env`, `@/inngest`, …): the
 * Inngest client reads its base URL and keys when it is created. `serveFunctions` then imports the
 * app and syncs it. `startFunctionsServer` does both.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Inngest, InngestFunction } from "inngest";
import type { Logger } from "@/engine/engine";
import { type RunningEngine, type StartEngineOptions, startEngine } from "@/engine/server";

export type LocalEngine = {
  /** The running engine (its URL serves the run list). */
  running: RunningEngine;
  url: string;
  signingKey: string;
  eventKey: string;
  /** The environment the app needs to talk to this engine (also set on this process). */
  appEnv: Record<string, string>;
  /** Syncs the app served at `url` now and keeps it synced (also after `restart`). */
  addApp(url: string): void;
  /**
   * Stops this engine and starts a fresh one on the same port (e.g. checkpointing off), synced to
   * the apps added so far, or to `apps` instead when given.
   */
  restart(opts?: EngineOpts, apps?: string[]): Promise<RunningEngine>;
  close(): Promise<void>;
};

export type EngineOpts = Pick<
  StartEngineOptions,
  "checkpointing" | "now" | "retryDelayMs" | "unavailableDelayMs" | "maxInFlight"
> & { log?: Logger };

const quiet: Logger = (level, msg) => {
  if (level === "error") console.error(`[engine] ${msg}`);
};

/**
 * Starts the engine (signed calls, an event key) and points this process's Inngest settings at it.
 * Refuses when the app's modules were already loaded with other settings (see `serveFunctions`).
 */
export async function startEngineForApp(opts: EngineOpts = {}): Promise<LocalEngine> {
  const signingKey = `signkey-local-${randomBytes(32).toString("hex")}`;
  const eventKey = `local-${randomBytes(16).toString("hex")}`;
  const start = (o: EngineOpts, port: number) =>
    startEngine({ port, host: "127.0.0.1", signingKey, eventKey, log: quiet, ...o });
  let running = await start(opts, 0);
  const appEnv = {
    INNGEST_BASE_URL: running.url,
    INNGEST_SIGNING_KEY: signingKey,
    INNGEST_EVENT_KEY: eventKey,
    INNGEST_DEV: "0",
  };
  Object.assign(process.env, appEnv);
  const apps = new Set<string>();
  const local: LocalEngine = {
    get running() {
      return running;
    },
    url: running.url,
    signingKey,
    eventKey,
    appEnv,
    addApp(url) {
      apps.add(url);
      running.engine.addAppUrl(url);
    },
    async restart(o = {}, only) {
      if (only) {
        apps.clear();
        for (const u of only) apps.add(u);
      }
      await running.close();
      running = await start(o, running.port);
      for (const u of apps) running.engine.addAppUrl(u);
      if (apps.size) await waitForSync(running, 15_000);
      return running;
    },
    async close() {
      await running.close();
    },
  };
  return local;
}

export type FunctionsServer = {
  engine: LocalEngine;
  /** The serve URL the engine calls (`http://127.0.0.1:<port>/api/inngest`). */
  url: string;
  /** The app's id; the engine knows a function as `<appId>-<function id>`. */
  appId: string;
  functionIds: string[];
  /** The engine's id of the app's function `id` (e.g. "fulfil-order"). */
  fnId(id: string): string;
  close(): Promise<void>;
};

/**
 * Serves the app's functions (plus `extra`, built on the app's client) with `inngest/node` on a
 * loopback port, adds the URL to the engine and waits until the engine has synced them.
 */
export async function serveFunctions(
  engine: LocalEngine,
  opts: { extra?: (client: Inngest.Any) => InngestFunction.Any[]; port?: number } = {},
): Promise<FunctionsServer> {
  const { reloadEnv } = await import("@/lib/env");
  reloadEnv();
  const { functions, inngest } = await import("@/inngest");
  if (inngest.apiBaseUrl.replace(/\/$/, "") !== engine.url || inngest.mode !== "cloud")
    throw new Error(
      `the Inngest client was created before the engine started (it points at ${inngest.apiBaseUrl} ` +
        `in ${inngest.mode} mode): call startEngineForApp before importing the app`,
    );
  const { serve } = await import("inngest/node");
  const all = [...functions, ...(opts.extra?.(inngest) ?? [])];
  const handler = serve({ client: inngest, functions: all });
  const { server, close } = await listenDraining((req, res) => {
    if (!req.url?.startsWith("/api/inngest")) {
      res.writeHead(404).end();
      return;
    }
    return handler(req, res);
  }, opts.port ?? 0);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/inngest`;
  engine.addApp(url);
  const app = await waitForSync(engine.running, 15_000);
  return {
    engine,
    url,
    appId: app.id,
    functionIds: app.functionIds,
    fnId: (id) => `${app.id}-${id}`,
    close,
  };
}

/**
 * An HTTP server on a loopback port whose `close()` waits for the handlers still running (up to
 * `drainMs`) before it drops the connections. A call the engine made just before it was closed —
 * a cron tick at shutdown, say — still runs in this process; closing the database under it left
 * its step failing after the caller had finished.
 */
export async function listenDraining(
  handle: (req: IncomingMessage, res: ServerResponse) => unknown,
  port = 0,
  drainMs = 30_000,
): Promise<{ server: Server; close(): Promise<void> }> {
  const running = new Set<Promise<unknown>>();
  const server: Server = createServer((req, res) => {
    const p = Promise.resolve()
      .then(() => handle(req, res))
      .catch(() => {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    running.add(p);
    void p.finally(() => running.delete(p));
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return {
    server,
    async close() {
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeIdleConnections();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...running]),
        new Promise((r) => {
          timer = setTimeout(r, drainMs);
        }),
      ]);
      clearTimeout(timer);
      server.closeAllConnections();
      await closed;
    },
  };
}

/** The engine and the app's functions served to it, as one. */
export async function startFunctionsServer(
  opts: EngineOpts & { extra?: (client: Inngest.Any) => InngestFunction.Any[] } = {},
): Promise<FunctionsServer> {
  const { extra, ...engineOpts } = opts;
  const engine = await startEngineForApp(engineOpts);
  try {
    const served = await serveFunctions(engine, { extra });
    return {
      ...served,
      async close() {
        await engine.close();
        await served.close();
      },
    };
  } catch (e) {
    await engine.close();
    throw e;
  }
}

async function waitForSync(running: RunningEngine, timeoutMs: number) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const app = running.engine.listApps().find((a) => a.functionIds.length > 0 || a.error);
    if (app?.error) throw new Error(`the engine refused the app: ${app.error}`);
    if (app) return app;
    if (Date.now() > end) throw new Error(`the engine did not sync the app within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
