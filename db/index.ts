import fs from "node:fs";
import path from "node:path";
import { getTableColumns, type InferSelectModel, sql, type Table } from "drizzle-orm";
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
import { env } from "@/lib/env";
import { onShutdown } from "@/lib/lifecycle";
import * as schema from "./schema";

/**
 * The database client, created lazily on first use (importing this module opens nothing, so
 * `next build` can import every route). `DATABASE_URL` set → PostgreSQL through postgres.js;
 * unset → embedded PGlite persisted under `PGLITE_DIR` (`memory://` for an in-memory one),
 * migrated automatically. Both are exposed with the same Drizzle API.
 */
export type Db = PostgresJsDatabase<typeof schema>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
/** Something queries can run on: the database or an open transaction. */
export type Executor = Db | Tx;

type Conn = { db: Db; kind: "postgres" | "pglite"; close: () => Promise<void> };

const g = globalThis as unknown as { __tehDb?: Promise<Conn> };

export const MIGRATIONS_FOLDER = path.join(process.cwd(), "db", "migrations");

export function getDb(): Promise<Db> {
  g.__tehDb ??= openConnection().then(
    (c) => {
      // A graceful shutdown closes the pool after every other step (lib/lifecycle).
      const unregister = onShutdown(c.kind === "postgres" ? "database pool" : "embedded database", closeDb, {
        last: true,
      });
      const close = c.close;
      const closeAndUnregister = () => {
        unregister();
        return close();
      };
      return { ...c, close: closeAndUnregister };
    },
    (e) => {
      g.__tehDb = undefined;
      throw e;
    },
  );
  return g.__tehDb.then((c) => c.db);
}

export async function getDbKind(): Promise<Conn["kind"]> {
  await getDb();
  return (await g.__tehDb!).kind;
}

/** Closes the connection (scripts and tests); the next `getDb()` opens a new one. */
export async function closeDb(): Promise<void> {
  const c = g.__tehDb;
  g.__tehDb = undefined;
  if (c) await (await c).close();
}

async function openConnection(): Promise<Conn> {
  if (env.DATABASE_URL) {
    const { default: postgres } = await import("postgres");
    const { drizzle } = await import("drizzle-orm/postgres-js");
    const client = postgres(env.DATABASE_URL, {
      max: env.DATABASE_POOL_SIZE,
      onnotice: () => {},
      // bigint columns come back as JS bigint
      types: { bigint: postgres.BigInt },
      ...databaseTimeouts(),
    });
    const db = drizzle(client, { schema });
    return { db, kind: "postgres", close: () => client.end({ timeout: 5 }) };
  }
  return openPglite(env.PGLITE_DIR);
}

/**
 * No request waits on the database for long: a statement runs at most
 * DATABASE_STATEMENT_TIMEOUT_MS, waits at most DATABASE_LOCK_TIMEOUT_MS for a row or table lock
 * (one long lock on `users` used to hang every API call and exhaust the pool; the one exception is a
 * delegation's plan, which queues for the pool's wallet locks up to the statement timeout, in
 * lib/orders/fulfil/plan.ts), a connection opens
 * within DATABASE_CONNECT_TIMEOUT_MS, and a transaction left idle is ended by the server after
 * DATABASE_IDLE_TX_TIMEOUT_MS. The server enforces the first three per session (startup
 * parameters); a request that hits one answers 503 `busy` at once (lib/errors `isDbTimeout`).
 * PGlite (development) accepts these settings but never fires them: it runs one statement at a
 * time in this process, so there is no lock to wait for.
 */
export function databaseTimeouts() {
  return {
    connect_timeout: env.DATABASE_CONNECT_TIMEOUT_MS / 1000,
    connection: {
      application_name: "tron-energy-helper",
      statement_timeout: env.DATABASE_STATEMENT_TIMEOUT_MS,
      lock_timeout: env.DATABASE_LOCK_TIMEOUT_MS,
      idle_in_transaction_session_timeout: env.DATABASE_IDLE_TX_TIMEOUT_MS,
    },
  };
}

async function openPglite(dir: string): Promise<Conn> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const { migrate } = await import("drizzle-orm/pglite/migrator");
  const inMemory = dir.startsWith("memory://");
  const release = inMemory ? () => {} : lockDataDir(dir);
  try {
    const client = new PGlite(inMemory ? dir : path.resolve(dir));
    await client.waitReady;
    const db = drizzle(client, { schema });
    await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
    return {
      db: db as unknown as Db,
      kind: "pglite",
      close: async () => {
        await client.close();
        release();
      },
    };
  } catch (e) {
    release();
    throw e;
  }
}

/**
 * PGlite has no lock of its own: two processes opening the same folder corrupt it. We take an
 * exclusive lock file holding our pid; a lock left by a dead process is taken over.
 */
export function lockDataDir(dir: string): () => void {
  const abs = path.resolve(dir);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  const lockPath = `${abs}.lock`;
  for (let i = 0; i < 2; i++) {
    try {
      const fd = fs.openSync(lockPath, "wx");
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        try {
          if (fs.readFileSync(lockPath, "utf8") === String(process.pid)) fs.unlinkSync(lockPath);
        } catch {}
      };
      process.once("exit", release);
      return release;
    } catch (e: any) {
      if (e.code !== "EEXIST") throw e;
      const pid = Number(fs.readFileSync(lockPath, "utf8").trim());
      if (pid && pid !== process.pid && isAlive(pid)) {
        throw new Error(
          `The embedded database at ${abs} is already open in process ${pid} (probably \`npm run dev\`). ` +
            "PGlite serves one process only. Stop that process first, or set DATABASE_URL to a real " +
            "PostgreSQL so several processes (app, scripts, browser tests) can share the database.",
        );
      }
      fs.rmSync(lockPath, { force: true }); // stale lock (dead process, or our own from a previous open)
    }
  }
  throw new Error(`Could not lock ${lockPath}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e: any) {
    return e.code === "EPERM";
  }
}

/** Rows of a raw `execute()` result: postgres.js returns an array, PGlite `{ rows }`. */
export function rowsOf<T = Record<string, unknown>>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

export async function pingDb(): Promise<void> {
  const db = await getDb();
  await db.execute(sql`select 1`);
}

export { schema };

/**
 * A row of a raw `execute()` (column names as in the database, values as the driver returns them)
 * as the table's select model, through each column's own driver mapping; `prefix` picks aliased
 * columns (`ev_id` for `id` with prefix `ev_`).
 */
export function fromRow<T extends Table>(
  table: T,
  row: Record<string, unknown>,
  prefix = "",
): InferSelectModel<T> {
  const out: Record<string, unknown> = {};
  for (const [key, col] of Object.entries(getTableColumns(table))) {
    const v = row[prefix + col.name];
    out[key] = v == null ? null : col.mapFromDriverValue(v);
  }
  return out as InferSelectModel<T>;
}

/**
 * A query prepared once per database client (no SQL building or planning per call): `build` gets
 * the client and returns a Drizzle `.prepare("name")` query with `sql.placeholder`s.
 */
export function preparedQuery<T>(build: (db: Db) => T): () => Promise<T> {
  const byDb = new WeakMap<Db, T>();
  return async () => {
    const db = await getDb();
    let q = byDb.get(db);
    if (q === undefined) {
      q = build(db);
      byDb.set(db, q);
    }
    return q;
  };
}

/** A unique-constraint violation (SQLSTATE 23505), also when wrapped by Drizzle or a driver. */
export function isUniqueViolation(e: unknown): boolean {
  let cur: any = e;
  for (let i = 0; i < 5 && cur; i++) {
    if (cur.code === "23505") return true;
    cur = cur.cause;
  }
  return false;
}
