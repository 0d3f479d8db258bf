import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

/**
 * The scripts read the same env files as the app. Each case runs a real script (`db:migrate`) in a
 * scratch copy of the project (the code linked, the env files its own), as `npm run` would.
 */
const root = path.resolve(__dirname, "..");
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "teh-env-"));
for (const entry of ["package.json", "tsconfig.json", "node_modules", "db", "lib", "scripts", "devnet"])
  fs.symlinkSync(path.join(root, entry), path.join(scratch, entry));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

const UNREACHABLE = "postgres://nobody:secret@127.0.0.1:1/from_env_file";

function setFiles(files: Record<string, string>) {
  for (const f of [".env", ".env.local", ".env.development", ".env.development.local", ".env.test"])
    fs.rmSync(path.join(scratch, f), { force: true });
  fs.rmSync(path.join(scratch, ".data"), { recursive: true, force: true });
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(scratch, name), text);
}

function run(
  files: Record<string, string> | null,
  env: Record<string, string> = {},
  script = ["db/migrate.ts"],
) {
  if (files) setFiles(files);
  // A clean environment, as in a fresh shell: no DATABASE_URL, no NODE_ENV from the test runner.
  const r = spawnSync(process.execPath, ["--import", "tsx", ...script], {
    cwd: scratch,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      LOG_LEVEL: "silent",
      ...env,
    } as Record<string, string> as NodeJS.ProcessEnv,
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe("scripts load .env files like the app", () => {
  it("db:migrate uses DATABASE_URL from .env.local, says so first, and never falls back to the embedded database", () => {
    const r = run({ ".env.local": `DATABASE_URL=${UNREACHABLE}\n` });
    expect(r.out).toContain(
      "database  PostgreSQL postgres://nobody:***@127.0.0.1:1/from_env_file  (DATABASE_URL from .env.local)",
    );
    expect(r.out).not.toContain("secret");
    expect(r.out).toMatch(/env files \.env\.local/);
    expect(r.code).not.toBe(0); // nothing listens there
    expect(fs.existsSync(path.join(scratch, ".data"))).toBe(false);
  });

  it("the announcement comes before any write (the first line of output)", () => {
    const r = run({ ".env.local": `DATABASE_URL=${UNREACHABLE}\n` });
    expect(r.out.split("\n")[0]).toBe("db:migrate:");
  });

  it("follows Next's order: the environment over .env.local over .env; NODE_ENV=test skips .env.local", () => {
    const files = {
      ".env": "DATABASE_URL=postgres://u@127.0.0.1:1/from_dotenv\nTRON_NETWORK=nile\n",
      ".env.local": "DATABASE_URL=postgres://u@127.0.0.1:1/from_local\n",
    };
    const a = run(files);
    expect(a.out).toContain("/from_local  (DATABASE_URL from .env.local)");
    expect(a.out).toMatch(/env files \.env\.local, \.env$/m);

    const b = run(files, { DATABASE_URL: "postgres://u@127.0.0.1:1/from_shell" });
    expect(b.out).toContain("/from_shell  (DATABASE_URL from the environment)");

    const c = run(files, { NODE_ENV: "test" });
    expect(c.out).toContain("/from_dotenv  (DATABASE_URL from .env)");
  });

  it("db:reset empties the embedded database named in .env.local, only with --yes", () => {
    setFiles({ ".env.local": "PGLITE_DIR=.data/from-env-local\n" });
    const seed = () => run(null, {}, ["db/seed.ts"]);
    const first = seed();
    expect(first.out).toContain("database  embedded PGlite at .data/from-env-local");
    expect(first.out).toContain("First start: no admin existed, so an owner account was created.");
    expect(seed().out).toContain("An admin already exists");

    const refused = run(null, {}, ["db/reset.ts"]);
    expect(refused.code).toBe(2);
    expect(refused.out).toContain("--yes");
    expect(seed().out).toContain("An admin already exists");

    const reset = run(null, {}, ["db/reset.ts", "--yes"]);
    expect(reset.out).toContain("database  embedded PGlite at .data/from-env-local");
    expect(reset.code).toBe(0);
    expect(seed().out).toContain("First start: no admin existed, so an owner account was created.");
  }, 180_000); // five runs, each opening the embedded database

  it.runIf(process.env.DATABASE_URL)("migrates the PostgreSQL named in .env.local", () => {
    const r = run({ ".env.local": `DATABASE_URL=${process.env.DATABASE_URL}\n` });
    expect(r.out).toContain("(DATABASE_URL from .env.local)");
    expect(r.out).toMatch(/Migrated PostgreSQL at DATABASE_URL: applied|PostgreSQL at DATABASE_URL is already current/);
    expect(r.code).toBe(0);
  });
});
