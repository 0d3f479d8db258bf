"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useRef, useState } from "react";
import { useT } from "@/app/_components/i18n-provider";
import { launchParams, readInitData } from "@/app/_components/mini-app";
import type { ScopeKey } from "@/lib/i18n/scopes";
import { beginSignIn, type SignInResult, signInMiniApp, signInWithWidget } from "./actions";
import { Button, buttonVariants } from "@/components/ui/button";

const WIDGET_SCRIPT = "https://telegram.org/js/telegram-widget.js?22";

type Outcome =
  | { state: "idle" | "working" }
  | { state: "failed"; reason: string | null }
  | { state: "other_account"; current: string; retry: () => void };

/** What a sign-in attempt shows while working, when refused, and when it would switch accounts. */
function OutcomeNotice({ outcome, working }: { outcome: Outcome; working: string }) {
  const t = useT("login");
  if (outcome.state === "idle") return null;
  if (outcome.state === "other_account")
    return (
      <div
        role="alert"
        className="space-y-3 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950"
      >
        <p>{t("login-switch-prompt", { current: outcome.current })}</p>
        <div className="flex flex-wrap gap-2">
          <Button onClick={outcome.retry}>{t("login-switch-confirm")}</Button>
          <Link href="/dashboard" className={buttonVariants({ variant: "outline" })}>
            {t("login-switch-stay", { current: outcome.current })}
          </Link>
        </div>
      </div>
    );
  const text =
    outcome.state !== "failed"
      ? working
      : outcome.reason
        ? t(`login-error-${outcome.reason}` as ScopeKey<"login">)
        : t("login-miniAppFailed");
  return (
    <p role="status" aria-live="polite" className="rounded-md bg-(--p-secondary) px-3 py-2 text-sm">
      {text}
    </p>
  );
}

/**
 * Telegram's sign-in (browser only; hidden inside the Mini App): our button loads telegram-widget.js
 * (only when pressed) and opens Telegram's own window through Telegram.Login.auth, and the signed profile it hands back is
 * POSTed with this browser's pre-login nonce (app/login/actions). Nothing signs in from a URL.
 */
export function TelegramLoginButton({ botId, next }: { botId: string; next: string }) {
  const t = useT("login");
  const router = useRouter();
  const [outcome, setOutcome] = useState<Outcome>({ state: "idle" });
  const loaded = useRef<Promise<boolean> | null>(null);

  const load = useCallback(() => {
    loaded.current ??= new Promise<boolean>((resolve) => {
      if (window.Telegram?.Login) return resolve(true);
      const s = document.createElement("script");
      s.src = WIDGET_SCRIPT;
      s.async = true;
      s.onload = () => resolve(Boolean(window.Telegram?.Login));
      s.onerror = () => {
        loaded.current = null;
        resolve(false);
      };
      document.head.appendChild(s);
    });
    return loaded.current;
  }, []);

  const finish = useCallback(
    (user: Record<string, string | number>, switchAccount: boolean) => {
      setOutcome({ state: "working" });
      beginSignIn()
        .then((nonce) => signInWithWidget({ fields: user, nonce, next, switchAccount }))
        .then((r: SignInResult) => {
          if (r.ok) router.replace(r.to);
          else if (r.reason === "other_account")
            setOutcome({ state: "other_account", current: r.current, retry: () => finish(user, true) });
          else setOutcome({ state: "failed", reason: r.reason });
        })
        .catch(() => setOutcome({ state: "failed", reason: null }));
    },
    [next, router],
  );

  const start = async () => {
    if (!(await load()) || !window.Telegram?.Login)
      return setOutcome({ state: "failed", reason: "unavailable" });
    window.Telegram.Login.auth({ bot_id: botId, request_access: "write" }, (user) => {
      if (user) finish(user, false);
    });
  };

  return (
    <div data-mini-hide className="space-y-3">
      <button
        type="button"
        onClick={start}
        className="inline-flex min-h-12 w-full items-center justify-center gap-2 rounded-md bg-[#54a9eb] px-4 font-semibold text-white"
      >
        <span aria-hidden>✈️</span>
        {t("login-widgetButton")}
      </button>
      <OutcomeNotice outcome={outcome} working={t("login-miniApp")} />
    </div>
  );
}

/** Inside Telegram: signs in from Telegram.WebApp's initData without a click, then opens the page. */
export function MiniAppAutoSignIn({ next }: { next: string }) {
  const t = useT("login");
  const router = useRouter();
  const [outcome, setOutcome] = useState<Outcome>({ state: "idle" });
  const started = useRef(false);

  const submit = useCallback(
    (initData: string, switchAccount: boolean) => {
      setOutcome({ state: "working" });
      beginSignIn()
        .then((nonce) => signInMiniApp({ initData, nonce, next, switchAccount }))
        .then((r) => {
          if (r.ok) router.replace(r.to);
          else if (r.reason === "other_account")
            setOutcome({ state: "other_account", current: r.current, retry: () => submit(initData, true) });
          else setOutcome({ state: "failed", reason: r.reason });
        })
        .catch(() => setOutcome({ state: "failed", reason: null }));
    },
    [next, router],
  );

  useEffect(() => {
    if (started.current) return;
    const tryIt = () => {
      const initData = readInitData();
      if (!initData) return false;
      started.current = true;
      submit(initData, false);
      return true;
    };
    if (tryIt()) return;
    if (!launchParams()) return;
    // Telegram's script may still be loading: look again shortly.
    const timer = setInterval(() => {
      if (tryIt()) clearInterval(timer);
    }, 200);
    const stop = setTimeout(() => clearInterval(timer), 5000);
    return () => {
      clearInterval(timer);
      clearTimeout(stop);
    };
  }, [submit]);
  return <OutcomeNotice outcome={outcome} working={t("login-miniApp")} />;
}
