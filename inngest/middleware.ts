import { Middleware } from "inngest";
import { jobErrors } from "@/lib/metrics";

/**
 * Client middleware for every Inngest function: counts runs and steps that threw
 * (`teh_job_errors_total`), by function id.
 */
export class ObserveMiddleware extends Middleware.BaseMiddleware {
  readonly id = "teh-observe";

  override onRunError(arg: Middleware.OnRunErrorArgs): void {
    jobErrors.inc({ function: arg.fn.id(), kind: "run", final: String(arg.isFinalAttempt) });
  }

  override onStepError(arg: Middleware.OnStepErrorArgs): void {
    jobErrors.inc({ function: arg.fn.id(), kind: "step", final: String(arg.isFinalAttempt) });
  }
}
