"use client";

import { createContext, useCallback, useContext, useMemo } from "react";
import type { Locale } from "@/lib/i18n";
import { addSource, formatMessage, newBundle, type Vars } from "@/lib/i18n/fluent";
import type { FluentBundle } from "@fluent/bundle";
import type { ClientMessageScope, ScopeKey } from "@/lib/i18n/scopes";

type Ctx = { locale: Locale; sources: readonly string[]; bundle: FluentBundle | null };

const I18nContext = createContext<Ctx>({ locale: "en", sources: [], bundle: null });

/**
 * Hands the server-chosen locale's messages of a page's scope to client components, as Fluent
 * source (lib/i18n/client-messages: only that scope, never a whole catalogue). A provider inside
 * another adds its messages to the outer one's (a page's own on top of the layout's).
 */
export function I18nProvider({
  locale,
  messages,
  children,
}: {
  locale: Locale;
  messages: string;
  children: React.ReactNode;
}) {
  const outer = useContext(I18nContext).sources;
  const value = useMemo(() => {
    const sources = [...outer, messages];
    const bundle = newBundle(locale);
    for (const s of sources) addSource(bundle, s, true);
    return { locale, sources, bundle };
  }, [locale, outer, messages]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

/**
 * The same `t(key, vars)` as lib/i18n's translator, on the client, formatted by the same Fluent
 * code. `scope` is the client scope the component is rendered under (lib/i18n/scopes): `t` accepts
 * only that scope's keys, so the compiler refuses a key the page does not hand down.
 */
export function useT<S extends ClientMessageScope>(_scope: S) {
  const { bundle } = useContext(I18nContext);
  return useCallback(
    (key: ScopeKey<S>, vars?: Vars) => (bundle && formatMessage(bundle, key, vars)) ?? key,
    [bundle],
  );
}
