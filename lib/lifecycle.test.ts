import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { env } from "@/lib/env";

/**
 * Graceful shutdown in a real process (test/lifecycle-child.ts): the app's shutdown handlers and
 * its postgres.js pool against DATABASE_URL, a slow query in flight registered as a step, SIGTERM.
 */
type Run = { code: number | null; ms: number; lines: { msg: string; [k: string]: unknown }[] };

function runChild(mode: "alone" | "next" | "hang", timeoutMs = 5_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "test/lifecycle-child.ts", mode], {
      cwd: process.cwd(),
      env: { ...process.env, NODE_ENV: "test", LOG_LEVEL: "debug", SHUTDOWN_TIMEOUT_MS: String(timeoutMs) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    let signalledAt = 0;
    child.stdout.on("data", (b: Buffer) => {
      out += b.toString();
      if (!signalledAt && out.includes("ready\n")) {
        signalledAt = Date.now();
        child.kill("SIGTERM");
      }
    });
    child.stderr.on("data", (b: Buffer) => {
      err += b.toString();
    });
    const killer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    child.on("error", reject);
    child.on("exit", (code) => {
      clearTimeout(killer);
      if (!signalledAt) return reject(new Error(`child exited before it was ready:\n${out}\n${err}`));
      const lines = out
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l));
      resolve({ code, ms: Date.now() - signalledAt, lines });
    });
  });
}

const at = (r: Run, msg: string) => {
  const i = r.lines.findIndex((l) => l.msg === msg);
  expect(i, `log line "${msg}" in:\n${r.lines.map((l) => l.msg).join("\n")}`).toBeGreaterThanOrEqual(0);
  return i;
};

describe.skipIf(!env.DATABASE_URL)(
  "graceful shutdown on SIGTERM — needs PostgreSQL (DATABASE_URL): a child process with the app's pool",
  () => {
    it("alone: the task in flight finishes, steps stop in reverse order, the pool closes last, exit 0", async () => {
      const r = await runChild("alone");
      expect(r.code).toBe(0);
      expect(r.ms).toBeLessThan(5_000);
      const start = r.lines[at(r, "shutting down")];
      expect(start).toMatchObject({ reason: "SIGTERM", timeoutMs: 5_000 });
      expect(start.steps).toEqual(["ticker", "slow task", "database pool"]);
      expect(at(r, "stopped ticker")).toBeLessThan(at(r, "slow task finished"));
      expect(at(r, "slow task finished")).toBeLessThan(at(r, "stopped slow task"));
      expect(at(r, "stopped slow task")).toBeLessThan(at(r, "stopped database pool"));
      expect(at(r, "stopped database pool")).toBeLessThan(at(r, "shutdown complete"));
      expect(r.lines[at(r, "shutdown complete")]).toMatchObject({ ok: true });
    });

    it("under next start: Next's exit waits, requests in flight keep the pool until Next has drained them, exit 143 as Next asks", async () => {
      const r = await runChild("next");
      expect(r.code).toBe(143);
      expect(r.ms).toBeLessThan(5_000);
      expect(r.lines[at(r, "shutting down")].steps).toEqual([
        "ticker",
        "slow task",
        "HTTP requests in flight",
        "database pool",
      ]);
      expect(at(r, "request in flight finished")).toBeLessThan(at(r, "stopped database pool"));
      expect(at(r, "slow task finished")).toBeLessThan(at(r, "stopped database pool"));
      expect(at(r, "stopped HTTP requests in flight")).toBeLessThan(at(r, "stopped database pool"));
    });

    it("a step that never ends: exits 1 once SHUTDOWN_TIMEOUT_MS has passed, naming what did not stop", async () => {
      const r = await runChild("hang", 600);
      expect(r.code).toBe(1);
      expect(r.ms).toBeGreaterThanOrEqual(600);
      expect(r.ms).toBeLessThan(3_000);
      const line = r.lines[at(r, "shutdown timed out after 600 ms waiting for stuck step")];
      expect(line.notStopped).toEqual(["stuck step", "ticker", "slow task", "database pool"]);
    });
  },
);
