import Link from "next/link";
import { redirect } from "next/navigation";
import { devSignInEnabled } from "@/lib/auth/dev-login";
import { getSessionUser } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { botUsername } from "@/lib/bot/username";
import type { MessageKey } from "@/lib/i18n";
import { getRequestLocale } from "@/lib/i18n/server";
import { invitedStartParam } from "@/lib/referrals/invite-cookie";
import { failureCode, safeNext } from "./_next";
import { MiniAppAutoSignIn, TelegramLoginButton } from "./login-widgets";
import { BackHomeLink } from "./back-home";

export const dynamic = "force-dynamic";

type Search = Promise<Record<string, string | string[] | undefined>>;

export default async function LoginPage({ searchParams }: { searchParams: Search }) {
  const sp = await searchParams;
  const one = (k: string) => (typeof sp[k] === "string" ? (sp[k] as string) : undefined);
  const next = safeNext(one("next"));
  const code = one("code") ?? (one("error") === "banned" ? "banned" : one("error") ? "invalid" : undefined);
  const [{ t }, user, bot, invited] = await Promise.all([
    getRequestLocale(),
    getSessionUser(),
    botUsername(),
    invitedStartParam(),
  ]);
  if (user && user.status !== "banned" && !code) redirect(next);
  // The bot's numeric id (the token's public part) names the bot to Telegram's sign-in window.
  const botId = env.TELEGRAM_BOT_TOKEN?.split(":")[0];
  return (
    <div className="space-y-5">
      <h1 className="text-2xl font-bold">{t("login-title")}</h1>
      {code && (
        <p
          role="alert"
          className="rounded-md border border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-900"
        >
          {t(`login-error-${failureCode(code)}` as MessageKey)}
        </p>
      )}
      {invited && !user && (
        <p
          className="rounded-md border border-slate-200 bg-brand-50 px-3 py-2 text-sm"
          data-testid="login-invited"
        >
          {t("login-invited")}
        </p>
      )}
      <MiniAppAutoSignIn next={next} />
      <div data-mini-hide className="space-y-4 rounded-lg border border-slate-200 bg-(--p-card) p-4">
        <p className="text-sm text-slate-600">{t("login-intro")}</p>
        {bot && botId ? (
          <>
            <p className="text-sm">{t("login-widgetHint")}</p>
            <TelegramLoginButton botId={botId} next={next} />
            <p className="text-sm text-slate-600" data-testid="login-bot-hint">
              {t("login-botHint", { bot })}
            </p>
          </>
        ) : (
          <p className="text-sm" data-testid="login-no-bot">
            {t("login-noWidget")}
          </p>
        )}
        {bot && (
          <a
            href={`https://t.me/${bot}?start=login`}
            className="inline-flex min-h-11 items-center rounded-md border border-slate-300 px-4 text-sm font-medium hover:bg-slate-100"
          >
            {t("login-openBot", { bot })}
          </a>
        )}
      </div>
      {devSignInEnabled() && (
        <Link
          href="/login/dev"
          className="inline-flex min-h-11 items-center rounded-md border border-amber-300 bg-amber-50 px-4 text-sm font-medium text-amber-950"
        >
          {t("login-dev-link")}
        </Link>
      )}
      <BackHomeLink t={t} />
    </div>
  );
}
