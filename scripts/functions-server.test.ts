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
