import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { lockDataDir } from "./index";

const tryLockInChild = (dir: string) =>
  spawnSync(
    process.execPath,
    [
      "--import",
      "tsx",
      "-e",
      `import("./db/index.ts").then((m) => { m.lockDataDir(${JSON.stringify(dir)}); console.log("locked"); })`,
    ],
    { cwd: process.cwd(), encoding: "utf8", env: { ...process.env, NODE_ENV: "test" } },
  );

describe("embedded database folder lock", () => {
  it("refuses a second process with a clear message, and frees the folder on release", () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "teh-lock-")), "pglite");
    const release = lockDataDir(dir);
    const child = tryLockInChild(dir);
    expect(child.status).not.toBe(0);
    expect(child.stderr).toContain(`already open in process ${process.pid}`);
    expect(child.stderr).toContain("set DATABASE_URL");
    release();
    const again = tryLockInChild(dir);
    expect(again.stdout).toContain("locked");
  }, 30_000);

  it("takes over a lock left by a dead process", () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "teh-lock-")), "pglite");
    fs.writeFileSync(`${dir}.lock`, "999999999");
    const release = lockDataDir(dir);
    expect(fs.readFileSync(`${dir}.lock`, "utf8")).toBe(String(process.pid));
    release();
    expect(fs.existsSync(`${dir}.lock`)).toBe(false);
  });
});
