import "@/lib/hooks";
import { onShutdown } from "@/lib/lifecycle";
import { logger } from "@/lib/log";
import { getBot } from "./bot";

/**
 * Long polling inside the app process (TELEGRAM_MODE=polling, local development). grammY removes
 * any webhook first; updates are handled one by one, so no update_id table is needed here. A
 * graceful shutdown (lib/lifecycle) stops the loop: the update in hand finishes, no new one is
 * fetched. Resolves once polling has stopped.
 */
export async function startPolling(): Promise<void> {
  const bot = getBot();
  if (!bot) return;
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
  await running;
  unregister();
  stop = null;
}

let stop: (() => Promise<void>) | null = null;

/** The shutdown step: no more updates are fetched, the update being handled finishes. */
export async function stopPolling(): Promise<void> {
  await stop?.();
}
