"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { useT } from "@/app/_components/i18n-provider";
import { launchParams, readInitData } from "@/app/_components/mini-app";
import type { MessageKey } from "@/lib/i18n";
import { signInMiniApp } from "./actions";

/** Telegram's Login Widget (browser only; hidden inside the Mini App). It redirects to /login/telegram. */
export function TelegramLoginWidget({ bot, next }: { bot: string; next: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el || el.childElementCount > 0) return;
    const s = document.createElement("script");
    s.src = "https://telegram.org/js/telegram-widget.js?22";
    s.async = true;
    s.dataset.telegramLogin = bot;
    s.dataset.size = "large";
    s.dataset.radius = "8";
    s.dataset.requestAccess = "write";
    s.dataset.authUrl = `/login/telegram?next=${encodeURIComponent(next)}`;
    el.appendChild(s);
  }, [bot, next]);
  return <div ref={box} data-mini-hide className="flex min-h-12 justify-center" />;
}

/** Inside Telegram: signs in from initData without a click, then opens the requested page. */
export function MiniAppAutoSignIn({ next }: { next: string }) {
  const t = useT();
  const router = useRouter();
  const [state, setState] = useState<"idle" | "working" | "failed">("idle");
  const [reason, setReason] = useState<string | null>(null);
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    const tryIt = () => {
      const initData = readInitData();
      if (!initData) return false;
      started.current = true;
      setState("working");
      signInMiniApp(initData, next)
        .then((r) => {
          if (r.ok) router.replace(r.to);
          else {
            setReason(r.reason);
            setState("failed");
          }
        })
        .catch(() => setState("failed"));
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
  }, [next, router]);
  if (state === "idle") return null;
  return (
    <p role="status" aria-live="polite" className="rounded-md bg-(--p-secondary) px-3 py-2 text-sm">
      {state === "working"
        ? t("login.miniApp")
        : reason
          ? t(`login.error.${reason}` as MessageKey)
          : t("login.miniAppFailed")}
    </p>
  );
}
