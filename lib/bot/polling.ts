import "@/lib/hooks";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { onShutdown } from "@/lib/lifecycle";
import { logger } from "@/lib/log";
import { getBot } from "./bot";

/**
 * Long polling inside the app process (TELEGRAM_MODE=polling, local development). grammY removes
 * any webhook first; updates are handled one by one, so no update_id table is needed here. A
 * graceful shutdown (lib/lifecycle) stops the loop: the update in hand finishes, no new one is
 * fetched. Resolves once polling has stopped.
 *
 * One poller per bot: on PostgreSQL the poller holds a session advisory lock on a connection of
 * its own for as long as it polls. A second process that would poll (two web processes with
 * TELEGRAM_MODE=polling) finds the lock taken and refuses to start (`PollingTakenError`) instead of
 * fighting the first for updates (Telegram answers 409 to the loser of each round); run several
 * processes in webhook mode. The embedded database is only ever opened by one process.
 */
export class PollingTakenError extends AppError {
  constructor() {
    super(
      "conflict",
      "Another process already polls Telegram for this bot (TELEGRAM_MODE=polling allows one poller). " +
        "With several processes use TELEGRAM_MODE=webhook.",
    );
    this.name = "PollingTakenError";
  }
}

/** Advisory lock key of the poller ("tgpoll" in ASCII). */
const POLL_LOCK = 0x7467706f6c6cn;

/**
 * Takes the poller's lock, waiting up to `waitMs` (a restarting dev server's previous process may
 * still hold it for a moment). Resolves to the release function, or throws PollingTakenError.
 */
export async function acquirePollingLock(waitMs = 10_000): Promise<() => Promise<void>> {
  if (!env.DATABASE_URL) return async () => {};
  const { default: postgres } = await import("postgres");
  const conn = postgres(env.DATABASE_URL, { max: 1, onnotice: () => {}, idle_timeout: 0 });
  const end = Date.now() + waitMs;
  try {
    for (;;) {
      const [row] = await conn`select pg_try_advisory_lock(${POLL_LOCK.toString()}::bigint) as ok`;
      if (row?.ok) return () => conn.end({ timeout: 5 });
      if (Date.now() >= end) break;
      await new Promise((r) => setTimeout(r, 500));
    }
  } catch (e) {
    await conn.end({ timeout: 1 });
    throw e;
  }
  await conn.end({ timeout: 1 });
  throw new PollingTakenError();
}

export async function startPolling(opts: { lockWaitMs?: number } = {}): Promise<void> {
  const bot = getBot();
  if (!bot) return;
  const release = await acquirePollingLock(opts.lockWaitMs);
  bot.catch((err) => {
    logger.error(
      { updateId: err.ctx.update.update_id, err: String(err.error) },
      "bot update failed (polling)",
    );
  });
  const running = bot
    .start({
      drop_pending_updates: false,
      allowed_updates: ["message", "callback_query"],
      onStart: (me) => logger.info({ username: me.username }, "telegram bot polling started"),
    })
    .catch((e) => {
      logger.error({ err: e instanceof Error ? e.message : String(e) }, "telegram polling stopped");
    });
  stop = async () => {
    await bot.stop();
    await running;
  };
  const unregister = onShutdown("telegram polling", stopPolling);
  try {
    await running;
  } finally {
    unregister();
    stop = null;
    await release();
  }
}

let stop: (() => Promise<void>) | null = null;

/** The shutdown step: no more updates are fetched, the update being handled finishes. */
export async function stopPolling(): Promise<void> {
  await stop?.();
}
