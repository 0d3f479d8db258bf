"use client";

import { usePathname, useRouter } from "next/navigation";
import { createContext, useContext, useEffect, useRef, useState } from "react";

/**
 * Telegram Mini App glue (docs/ux.md §2): detects the Mini App (Telegram's injected `window.Telegram.WebApp`,
 * or its launch parameters in the URL hash), loads Telegram's script only then, calls ready()/expand(),
 * maps themeParams to `--tg-theme-*` CSS variables (repainted on themeChanged), shows the BackButton on
 * sub-pages, opens explorer links with openLink, and exposes the MainButton to forms.
 */
type TelegramWebApp = {
  initData: string;
  themeParams: Record<string, string>;
  ready(): void;
  expand(): void;
  openLink(url: string): void;
  showConfirm(message: string, cb: (ok: boolean) => void): void;
  enableClosingConfirmation?(): void;
  disableClosingConfirmation?(): void;
  onEvent(name: string, cb: () => void): void;
  offEvent(name: string, cb: () => void): void;
  BackButton: { show(): void; hide(): void; onClick(cb: () => void): void; offClick(cb: () => void): void };
  MainButton: {
    setParams(p: { text?: string; is_active?: boolean; is_visible?: boolean }): void;
    show(): void;
    hide(): void;
    enable(): void;
    disable(): void;
    showProgress(leaveActive?: boolean): void;
    hideProgress(): void;
    onClick(cb: () => void): void;
    offClick(cb: () => void): void;
  };
  HapticFeedback?: { notificationOccurred(type: "error" | "success" | "warning"): void };
};

/** Telegram's Login Widget JS API (telegram-widget.js): opens Telegram's own sign-in window. */
type TelegramLogin = {
  auth(
    options: { bot_id: string; request_access?: string; lang?: string },
    callback: (user: Record<string, string | number> | false) => void,
  ): void;
};

declare global {
  interface Window {
    Telegram?: { WebApp?: TelegramWebApp; Login?: TelegramLogin };
    /** Injected by Telegram's native apps into a Mini App's webview. */
    TelegramWebviewProxy?: unknown;
  }
}

const TELEGRAM_SCRIPT = "https://telegram.org/js/telegram-web-app.js";

/** Launch parameters Telegram puts in the URL hash (`#tgWebAppData=…&tgWebAppThemeParams=…`). */
export function launchParams(): URLSearchParams | null {
  if (typeof window === "undefined") return null;
  const h = window.location.hash.slice(1);
  if (!h.includes("tgWebApp")) return null;
  return new URLSearchParams(h);
}

/**
 * Whether this page runs inside Telegram: the native apps inject TelegramWebviewProxy, the web
 * apps frame the page (and only Telegram's origins may frame it: frame-ancestors). A page opened
 * from a link in an ordinary browser is neither, whatever its URL hash says.
 */
function insideTelegram(): boolean {
  return window.TelegramWebviewProxy !== undefined || window.parent !== window;
}

/**
 * The raw initData to sign in with: only from Telegram's own WebApp object, and only inside
 * Telegram. Never from the URL hash by itself: a link carrying someone else's tgWebAppData must
 * not sign a visitor into that account.
 */
export function readInitData(): string {
  if (!insideTelegram()) return "";
  return window.Telegram?.WebApp?.initData ?? "";
}

function applyTheme(params: Record<string, string> | null | undefined) {
  if (!params) return;
  const root = document.documentElement;
  for (const [k, v] of Object.entries(params)) {
    if (typeof v === "string" && /^#[0-9a-f]{3,8}$/i.test(v))
      root.style.setProperty(`--tg-theme-${k.replace(/_/g, "-")}`, v);
  }
}

function loadScript(): Promise<TelegramWebApp | null> {
  if (window.Telegram?.WebApp) return Promise.resolve(window.Telegram.WebApp);
  return new Promise((resolve) => {
    const s = document.createElement("script");
    s.src = TELEGRAM_SCRIPT;
    s.async = true;
    s.onload = () => resolve(window.Telegram?.WebApp ?? null);
    s.onerror = () => resolve(null);
    document.head.appendChild(s);
  });
}

type MiniCtx = { webApp: TelegramWebApp | null; isMini: boolean };
const MiniAppContext = createContext<MiniCtx>({ webApp: null, isMini: false });

export function useMiniApp(): MiniCtx {
  return useContext(MiniAppContext);
}

const ROOT_PATHS = new Set(["/dashboard", "/login"]);

export function MiniAppProvider({ hinted, children }: { hinted: boolean; children: React.ReactNode }) {
  const [state, setState] = useState<MiniCtx>({ webApp: null, isMini: hinted });
  const pathname = usePathname();
  const router = useRouter();

  useEffect(() => {
    let cancelled = false;
    const params = launchParams();
    const detected = Boolean(window.Telegram?.WebApp?.initData) || params !== null;
    if (!detected && !hinted) return;
    document.documentElement.dataset.mini = "1";
    // Remember for the next server render (header/nav hidden, script tag included).
    // biome-ignore lint/suspicious/noDocumentCookie: one plain flag cookie; cookieStore is not in every Telegram webview
    document.cookie = "mini=1; path=/; max-age=86400; samesite=lax";
    const themeRaw = params?.get("tgWebAppThemeParams");
    if (themeRaw) {
      try {
        applyTheme(JSON.parse(themeRaw));
      } catch {}
    }
    loadScript().then((wa) => {
      if (cancelled) return;
      if (!wa) {
        setState({ webApp: null, isMini: true });
        return;
      }
      applyTheme(wa.themeParams);
      const onTheme = () => applyTheme(wa.themeParams);
      wa.onEvent("themeChanged", onTheme);
      wa.ready();
      wa.expand();
      setState({ webApp: wa, isMini: true });
    });
    return () => {
      cancelled = true;
    };
  }, [hinted]);

  // BackButton on sub-pages.
  const { webApp } = state;
  useEffect(() => {
    if (!webApp) return;
    const back = () => router.back();
    if (ROOT_PATHS.has(pathname)) webApp.BackButton.hide();
    else {
      webApp.BackButton.show();
      webApp.BackButton.onClick(back);
    }
    return () => webApp.BackButton.offClick(back);
  }, [webApp, pathname, router]);

  // Explorer links open through Telegram (in-app browser) instead of replacing the Mini App.
  useEffect(() => {
    if (!webApp) return;
    const onClick = (e: MouseEvent) => {
      const a = (e.target as HTMLElement | null)?.closest?.("a[data-mini-link]") as HTMLAnchorElement | null;
      if (!a) return;
      e.preventDefault();
      webApp.openLink(a.href);
    };
    document.addEventListener("click", onClick);
    return () => document.removeEventListener("click", onClick);
  }, [webApp]);

  return <MiniAppContext.Provider value={state}>{children}</MiniAppContext.Provider>;
}

/**
 * Drives Telegram's MainButton from a form (e.g. "Pay 5.895 TRX"): shown while mounted, inactive while
 * `enabled` is false, progress while `busy`. Returns true when the MainButton replaces the page's own
 * sticky button.
 */
export function useMainButton(opts: { text: string; enabled: boolean; busy: boolean; onClick: () => void }) {
  const { webApp } = useMiniApp();
  const handler = useRef(opts.onClick);
  handler.current = opts.onClick;
  useEffect(() => {
    if (!webApp) return;
    const cb = () => handler.current();
    webApp.MainButton.onClick(cb);
    webApp.MainButton.show();
    return () => {
      webApp.MainButton.offClick(cb);
      webApp.MainButton.hide();
    };
  }, [webApp]);
  useEffect(() => {
    if (!webApp) return;
    webApp.MainButton.setParams({ text: opts.text, is_active: opts.enabled && !opts.busy });
    if (opts.busy) {
      webApp.MainButton.showProgress(false);
      webApp.enableClosingConfirmation?.();
    } else {
      webApp.MainButton.hideProgress();
      webApp.disableClosingConfirmation?.();
    }
  }, [webApp, opts.text, opts.enabled, opts.busy]);
  return webApp !== null;
}
