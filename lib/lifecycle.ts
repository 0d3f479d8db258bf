import { env } from "@/lib/env";
import { logger } from "@/lib/log";

/**
 * Graceful shutdown of a production server process. Modules register what they must stop with
 * `onShutdown(name, fn)`; on SIGTERM or SIGINT the steps run one at a time in reverse order of
 * registration (what started last stops first), then the steps marked `last` (the database pool),
 * all within SHUTDOWN_TIMEOUT_MS. Every step is logged with its duration.
 *
 * Under `next start`, Next's own signal handler stops accepting connections, waits for the
 * requests in flight (Inngest steps are requests to /api/inngest) and then calls `process.exit`.
 * That exit is held back while the app's steps run, and the `last` steps wait for it: the
 * database pool closes only once no request can still use it. Without such a handler (a script)
 * the `last` steps follow the others at once. The process then exits with the code Next asked for
 * (143 after SIGTERM), else 0; with 1 when a step failed or the timeout passed.
 */
type Step = { name: string; fn: () => unknown; last: boolean };

type State = { steps: Step[]; installed: boolean; running: Promise<ShutdownResult> | null };

const g = globalThis as unknown as { __tehLifecycle?: State };
// One registry per process, even when Next bundles this module into several chunks.
g.__tehLifecycle ??= { steps: [], installed: false, running: null };
const state: State = g.__tehLifecycle;

type ShutdownResult = { ok: boolean; ms: number };

/** Registers a shutdown step; returns a function that removes it (e.g. once a task has finished). */
export function onShutdown(name: string, fn: () => unknown, opts: { last?: boolean } = {}): () => void {
  const step: Step = { name, fn, last: opts.last ?? false };
  state.steps.push(step);
  return () => {
    const i = state.steps.indexOf(step);
    if (i >= 0) state.steps.splice(i, 1);
  };
}

/** The registered steps' names, in the order a shutdown runs them. */
export function shutdownSteps(): string[] {
  return inOrder().map((s) => s.name);
}

const inOrder = (): Step[] => [
  ...state.steps.filter((s) => !s.last).reverse(),
  ...state.steps.filter((s) => s.last).reverse(),
];

/**
 * Runs every step once (later calls return the same result). `beforeLast` is awaited between the
 * ordinary steps and the `last` ones (the HTTP server draining its requests).
 */
function shutdown(
  reason: string,
  opts: { timeoutMs?: number; beforeLast?: { name: string; done: Promise<unknown> } } = {},
): Promise<ShutdownResult> {
  state.running ??= run(reason, opts.timeoutMs ?? env.SHUTDOWN_TIMEOUT_MS, opts.beforeLast);
  return state.running;
}

async function run(
  reason: string,
  timeoutMs: number,
  beforeLast?: { name: string; done: Promise<unknown> },
): Promise<ShutdownResult> {
  const started = Date.now();
  const steps = inOrder();
  const first = steps.filter((s) => !s.last);
  const order = [
    ...first,
    ...(beforeLast ? [{ name: beforeLast.name, fn: () => beforeLast.done, last: false }] : []),
    ...steps.filter((s) => s.last),
  ];
  logger.info({ reason, timeoutMs, steps: order.map((s) => s.name) }, "shutting down");
  let ok = true;
  for (const step of order) {
    const left = timeoutMs - (Date.now() - started);
    const t0 = Date.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      const outcome = await Promise.race([
        Promise.resolve()
          .then(step.fn)
          .then(() => "done" as const),
        new Promise<"timeout">((r) => {
          timer = setTimeout(() => r("timeout"), Math.max(0, left));
        }),
      ]);
      if (outcome === "timeout") {
        const rest = order.slice(order.indexOf(step)).map((s) => s.name);
        logger.error(
          { step: step.name, notStopped: rest, timeoutMs },
          `shutdown timed out after ${timeoutMs} ms waiting for ${step.name}`,
        );
        return { ok: false, ms: Date.now() - started };
      }
      logger.info({ step: step.name, ms: Date.now() - t0 }, `stopped ${step.name}`);
    } catch (e) {
      ok = false;
      logger.error(
        { step: step.name, err: e instanceof Error ? e.message : String(e) },
        `shutdown step ${step.name} failed`,
      );
    } finally {
      clearTimeout(timer);
    }
  }
  const ms = Date.now() - started;
  logger.info({ ms, ok }, "shutdown complete");
  return { ok, ms };
}

/**
 * Hooks SIGTERM and SIGINT once (production servers: instrumentation.ts). A second signal during
 * shutdown changes nothing; the timeout still bounds it.
 */
export function installShutdownHandlers(): void {
  if (state.installed) return;
  state.installed = true;
  const handler = (signal: NodeJS.Signals) => {
    if (state.running) return;
    // Another listener (next start's) owns the exit: it calls process.exit once its server has
    // finished the requests in flight. Hold that exit until the app's steps are done.
    const othersListen = process.listeners(signal).some((l) => l !== handler);
    const exit = process.exit.bind(process);
    let asked: number | undefined;
    let exitAsked: () => void = () => {};
    const drained = new Promise<void>((r) => {
      exitAsked = r;
    });
    if (othersListen)
      process.exit = ((code?: number | string | null) => {
        asked = code == null ? 0 : Number(code);
        exitAsked();
      }) as typeof process.exit;
    void shutdown(signal, {
      beforeLast: othersListen ? { name: "HTTP requests in flight", done: drained } : undefined,
    }).then((r) => exit(r.ok ? (asked ?? 0) : 1));
  };
  process.on("SIGTERM", handler);
  process.on("SIGINT", handler);
}
