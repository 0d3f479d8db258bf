/**
 * Test helpers: an engine and an app served by the `inngest` package's own serve handler
 * (`inngest/node`), on loopback ports, wired to each other. Any Inngest SDK app would do; this one
 * holds whatever functions a test defines.
 */
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Inngest, type InngestFunction } from "inngest";
import { serve } from "inngest/node";
import { type RunningEngine, type StartEngineOptions, startEngine } from "./server";

export function newSigningKey(env = "test"): string {
  return `signkey-${env}-${randomBytes(32).toString("hex")}`;
}

export type TestApp = {
  url: string;
  port: number;
  client: Inngest;
  close(): Promise<void>;
  /** Serve again on the same port (after close): an app restart. */
  restart(): Promise<void>;
};

const quietLogger = { info() {}, warn() {}, error() {}, debug() {} };

export async function startTestApp(opts: {
  engineUrl: string;
  signingKey?: string;
  eventKey?: string;
  appId?: string;
  port?: number;
  functions: (client: Inngest) => InngestFunction.Any[];
}): Promise<TestApp> {
  const client = new Inngest({
    id: opts.appId ?? "conformance",
    isDev: !opts.signingKey,
    ...(opts.signingKey ? { signingKey: opts.signingKey } : {}),
    eventKey: opts.eventKey ?? "test-event-key",
    baseUrl: opts.engineUrl,
    logger: quietLogger,
  });
  const handler = serve({ client, functions: opts.functions(client) });
  let server: Server;
  let port = opts.port ?? 0;
  const listen = async () => {
    server = createServer(handler);
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", () => resolve()));
    port = (server.address() as AddressInfo).port;
  };
  await listen();
  const close = async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  };
  return {
    get url() {
      return `http://127.0.0.1:${port}/api/inngest`;
    },
    get port() {
      return port;
    },
    client,
    close,
    restart: listen,
  };
}

export type Harness = { engine: RunningEngine; app: TestApp; close(): Promise<void> };

/** An engine and a test app synced to it. Fast retries so retry tests take milliseconds. */
export async function startHarness(
  functions: (client: Inngest) => InngestFunction.Any[],
  opts: Partial<StartEngineOptions> & { appId?: string; sign?: boolean } = {},
): Promise<Harness> {
  const signingKey = opts.sign === false ? undefined : (opts.signingKey ?? newSigningKey());
  const engine = await startEngine({
    port: 0,
    retryDelayMs: () => 20,
    unavailableDelayMs: () => 50,
    syncIntervalMs: 60_000,
    log: () => {},
    ...opts,
    signingKey,
  });
  const app = await startTestApp({ engineUrl: engine.url, signingKey, appId: opts.appId, functions });
  engine.engine.addAppUrl(app.url);
  await waitFor(
    () => engine.engine.listApps().some((a) => a.functionIds.length > 0 || a.error),
    10_000,
    "app synced",
  );
  return {
    engine,
    app,
    async close() {
      await engine.close();
      await app.close();
    },
  };
}

export async function waitFor<T>(
  fn: () => T | Promise<T>,
  timeoutMs = 10_000,
  what = "condition",
): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
