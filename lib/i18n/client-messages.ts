import type { Locale } from "@/lib/locale";
import { getCatalog, sourceOf } from "./catalog";
import { type MessageKey, translator } from "./index";
import { type ClientMessageScope, isScopeKey, type ScopeKey } from "./scopes";

const cache = new Map<string, { ids: string[]; source: string }>();

function scopeEntry(locale: Locale, scope: ClientMessageScope) {
  const k = `${locale}:${scope}`;
  let e = cache.get(k);
  if (!e) {
    const ids = [...getCatalog()[locale].entries.values()]
      .filter((m) => (m.surface === "portal" || m.surface === "api") && isScopeKey(m.id, scope))
      .map((m) => m.id);
    e = { ids, source: sourceOf(locale, ids) };
    cache.set(k, e);
  }
  return e;
}

/** The ids of the web catalogues in `scope` (see ./scopes). */
export function scopeIds(locale: Locale, scope: ClientMessageScope): readonly string[] {
  return scopeEntry(locale, scope).ids;
}

/** The Fluent source handed to client components in `scope`: only that scope's messages. */
export function clientMessages(locale: Locale, scope: ClientMessageScope = "portal"): string {
  return scopeEntry(locale, scope).source;
}

/**
 * The texts of a scope's messages that take no variables, formatted on the server, for a client
 * component that receives its copy as props (`copy["apiKeys-name"]`).
 */
export function scopeTexts<S extends ClientMessageScope>(
  locale: Locale,
  scope: S,
): Partial<Record<ScopeKey<S>, string>> {
  const t = translator(locale);
  return Object.fromEntries(scopeIds(locale, scope).map((id) => [id, t(id as MessageKey)])) as Partial<
    Record<ScopeKey<S>, string>
  >;
}
