"use client";

import { createContext, useCallback, useContext, useMemo } from "react";
import type { Locale, MessageKey } from "@/lib/i18n";

type Vars = Record<string, string | number | bigint>;
type Ctx = { locale: Locale; messages: Partial<Record<MessageKey, string>> };

const I18nContext = createContext<Ctx>({ locale: "en", messages: {} });

/**
 * Hands the server-chosen locale's catalog to client components (no catalog in the JS bundle). A
 * provider inside another adds its messages to the outer one's (a page's own on top of the layout's).
 */
export function I18nProvider({ locale, messages, children }: Ctx & { children: React.ReactNode }) {
  const outer = useContext(I18nContext).messages;
  const value = useMemo(() => ({ locale, messages: { ...outer, ...messages } }), [locale, outer, messages]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useLocale(): Locale {
  return useContext(I18nContext).locale;
}

/** The same `t(key, vars)` as lib/i18n's translator, on the client. */
export function useT() {
  const { messages } = useContext(I18nContext);
  return useCallback(
    (key: MessageKey, vars?: Vars) => {
      const template = messages[key] ?? key;
      if (!vars) return template;
      return template.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
    },
    [messages],
  );
}
