import { AsyncLocalStorage } from "node:async_hooks";

/**
 * A request for code that reads `next/headers` (server actions, guards), outside Next's server:
 * `inRequest({ cookies, headers }, fn)` runs `fn` as one request carrying them. A suite swaps the
 * modules for ones that answer from that request inside `inRequest` and are Next's own everywhere
 * else (the test worker shares modules across files, so the swap outlives the suite):
 *
 *   vi.mock("next/headers", async (next) => (await import("@/test/request-scope")).headersIn(await next()));
 *   vi.mock("next/cache", async (next) => (await import("@/test/request-scope")).cacheIn(await next()));
 *
 * Cookies an action sets land in the request's jar (`jar` in `inRequest`'s callback), as they would
 * in the response; inside a request there is no page cache, so revalidating is a no-op.
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

type NextHeaders = typeof import("next/headers");
type NextCache = typeof import("next/cache");

/** `next/headers` answering from the `inRequest` request, and as Next's own outside one. */
export function headersIn(next: NextHeaders): NextHeaders {
  return {
    ...next,
    cookies: (() => {
      const s = scope.getStore();
      return s ? Promise.resolve(cookieStore(s.jar)) : next.cookies();
    }) as NextHeaders["cookies"],
    headers: (() => {
      const s = scope.getStore();
      return s ? Promise.resolve(s.headers) : next.headers();
    }) as NextHeaders["headers"],
  };
}

/** `next/cache` whose revalidation is a no-op inside an `inRequest` request, Next's own outside one. */
export function cacheIn(next: NextCache): NextCache {
  return {
    ...next,
    revalidatePath: (...args: Parameters<NextCache["revalidatePath"]>) => {
      if (!scope.getStore()) next.revalidatePath(...args);
    },
  };
}
