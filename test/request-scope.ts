import { AsyncLocalStorage } from "node:async_hooks";

/**
 * A request for code that reads `next/headers` (server actions, guards), outside Next's server:
 * `inRequest({ cookies, headers }, fn)` runs `fn` as one request carrying them, and `nextHeaders`
 * is what `next/headers` answers inside it. A suite swaps the module for it:
 *
 *   vi.mock("next/headers", async () => (await import("@/test/request-scope")).nextHeaders);
 *
 * Cookies an action sets land in the request's jar (`jar` in `inRequest`'s callback), as they would
 * in the response. Outside `inRequest`, `cookies()`/`headers()` throw as Next's do outside a request.
 */
type Scope = { jar: Map<string, string>; headers: Headers };
const scope = new AsyncLocalStorage<Scope>();

export function inRequest<T>(
  init: { cookies?: Record<string, string>; headers?: Record<string, string> },
  fn: (jar: Map<string, string>) => Promise<T>,
): Promise<T> {
  const jar = new Map(Object.entries(init.cookies ?? {}));
  const headers = new Headers({ "user-agent": "vitest", ...init.headers });
  return scope.run({ jar, headers }, () => fn(jar));
}

function current(what: string): Scope {
  const s = scope.getStore();
  if (!s) throw new Error(`\`${what}\` was called outside a request scope (test/request-scope: inRequest)`);
  return s;
}

const cookieStore = (jar: Map<string, string>) => ({
  get: (name: string) => (jar.has(name) ? { name, value: jar.get(name) as string } : undefined),
  getAll: () => [...jar].map(([name, value]) => ({ name, value })),
  has: (name: string) => jar.has(name),
  set: (name: string | { name: string; value: string }, value?: string) => {
    if (typeof name === "object") jar.set(name.name, name.value);
    else jar.set(name, value ?? "");
  },
  delete: (name: string) => jar.delete(name),
  get size() {
    return jar.size;
  },
});

export const nextHeaders = {
  cookies: async () => cookieStore(current("cookies").jar),
  headers: async () => current("headers").headers,
  draftMode: async () => ({ isEnabled: false, enable() {}, disable() {} }),
};
