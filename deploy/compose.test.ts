import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ipaddr from "ipaddr.js";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseEnv } from "@/lib/env";
import {
  authSecretProblem,
  decodeKey32,
  eventKeyProblem,
  isPublicMnemonic,
  isPublicXpub,
  keyEncryptionKeyProblem,
  signingKeyProblem,
} from "@/lib/security/secrets";

/**
 * deploy/compose.yaml, its env templates, the Caddyfile and the Dockerfile against what a deploy
 * needs: one image in three roles, migrations before the servers, the worker's secrets kept off the
 * web, nothing but Caddy reachable from outside, forwarding headers trusted from Caddy alone, and
 * every variable the file reads documented in deploy/env.example (empty when secret) and set in
 * deploy/env.ci to a value the app refuses. With docker-compose installed, `config` itself runs.
 */

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const COMPOSE = here("./compose.yaml");
const ENV_EXAMPLE = here("./env.example");
const ENV_CI = here("./env.ci");
const CADDYFILE = here("./Caddyfile");
const ROOT = here("../");

type Service = {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string | number | null>;
  ports?: string[];
  expose?: string[];
  depends_on?: Record<string, { condition: string }> | string[];
  networks?: string[] | Record<string, { ipv4_address?: string } | null>;
  restart?: string;
  healthcheck?: { disable?: boolean };
  stop_grace_period?: string;
};
type Compose = {
  services: Record<string, Service>;
  networks: Record<string, { internal?: boolean; ipam?: { config: { subnet: string }[] } }>;
};

const source = readFileSync(COMPOSE, "utf8");
// `merge`: the file shares settings through YAML merge keys (<<: *anchor), as Compose reads them.
const compose = parse(source, { merge: true }) as Compose;
const svc = (name: string) => {
  const s = compose.services[name];
  if (!s) throw new Error(`compose.yaml has no service ${name}`);
  return s;
};
const envOf = (name: string) => svc(name).environment ?? {};
const networksOf = (s: Service) => (Array.isArray(s.networks) ? s.networks : Object.keys(s.networks ?? {}));

/** KEY=VALUE lines of a Compose env file (comments and blanks skipped, one pair of quotes removed). */
function readEnvFile(file: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line);
    if (m) out.set(m[1], m[2].replace(/^"(.*)"$/, "$1"));
  }
  return out;
}

/** Every variable compose.yaml interpolates, with whether it is required (`:?`). `$$` is a literal $. */
function variables(): Map<string, { required: boolean }> {
  const out = new Map<string, { required: boolean }>();
  for (const m of source.replace(/\$\$/g, "").matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)(:?[-?])?/g)) {
    const required = m[2] === ":?" || m[2] === "?";
    out.set(m[1], { required: required || (out.get(m[1])?.required ?? false) });
  }
  return out;
}

/** A compose value with ${VAR}, ${VAR:-default} and ${VAR:?message} resolved from `vars`. */
function interpolate(value: string, vars: Map<string, string>): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::([-?])([^}]*))?\}/g, (_, k: string, op, arg) => {
    const v = vars.get(k) ?? "";
    if (v !== "") return v;
    if (op === "?") throw new Error(arg);
    return op === "-" ? arg : "";
  });
}

/** A child's environment of PATH and `extra` alone (nothing of the test's own can fill a gap). */
const onlyPath = (extra: Record<string, string> = {}) =>
  ({ PATH: process.env.PATH ?? "", ...extra }) as unknown as NodeJS.ProcessEnv;

/** lib/env's parser over a given set of variables (what a process would start with). */
const parseVars = (vars: Record<string, string>) => parseEnv(vars as unknown as NodeJS.ProcessEnv);

const ms = (d: string) => {
  const m = /^(\d+)(ms|s|m)$/.exec(d);
  if (!m) throw new Error(`unsupported duration ${d}`);
  return Number(m[1]) * { ms: 1, s: 1000, m: 60_000 }[m[2] as "ms" | "s" | "m"];
};

const APP_ROLES = { migrate: "migrate", worker: "worker", web: "web" } as const;
/** What only the worker may hold (the web refuses the first three at start). */
const WORKER_ONLY = [
  "KEY_ENCRYPTION_KEY",
  "KEY_ENCRYPTION_OLD_KEYS",
  "DEPOSIT_MNEMONIC",
  "INNGEST_SIGNING_KEY",
  "INNGEST_SIGNING_KEY_FALLBACK",
];

describe("deploy/compose.yaml", () => {
  it("runs migrate, worker and web from the one app image, each with its APP_ROLE", () => {
    const images = new Set<string | undefined>();
    for (const [name, role] of Object.entries(APP_ROLES)) {
      const s = svc(name);
      expect(s.environment?.APP_ROLE, name).toBe(role);
      expect(s.build, name).toEqual({ context: "..", dockerfile: "Dockerfile" });
      expect(existsSync(path.join(path.dirname(COMPOSE), s.build!.context, s.build!.dockerfile))).toBe(true);
      images.add(s.image);
    }
    expect(images.size).toBe(1);
    for (const name of Object.keys(APP_ROLES)) expect(envOf(name).NODE_ENV, name).toBe("production");
    // Every other service runs a published image (no role of the app hides there under another name),
    // but for the maintenance scripts' container: the image's build stage, only on demand.
    for (const [name, s] of Object.entries(compose.services))
      if (!(name in APP_ROLES) && name !== "tools") expect(s.build, name).toBeUndefined();
    const tools = svc("tools") as ReturnType<typeof svc> & { profiles?: string[] };
    expect(tools.build).toEqual({ context: "..", dockerfile: "Dockerfile", target: "build" });
    expect(tools.profiles).toEqual(["tools"]);
    expect(tools.ports).toBeUndefined();
    expect(tools.networks).toEqual(["backend"]);
  });

  it("gives the web none of the worker's secrets, and the worker what the collector and Inngest need", () => {
    const web = envOf("web");
    for (const k of WORKER_ONLY) expect(Object.keys(web), k).not.toContain(k);
    const worker = envOf("worker");
    for (const k of ["KEY_ENCRYPTION_KEY", "DEPOSIT_MNEMONIC", "INNGEST_SIGNING_KEY", "DATA_ENCRYPTION_KEY"])
      expect(Object.keys(worker), k).toContain(k);
    // migrate holds only the database and what every production role needs.
    expect(Object.keys(envOf("migrate")).sort()).toEqual(
      ["APP_ROLE", "AUTH_SECRET", "DATABASE_URL", "LOG_LEVEL", "NODE_ENV"].sort(),
    );
    expect(web.TELEGRAM_MODE).toBe("webhook");
    expect(worker.TELEGRAM_MODE).toBe("off"); // sends, never polls: only the web receives updates
  });

  it("publishes ports from Caddy alone: 80 and 443", () => {
    for (const [name, s] of Object.entries(compose.services)) {
      if (name === "caddy") continue;
      expect(s.ports ?? [], name).toEqual([]);
    }
    const published = (svc("caddy").ports ?? []).map((p) => String(p).split(":")[0]);
    expect(new Set(published)).toEqual(new Set(["80", "443"]));
  });

  it("opens the Inngest dashboard, on request, on the host's loopback interface alone", () => {
    const ui = parse(readFileSync(here("./compose.inngest-ui.yaml"), "utf8")) as Compose;
    expect(Object.keys(ui.services)).toEqual(["inngest"]);
    expect(ui.services.inngest).toEqual({ ports: ["127.0.0.1:8288:8288"] });
  });

  it("starts web and worker only after migrate has exited 0, and migrate once", () => {
    for (const name of ["web", "worker"]) {
      const deps = svc(name).depends_on as Record<string, { condition: string }>;
      expect(deps?.migrate, name).toEqual({ condition: "service_completed_successfully" });
    }
    expect(svc("migrate").restart).toBe("no");
    expect(svc("migrate").healthcheck?.disable).toBe(true);
  });

  it("lets web and worker finish their shutdown before Docker kills them", () => {
    const vars = readEnvFile(ENV_EXAMPLE);
    const shutdown = Number(vars.get("SHUTDOWN_TIMEOUT_MS"));
    expect(shutdown).toBeGreaterThan(0);
    for (const name of ["web", "worker"])
      expect(ms(svc(name).stop_grace_period ?? "10s"), name).toBeGreaterThan(shutdown);
  });

  it("trusts forwarding headers on the web from Caddy's fixed address alone, inside the edge subnet", () => {
    const caddyNets = svc("caddy").networks as Record<string, { ipv4_address?: string }>;
    const [net, conf] = Object.entries(caddyNets)[0];
    expect(Object.keys(caddyNets)).toEqual([net]);
    const address = conf.ipv4_address;
    expect(address).toBeDefined();
    expect(envOf("web").TRUSTED_PROXIES).toBe(address);
    expect(networksOf(svc("web"))).toContain(net);
    const subnets = compose.networks[net].ipam?.config.map((c) => c.subnet) ?? [];
    expect(subnets).toHaveLength(1);
    expect(ipaddr.parse(address!).match(ipaddr.parseCIDR(subnets[0]))).toBe(true);
    // Only Caddy and the web on the edge: no other process can pose as the proxy.
    const onEdge = Object.entries(compose.services)
      .filter(([, s]) => networksOf(s).includes(net))
      .map(([n]) => n);
    expect(onEdge.sort()).toEqual(["caddy", "web"]);
    // The worker holds no proxy list: nothing forwards to it.
    expect(envOf("worker").TRUSTED_PROXIES ?? "").toBe("");
  });

  it("points Inngest at the worker over the internal network, with the worker's signing key", () => {
    const inngest = svc("inngest");
    const cmd = inngest.command ?? [];
    expect(cmd.slice(0, 2)).toEqual(["inngest", "start"]);
    const sdkUrl = cmd.find((a) => a.startsWith("--sdk-url="))?.slice("--sdk-url=".length);
    expect(sdkUrl).toBe("http://worker:3000/api/inngest");
    expect(`${envOf("worker").INNGEST_SERVE_ORIGIN}/api/inngest`).toBe(sdkUrl);
    for (const name of ["web", "worker"]) {
      expect(envOf(name).INNGEST_BASE_URL, name).toBe("http://inngest:8288");
      expect(networksOf(svc(name)), name).toEqual(expect.arrayContaining(["backend"]));
    }
    expect(networksOf(inngest)).toEqual(expect.arrayContaining(["backend"]));
    // One key: bare hex for the server, signkey-prod-<hex> for the SDK.
    expect(inngest.environment?.INNGEST_SIGNING_KEY).toMatch(/^\$\{INNGEST_SIGNING_KEY_HEX:\?/);
    expect(envOf("worker").INNGEST_SIGNING_KEY).toMatch(/^signkey-prod-\$\{INNGEST_SIGNING_KEY_HEX:\?/);
    // Its Redis is reachable by Inngest alone, on a network with no way out.
    expect(networksOf(svc("redis"))).toEqual(["queue"]);
    expect(compose.networks.queue.internal).toBe(true);
    const onQueue = Object.entries(compose.services).filter(([, s]) => networksOf(s).includes("queue"));
    expect(onQueue.map(([n]) => n).sort()).toEqual(["inngest", "redis"]);
  });

  it("reads only variables deploy/env.example documents and deploy/env.ci sets", () => {
    const used = [...variables().keys()].sort();
    const example = readEnvFile(ENV_EXAMPLE);
    const ci = readEnvFile(ENV_CI);
    expect(used.filter((k) => !example.has(k))).toEqual([]);
    expect(used.filter((k) => !ci.has(k))).toEqual([]);
    // And the templates carry nothing compose.yaml ignores (Compose itself reads COMPOSE_PROJECT_NAME).
    const extra = [...example.keys()].filter((k) => !used.includes(k) && k !== "COMPOSE_PROJECT_NAME");
    expect(extra).toEqual([]);
    expect([...ci.keys()].sort()).toEqual([...example.keys()].sort());
  });
});

describe("deploy/env.example", () => {
  const example = readEnvFile(ENV_EXAMPLE);

  it("leaves every required value and every secret empty, so a forgotten one stops compose", () => {
    for (const [k, { required }] of variables()) if (required) expect(example.get(k), k).toBe("");
    for (const k of ["KEY_ENCRYPTION_OLD_KEYS", "INNGEST_SIGNING_KEY_FALLBACK", "TRONGRID_API_KEY"])
      expect(example.get(k), k).toBe("");
  });

  it("says how to generate each secret, and what those commands make is what the app accepts", () => {
    const text = readFileSync(ENV_EXAMPLE, "utf8");
    const commandFor = (k: string) => {
      const lines = text.split("\n");
      const i = lines.findIndex((l) => l.startsWith(`${k}=`));
      return i > 0 ? lines[i - 1] : "";
    };
    const generators: Record<string, string> = {
      AUTH_SECRET: "openssl rand -base64 32",
      DATA_ENCRYPTION_KEY: "openssl rand -base64 32",
      KEY_ENCRYPTION_KEY: "openssl rand -base64 32",
      INNGEST_SIGNING_KEY_HEX: "openssl rand -hex 32",
      INNGEST_EVENT_KEY: "openssl rand -hex 16",
      TELEGRAM_WEBHOOK_SECRET: "openssl rand -hex 32",
      METRICS_TOKEN: "openssl rand -hex 32",
      POSTGRES_PASSWORD: "openssl rand -hex 24",
      INNGEST_POSTGRES_PASSWORD: "openssl rand -hex 24",
      DEPOSIT_XPUB: "npm run deposits:keygen",
      DEPOSIT_MNEMONIC: "npm run deposits:keygen",
    };
    for (const [k, cmd] of Object.entries(generators)) expect(commandFor(k), k).toContain(cmd);
    // What those commands print (emulated with the same byte counts) passes the production checks.
    const b64 = () => randomBytes(32).toString("base64");
    const hex = (n: number) => randomBytes(n).toString("hex");
    expect(authSecretProblem(b64())).toBeNull();
    expect(keyEncryptionKeyProblem(b64())).toBeNull();
    expect(decodeKey32(b64())).toHaveProperty("key");
    expect(signingKeyProblem(`signkey-prod-${hex(32)}`)).toBeNull();
    expect(eventKeyProblem(hex(16))).toBeNull();
    expect(() => parseVars({ TELEGRAM_WEBHOOK_SECRET: hex(32), METRICS_TOKEN: hex(32) })).not.toThrow();
  });
});

describe("deploy/env.ci", () => {
  const ci = readEnvFile(ENV_CI);
  const v = (k: string) => ci.get(k) ?? "";

  it("sets every required value, each secret to one the app refuses", () => {
    for (const [k, { required }] of variables()) if (required) expect(v(k), k).not.toBe("");
    expect(authSecretProblem(v("AUTH_SECRET"))).not.toBeNull();
    expect(keyEncryptionKeyProblem(v("KEY_ENCRYPTION_KEY"))).not.toBeNull();
    expect(decodeKey32(v("DATA_ENCRYPTION_KEY"))).toHaveProperty("problem");
    expect(signingKeyProblem(`signkey-prod-${v("INNGEST_SIGNING_KEY_HEX")}`)).not.toBeNull();
    expect(eventKeyProblem(v("INNGEST_EVENT_KEY"))).not.toBeNull();
    expect(isPublicXpub(v("DEPOSIT_XPUB"))).toBe(true);
    expect(isPublicMnemonic(v("DEPOSIT_MNEMONIC"))).toBe(true);
    for (const k of ["TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_SECRET", "METRICS_TOKEN"])
      expect(() => parseVars({ [k]: v(k) }), k).toThrow(k);
    // The domain can never resolve, so no certificate is ever issued for it.
    expect(v("APP_DOMAIN")).toMatch(/\.invalid$/);
  });

  it("renders a web and a worker that production refuses to start", () => {
    for (const name of ["web", "worker"]) {
      const rendered = Object.fromEntries(
        Object.entries(envOf(name)).map(([k, x]) => [k, interpolate(String(x ?? ""), ci)]),
      );
      expect(() => parseVars(rendered), name).toThrow();
    }
  });
});

describe("deploy/Caddyfile", () => {
  const text = readFileSync(CADDYFILE, "utf8");

  it("answers 404 for /api/inngest before proxying anything to the web", () => {
    const matcher = /@(\w+) path ([^\n]+)/.exec(text);
    expect(matcher?.[2].split(/\s+/)).toEqual(["/api/inngest", "/api/inngest/*"]);
    expect(text).toContain(`respond @${matcher?.[1]} 404`);
    expect(text).toMatch(/reverse_proxy[\s\S]*name web[\s\S]*port 3000/);
    expect(text).toContain("{$APP_DOMAIN}");
  });

  const caddy = spawnSync("caddy", ["version"]).status === 0;
  it.skipIf(!caddy)(
    `caddy adapts it, with the 404 route first${caddy ? "" : " (skipped: caddy is not installed)"}`,
    () => {
      const r = spawnSync("caddy", ["adapt", "--adapter", "caddyfile", "--config", CADDYFILE], {
        encoding: "utf8",
        env: onlyPath({ APP_DOMAIN: "energy.example.com", ACME_EMAIL: "ops@example.com" }),
      });
      expect(r.status, r.stderr).toBe(0);
      const json = r.stdout;
      const notFound = json.indexOf('"static_response","status_code":404');
      expect(notFound).toBeGreaterThan(-1);
      expect(json.indexOf('"/api/inngest"')).toBeGreaterThan(-1);
      expect(json.indexOf('"reverse_proxy"')).toBeGreaterThan(notFound);
    },
  );
});

describe("Dockerfile", () => {
  const text = readFileSync(path.join(ROOT, "Dockerfile"), "utf8");
  const runner = text.slice(text.lastIndexOf("\nFROM "));

  it("copies into the runner what the standalone server reads from disk, and runs it as node server.js", () => {
    for (const p of [".next/standalone", ".next/static", "public", "db/migrations", "lib/i18n/locales"])
      expect(runner, p).toMatch(new RegExp(`COPY --from=build /app/${p.replace(/\./g, "\\.")} `));
    // Those folders are where the Dockerfile takes them from.
    expect(existsSync(path.join(ROOT, "db/migrations/meta/_journal.json"))).toBe(true);
    expect(existsSync(path.join(ROOT, "lib/i18n/locales/en/bot.ftl"))).toBe(true);
    expect(readFileSync(path.join(ROOT, "next.config.ts"), "utf8")).toMatch(/output:\s*"standalone"/);
    const cmd = /^CMD (\[.*\])$/m.exec(runner)?.[1];
    expect(JSON.parse(cmd ?? "null")).toEqual([
      "node",
      "--min-semi-space-size=64",
      "--max-semi-space-size=64",
      "server.js",
    ]);
    expect(runner).toMatch(/^USER node$/m);
    expect(runner).toMatch(/^HEALTHCHECK [\s\S]*\/api\/health/m);
    expect(runner).toMatch(/NODE_ENV=production/);
    expect(runner).toMatch(/HOSTNAME=0\.0\.0\.0/);
  });

  it("never sends local secrets or data to the build", () => {
    const ignore = readFileSync(path.join(ROOT, ".dockerignore"), "utf8").split("\n");
    for (const p of ["node_modules", ".next", ".data", ".git", "**/.env", "**/.env.*", "deploy/.env"])
      expect(ignore, p).toContain(p);
  });
});

describe("docker-compose config", () => {
  const bin = spawnSync("docker-compose", ["version"]).status === 0;
  const run = (envFile: string) =>
    spawnSync("docker-compose", ["-f", COMPOSE, "--env-file", envFile, "config", "-q"], {
      encoding: "utf8",
      // Only the env file: a variable in the test's own environment would fill a gap in it.
      env: onlyPath(),
    });

  it.skipIf(!bin)(
    `accepts compose.yaml with deploy/env.ci${bin ? "" : " (skipped: docker-compose is not installed; apt-get install docker-compose)"}`,
    () => {
      const r = run(ENV_CI);
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
    },
  );

  it.skipIf(!bin)(
    `refuses it, naming the variable, when a required secret is empty${bin ? "" : " (skipped: docker-compose is not installed)"}`,
    () => {
      const dir = mkdtempSync(path.join(tmpdir(), "teh-compose-"));
      try {
        for (const k of ["AUTH_SECRET", "KEY_ENCRYPTION_KEY", "INNGEST_SIGNING_KEY_HEX"]) {
          const file = path.join(dir, `${k}.env`);
          writeFileSync(file, readFileSync(ENV_CI, "utf8").replace(new RegExp(`^${k}=.*$`, "m"), `${k}=`));
          const r = run(file);
          expect(r.status, k).not.toBe(0);
          expect(r.stderr, k).toContain(`set ${k} in deploy/.env`);
        }
        // The template as shipped, every secret empty.
        expect(run(ENV_EXAMPLE).status).not.toBe(0);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
