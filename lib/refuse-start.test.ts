import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

const refuseInChild = (env: Record<string, string>) =>
  spawnSync(
    process.execPath,
    [
      "--import",
      "tsx",
      "-e",
      `import("./lib/refuse-start.ts").then((m) => { m.refuseToStart(new Error("Refusing to start: the reason")); console.log("still running"); })`,
    ],
    { cwd: process.cwd(), encoding: "utf8", env: { ...process.env, NEXT_PHASE: "", ...env } },
  );

describe("a production server that refuses to start", () => {
  it("exits with 1, its reason on stderr", () => {
    const r = refuseInChild({ NODE_ENV: "production" });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe("Refusing to start: the reason");
    expect(r.stdout).not.toContain("still running");
  });

  it("leaves development, tests and `next build` to Next's own error handling", () => {
    expect(refuseInChild({ NODE_ENV: "development" }).stdout).toContain("still running");
    expect(refuseInChild({ NODE_ENV: "production", NEXT_PHASE: "phase-production-build" }).stdout).toContain(
      "still running",
    );
  });
});
