import { env } from "@/lib/env";

/**
 * Which paths a process serves, by APP_ROLE (docs/operations.md):
 *
 * - `worker` serves only the Inngest endpoint, health, metrics and ping: nothing a browser, a bot
 *   update or a reseller sends reaches the process that holds the supplier keys and the deposit
 *   mnemonic, even if a proxy were misrouted;
 * - `web` does not serve the Inngest endpoint: it holds no key the functions need;
 * - `all` serves everything (one process; `npm run dev`).
 *
 * Enforced where a request enters the server (`installRoleGate`, from instrumentation.ts): a path
 * the role does not serve is answered by /api/not-served (404) before any page, action or route
 * of the app sees it. The Inngest route checks the role again itself.
 */
type AppRole = "all" | "web" | "worker" | "migrate";

const WORKER_PATHS = ["/api/inngest", "/api/health", "/api/metrics", "/api/ping"];
const NOT_SERVED_PATH = "/api/not-served";

function under(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`) || path.startsWith(`${prefix}?`);
}

/** Whether a process of `role` serves the request path (with or without a query string). */
export function servesPath(role: AppRole, path: string): boolean {
  if (role === "worker") return WORKER_PATHS.some((p) => under(path, p));
  if (role === "web") return !under(path, "/api/inngest");
  return role === "all";
}

/** Whether this process runs the Inngest functions (and holds what they need). */
export function servesFunctions(role: AppRole = env.APP_ROLE): boolean {
  return role === "all" || role === "worker";
}

const g = globalThis as unknown as { __tehRoleGate?: () => void };

/**
 * Sends every request for a path this role does not serve to /api/not-served. Returns the
 * function that removes the gate (tests); a second call while installed does nothing.
 */
export async function installRoleGate(role: AppRole = env.APP_ROLE): Promise<() => void> {
  if (role === "all") return () => {};
  if (g.__tehRoleGate) return g.__tehRoleGate;
  const dc = await import("node:diagnostics_channel");
  // Published by node:http just before the server's "request" event: the URL can still be changed.
  const gate = (message: unknown) => {
    const { request } = message as { request: { url?: string } };
    const url = request.url ?? "/";
    // Decide on the path as a router would see it: dot segments resolved, encodings and doubled
    // slashes folded, any case ("//API/%69nngest" is /api/inngest).
    let path: string;
    try {
      path = decodeURIComponent(new URL(url.replace(/^\/+/, "/"), "http://x").pathname);
      path = new URL(path.replace(/\/{2,}/g, "/"), "http://x").pathname.toLowerCase();
    } catch {
      request.url = NOT_SERVED_PATH;
      return;
    }
    if (!servesPath(role, path)) request.url = NOT_SERVED_PATH;
  };
  dc.subscribe("http.server.request.start", gate);
  const uninstall = () => {
    dc.unsubscribe("http.server.request.start", gate);
    g.__tehRoleGate = undefined;
  };
  g.__tehRoleGate = uninstall;
  return uninstall;
}
