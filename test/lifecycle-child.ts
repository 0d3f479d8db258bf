/**
 * A server-like process for lib/lifecycle.test.ts: the app's shutdown handlers and database pool
 * (DATABASE_URL), a slow query in flight registered as a shutdown step, and a timer. Modes:
 * `alone` (no other signal handler), `next` (a SIGTERM listener that drains like `next start`:
 * a request in flight still queries the database, then it calls process.exit(143)), `hang` (a step
 * that never ends). Prints "ready" once everything runs.
 */
import { sql } from "drizzle-orm";
import { getDb } from "@/db";
import { installShutdownHandlers, onShutdown } from "@/lib/lifecycle";
import { logger } from "@/lib/log";

const mode = process.argv[2] ?? "alone";
const db = await getDb();

if (mode === "next")
  process.on("SIGTERM", () => {
    setTimeout(async () => {
      await db.execute(sql`select pg_sleep(0.2)`);
      logger.info("request in flight finished");
      process.exit(143);
    }, 300);
  });
installShutdownHandlers();

await db.execute(sql`select 1`);
const task = db.execute(sql`select pg_sleep(0.8)`).then(() => logger.info("slow task finished"));
const done = onShutdown("slow task", () => task);
void task.then(done);
const ticker = setInterval(() => {}, 1_000);
onShutdown("ticker", () => clearInterval(ticker));
if (mode === "hang") onShutdown("stuck step", () => new Promise(() => {}));
process.stdout.write("ready\n");
