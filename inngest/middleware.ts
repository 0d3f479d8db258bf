import { Middleware } from "inngest";
import { type LogContext, withLogContext } from "@/lib/log";
import { jobErrors } from "@/lib/metrics";

const idOf = (v: unknown): number | undefined =>
  typeof v === "number" && Number.isSafeInteger(v) ? v : undefined;

/** The log context of one run: the function, the run, and the order / delegation its event names. */
function runContext(arg: {
  ctx: { runId: string; event: { data?: unknown } };
  fn: { id(): string };
}): LogContext {
  const data = (arg.ctx.event.data ?? {}) as Record<string, unknown>;
  return {
    fn: arg.fn.id(),
    runId: arg.ctx.runId,
    orderId: idOf(data.orderId),
    delegationId: idOf(data.delegationId),
  };
}

/**
 * Client middleware for every Inngest function: every log line of a run carries the run's ids
 * (lib/log `withLogContext`), and runs and steps that threw are counted (`teh_job_errors_total`,
 * by function id).
 */
export class ObserveMiddleware extends Middleware.BaseMiddleware {
  readonly id = "teh-observe";

  override wrapFunctionHandler(arg: Middleware.WrapFunctionHandlerArgs): Promise<unknown> {
    return withLogContext(runContext(arg), () => arg.next());
  }

  override wrapStepHandler(arg: Middleware.WrapStepHandlerArgs): Promise<unknown> {
    return withLogContext(runContext(arg), () => arg.next());
  }

  override onRunError(arg: Middleware.OnRunErrorArgs): void {
    jobErrors.inc({ function: arg.fn.id(), kind: "run", final: String(arg.isFinalAttempt) });
  }

  override onStepError(arg: Middleware.OnStepErrorArgs): void {
    jobErrors.inc({ function: arg.fn.id(), kind: "step", final: String(arg.isFinalAttempt) });
  }
}
