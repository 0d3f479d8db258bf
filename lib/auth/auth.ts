import NextAuth, { CredentialsSignin, type DefaultSession } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import type { User } from "@/db/schema";
import { env } from "@/lib/env";
import { isAppError } from "@/lib/errors";
import { logger } from "@/lib/log";
import { invitedStartParam } from "@/lib/referrals/invite-cookie";
import { findOrCreateTelegramUser, getUserById } from "@/lib/users";
import { authConfig } from "./auth.config";
import { consumeLoginToken } from "./login-link";
import { TelegramAuthError, verifyInitData, verifyLoginWidget } from "./telegram";

declare module "next-auth" {
  interface Session {
    user: { id: string } & DefaultSession["user"];
  }
}

/** Why a sign-in was refused; the code travels in the AuthError so the page can explain it. */
type SignInFailure = "invalid" | "used" | "expired" | "stale" | "banned" | "unavailable";

class SignInRefused extends CredentialsSignin {
  constructor(code: SignInFailure) {
    super(`sign-in refused: ${code}`);
    this.code = code;
  }
}

function sessionUser(u: User) {
  if (u.status === "banned") throw new SignInRefused("banned");
  return { id: String(u.id), name: u.firstName ?? u.username ?? `#${u.id}` };
}

function telegramFailure(e: unknown): never {
  if (e instanceof TelegramAuthError) {
    if (e.reason === "missing_token") throw new SignInRefused("unavailable");
    throw new SignInRefused(e.reason === "stale" ? "stale" : "invalid");
  }
  throw e;
}

const widgetFields = ["id", "first_name", "last_name", "username", "photo_url", "auth_date", "hash"] as const;

/** No `auth()` export: pages and routes read the session through lib/auth/session (one decrypt). */
export const { handlers, signIn, signOut } = NextAuth({
  ...authConfig,
  logger: {
    // A refused sign-in is an expected outcome, not a server error.
    error(e) {
      if (e instanceof CredentialsSignin) logger.info({ code: e.code }, "portal sign-in refused");
      else logger.error({ err: e }, "auth error");
    },
    warn(code) {
      logger.warn({ code }, "auth warning");
    },
  },
  providers: [
    // The Telegram Login Widget's signed profile (browser sign-in).
    Credentials({
      id: "telegram-widget",
      name: "Telegram",
      credentials: Object.fromEntries(widgetFields.map((f) => [f, {}])),
      async authorize(credentials) {
        const data: Record<string, string> = {};
        for (const f of widgetFields) {
          const v = credentials?.[f];
          if (typeof v === "string" && v !== "") data[f] = v;
        }
        let profile: ReturnType<typeof verifyLoginWidget>;
        try {
          profile = verifyLoginWidget(data, { botToken: env.TELEGRAM_BOT_TOKEN });
        } catch (e) {
          telegramFailure(e);
        }
        const { user } = await findOrCreateTelegramUser(profile, { startParam: await invitedStartParam() });
        return sessionUser(user);
      },
    }),
    // The one-time link sent by the bot (10 minutes, single use).
    Credentials({
      id: "login-link",
      name: "Login link",
      credentials: { token: {} },
      async authorize(credentials) {
        const token = z.string().max(200).safeParse(credentials?.token);
        if (!token.success) throw new SignInRefused("invalid");
        let userId: number;
        try {
          userId = await consumeLoginToken(token.data);
        } catch (e) {
          if (isAppError(e) && e.code === "unauthorized") {
            const reason = e.details?.reason;
            throw new SignInRefused(reason === "used" || reason === "expired" ? reason : "invalid");
          }
          throw e;
        }
        return sessionUser(await getUserById(userId));
      },
    }),
    // Mini App initData, posted by the page opened inside Telegram.
    Credentials({
      id: "telegram-miniapp",
      name: "Telegram Mini App",
      credentials: { initData: {} },
      async authorize(credentials) {
        const raw = z.string().max(8192).safeParse(credentials?.initData);
        if (!raw.success) throw new SignInRefused("invalid");
        let profile: ReturnType<typeof verifyInitData>;
        try {
          profile = verifyInitData(raw.data, { botToken: env.TELEGRAM_BOT_TOKEN });
        } catch (e) {
          telegramFailure(e);
        }
        const { user } = await findOrCreateTelegramUser(profile, {
          startParam: profile.startParam ?? (await invitedStartParam()),
        });
        return sessionUser(user);
      },
    }),
  ],
});
