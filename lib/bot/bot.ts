import { limit } from "@grammyjs/ratelimiter";
import { Bot, type BotError, session } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import { env } from "@/lib/env";
import { leanFetch } from "@/lib/http/fetch";
import { errorKey } from "@/lib/format/errors";
import { logger, withLogContext } from "@/lib/log";
import { findOrCreateTelegramUser, languageFrom } from "@/lib/users";
import type { BotContext, BotDeps, SessionData } from "./context";
import { batchFeature } from "./features/batch";
import { balanceFeature } from "./features/lookup";
import { keepFeature } from "./features/keep";
import { packagesFeature } from "./features/packages";
import { languageFeature } from "./features/language";
import { ordersFeature } from "./features/orders";
import { portalFeature } from "./features/portal";
import { rentFeature } from "./features/rent";
import { inviteFeature } from "./features/invite";
import { startFeature } from "./features/start";
import { supplierFeature } from "./features/supplier";
import { topupFeature } from "./features/topup";
import { transferFeature } from "./features/transfer";
import { unhandledFeature } from "./features/unhandled";
import { walletsFeature } from "./features/wallets";
import { tr } from "./i18n";
import { drizzleStorage } from "./session";
import { setNotifierApi } from "./notifier";
import { prefetchedUser } from "./prefetch";
import { BOT_RATE_LIMIT, sharedBotLimitStore } from "./rate-limit";
import { WEBHOOK_REPLY_METHODS } from "./webhook";

type CreateBotOptions = {
  token: string;
  apiRoot?: string;
  botInfo?: UserFromGetMe;
  deps?: Partial<BotDeps>;
  /** Per-user limit: `limit` updates per `timeFrame` ms, counted in PostgreSQL (every process shares it). */
  rateLimit?: { limit: number; timeFrame: number };
  /** Make this bot's API the one the order/deposit notices use (default true). */
  registerNotifier?: boolean;
};

/** botInfo without getMe: the numeric id is the token's prefix, the username comes from config. */
function botInfoFrom(token: string, username = "tron_energy_helper_bot"): UserFromGetMe {
  return {
    id: Number(token.split(":")[0]),
    is_bot: true,
    first_name: "TRON Energy Helper",
    username,
    can_join_groups: false,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
    has_topics_enabled: false,
    allows_users_to_create_topics: false,
    can_manage_bots: false,
    supports_join_request_queries: false,
  };
}

/** Updates whose callback query was already answered (so errors are told with a message instead). */
const answeredCtx = new WeakSet<object>();

function errorRef(): string {
  return Math.random().toString(16).slice(2, 6).toUpperCase();
}

/** The error boundary: log with the update id, tell the user in their language, never a stack. */
async function onError(err: BotError<BotContext>): Promise<void> {
  const ctx = err.ctx;
  const ref = errorRef();
  logger.error(
    {
      updateId: ctx.update.update_id,
      ref,
      err: err.error instanceof Error ? err.error.message : String(err.error),
      stack: err.error instanceof Error ? err.error.stack : undefined,
    },
    "bot update failed",
  );
  const locale = ctx.locale ?? languageFrom(ctx.from?.language_code);
  const text = tr(locale, errorKey("bot", "internal"), { ref });
  try {
    if (ctx.callbackQuery && !answeredCtx.has(ctx))
      await ctx.answerCallbackQuery({ text: text.slice(0, 200), show_alert: true });
    else if (ctx.chat) await ctx.reply(text);
  } catch {}
}

export function createBot(opts: CreateBotOptions): Bot<BotContext> {
  const bot = new Bot<BotContext>(opts.token, {
    botInfo: opts.botInfo ?? botInfoFrom(opts.token, env.TELEGRAM_BOT_USERNAME),
    client: {
      apiRoot: opts.apiRoot ?? env.TELEGRAM_API_ROOT,
      // Only used for updates arriving by webhook (lib/bot/webhook): answers ride in the reply.
      canUseWebhookReply: (method) => WEBHOOK_REPLY_METHODS.has(method),
      // A lean HTTP client (lib/http/fetch) instead of node-fetch; it returns what grammY reads of a
      // Response (`json()`).
      fetch: leanFetch as unknown as typeof fetch,
    },
  });
  const deps: BotDeps = {
    appUrl: opts.deps?.appUrl ?? env.APP_URL,
    miniAppUrl:
      opts.deps?.miniAppUrl !== undefined ? opts.deps.miniAppUrl : (env.TELEGRAM_MINI_APP_URL ?? null),
    supportUrl: opts.deps?.supportUrl ?? env.SUPPORT_URL ?? null,
  };
  if (opts.registerNotifier !== false) setNotifierApi(bot.api, deps);

  // Every log line written while an update is handled carries its update id (lib/log).
  bot.use((ctx, next) => withLogContext({ updateId: ctx.update.update_id }, next));

  // Every callback query is answered, whatever happens below (a spinner never hangs).
  bot.use(async (ctx, next) => {
    if (!ctx.callbackQuery) return next();
    let answered = false;
    const orig = ctx.answerCallbackQuery.bind(ctx);
    ctx.answerCallbackQuery = async (...a: Parameters<typeof orig>) => {
      if (answered) return true;
      answered = true;
      answeredCtx.add(ctx);
      return orig(...a);
    };
    try {
      await next();
    } finally {
      if (!answered) await orig().catch(() => {});
    }
  });

  const p = bot.errorBoundary(onError);

  // Only private chats with a person are served.
  const priv = p.filter((ctx) => ctx.chat?.type === "private" && !!ctx.from && !ctx.from.is_bot);

  const rl = opts.rateLimit ?? BOT_RATE_LIMIT;
  priv.use(
    limit<BotContext, ReturnType<typeof sharedBotLimitStore>>({
      timeFrame: rl.timeFrame,
      limit: rl.limit,
      storageClient: sharedBotLimitStore(rl.timeFrame),
      keyPrefix: "",
      keyGenerator: (ctx) => ctx.from?.id.toString(),
      onLimitExceeded: async (ctx) => {
        const text = tr(languageFrom(ctx.from?.language_code), errorKey("bot", "rate_limited"));
        if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text }).catch(() => {});
        else await ctx.reply(text).catch(() => {});
      },
    }),
  );

  priv.use(async (ctx, next) => {
    const text = ctx.message?.text;
    const startParam = text?.startsWith("/start ") ? text.slice(7).trim().slice(0, 64) || null : null;
    const { user, created } = await findOrCreateTelegramUser(ctx.from!, {
      startParam,
      current: prefetchedUser(ctx.from!.id),
    });
    ctx.user = user;
    ctx.userCreated = created;
    ctx.locale = user.language;
    ctx.deps = deps;
    if (user.status === "banned") {
      const msg = tr(user.language, "banned");
      if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: msg, show_alert: true });
      else await ctx.reply(msg);
      return;
    }
    await next();
  });

  priv.use(
    session<SessionData, BotContext>({
      initial: () => ({}),
      storage: drizzleStorage<SessionData>(),
    }),
  );

  priv.use(startFeature);
  priv.use(languageFeature);
  priv.use(walletsFeature);
  priv.use(rentFeature);
  priv.use(batchFeature);
  priv.use(balanceFeature);
  priv.use(topupFeature);
  priv.use(transferFeature);
  priv.use(ordersFeature);
  priv.use(keepFeature);
  priv.use(packagesFeature);
  priv.use(portalFeature);
  priv.use(inviteFeature);
  priv.use(supplierFeature);
  priv.use(unhandledFeature);
  return bot;
}

let singleton: Bot<BotContext> | null = null;

/** The app's bot from env, built on first use; null when no token is configured (bot disabled). */
export function getBot(): Bot<BotContext> | null {
  if (singleton) return singleton;
  if (!env.TELEGRAM_BOT_TOKEN) return null;
  singleton = createBot({ token: env.TELEGRAM_BOT_TOKEN, apiRoot: env.TELEGRAM_API_ROOT });
  return singleton;
}

/** Tests: forget the env singleton (after changing env). */
export function resetBot(): void {
  singleton = null;
}
