import type { ApiKey, PortalKey } from "./keys.generated";

/**
 * The messages client components read through `useT(scope)`, per scope: groups (entries ending in
 * "-", a prefix of ids) and single ids, taken from the web catalogues (portal.ftl, api.ftl). Only a
 * page's scopes travel to the browser, as Fluent source (app/_components/i18n-provider formats them
 * with the same Fluent code as the server). `portal` travels with every portal page (the layout's
 * provider: what shared client components read, such as copy buttons, tx links and time left); the
 * pages under /rent, /orders, /topup and /wallets add their own scope from their segment's
 * layout.tsx with <PageMessages>, so the dashboard's payload does not carry the rent form's copy.
 * `login` is the sign-in pages' (outside the portal layout). `useT(scope)` accepts only the keys
 * of its scope (and of `portal`, for the portal's scopes): the compiler checks what a client
 * component may ask for.
 */
export const CLIENT_MESSAGE_SCOPES = {
  portal: ["common-"],
  rent: [
    "address-",
    "duration-",
    "rent-",
    "wallets-address",
    "dash-balance",
    "error-not_activated",
    "nav-topup",
  ],
  orders: ["orders-", "duration-"],
  batch: ["batch-"],
  topup: ["topup-", "dash-balance"],
  wallets: ["wallets-", "error-generic"],
  keep: ["keep-", "error-generic"],
  login: ["login-", "app-name", "common-"],
  apiKeys: ["apiKeys-"],
} as const satisfies Record<string, readonly string[]>;
export type ClientMessageScope = keyof typeof CLIENT_MESSAGE_SCOPES;

/** The scopes whose pages are inside the portal layout (which always hands `portal`). */
type PortalScope = Exclude<ClientMessageScope, "login" | "apiKeys">;

type WebKey = PortalKey | ApiKey;
type EntryKeys<E> = E extends `${string}-` ? Extract<WebKey, `${E}${string}`> : Extract<WebKey, E>;
type OwnKeys<S extends ClientMessageScope> = EntryKeys<(typeof CLIENT_MESSAGE_SCOPES)[S][number]>;

/** The keys a client component under `scope` may translate. */
export type ScopeKey<S extends ClientMessageScope> = S extends PortalScope
  ? OwnKeys<S> | OwnKeys<"portal">
  : OwnKeys<S>;

export function isScopeKey(key: string, scope: ClientMessageScope): boolean {
  return CLIENT_MESSAGE_SCOPES[scope].some((k) => (k.endsWith("-") ? key.startsWith(k) : key === k));
}
