import { afterEach, describe, expect, it } from "vitest";
import { reloadEnv } from "@/lib/env";

const saved = { ...process.env };
afterEach(() => {
  for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
  Object.assign(process.env, saved);
  reloadEnv();
});

describe("serveFunctions", () => {
  it("refuses an Inngest client created before the engine (here: test mode, unsigned) and serves nothing", async () => {
    const { serveFunctions, startEngineForApp } = await import("./functions-server");
    const engine = await startEngineForApp();
    try {
      expect(process.env.INNGEST_BASE_URL).toBe(engine.url);
      expect(engine.appEnv.INNGEST_SIGNING_KEY).toMatch(/^signkey-local-[0-9a-f]{64}$/);
      await expect(serveFunctions(engine)).rejects.toThrow(
        /created before the engine started .* in dev mode\): call startEngineForApp before importing the app/,
      );
      expect(engine.running.engine.listApps()).toEqual([]);
    } finally {
      await engine.close();
    }
  });
});

describe("listenDraining", () => {
  it("closes only once the handlers still running have finished, and takes no new requests meanwhile", async () => {
    const { listenDraining } = await import("./functions-server");
    const log: string[] = [];
    let started!: () => void;
    const isStarted = new Promise<void>((r) => {
      started = r;
    });
    const { server, close } = await listenDraining(async (_req, res) => {
      log.push("started");
      started();
      await new Promise((r) => setTimeout(r, 300));
      log.push("finished");
      res.writeHead(200).end("ok");
    });
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
    const inFlight = fetch(url).then(
      (r) => r.status,
      () => "dropped",
    );
    await isStarted;
    const closing = close().then(() => log.push("closed"));
    await new Promise((r) => setTimeout(r, 50));
    await expect(fetch(url)).rejects.toThrow();
    await closing;
    expect(log).toEqual(["started", "finished", "closed"]);
    expect(await inFlight).toBe(200);
  });

  it("gives up waiting after its drain time", async () => {
    const { listenDraining } = await import("./functions-server");
    const { server, close } = await listenDraining(() => new Promise(() => {}), 0, 200);
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
    const hung = fetch(url).catch(() => "dropped");
    await new Promise((r) => setTimeout(r, 50));
    const t0 = Date.now();
    await close();
    const took = Date.now() - t0;
    expect(took).toBeGreaterThanOrEqual(140);
    expect(took).toBeLessThan(2_000);
    expect(await hung).toBe("dropped");
  });
});
