import { busyIfDbTimeout, isAppError } from "@/lib/errors";
import { errorKey } from "@/lib/format/errors";
import { translator } from "@/lib/i18n";
import type { Locale } from "@/lib/locale";
import { logger } from "@/lib/log";
import type { ActionState } from "./action-state";

/**
 * A thrown value → the failed state of an admin form, in the console's language: the catalogue's
 * sentence for the code (lib/format/errors), plus the library's own sentence as `detail` (English,
 * specific: "Admin not found.", "The authenticator code is not right.") when it says more. An error
 * that is not an AppError is logged and never shown.
 */
export function adminFailure(thrown: unknown, locale: Locale): Extract<ActionState, { status: "failed" }> {
  const t = translator(locale);
  const e = busyIfDbTimeout(thrown);
  if (!isAppError(e)) {
    logger.error({ err: e }, "admin action failed");
    return { status: "failed", code: "internal", message: t(errorKey("admin", "internal")) };
  }
  const message = t(errorKey("admin", e.code));
  return {
    status: "failed",
    code: e.code,
    message,
    ...(e.message && e.message !== message ? { detail: e.message } : {}),
    ...(e.fields ? { fields: e.fields } : {}),
  };
}
