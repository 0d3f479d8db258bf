import type { Translate } from "@/lib/i18n";
import { busyIfDbTimeout, isAppError } from "@/lib/errors";
import { logger } from "@/lib/log";
import { formatInteger } from "@/lib/format";
import { addressReasonKey, errorKey } from "@/lib/format/errors";

/**
 * AppErrors from lib/* → a localized sentence and localized field errors. Which message each code
 * (and variant) shows is the error catalogue's (lib/format/errors); this only adds variables and
 * puts the sentence on the right form fields. Anything
 * that is not an AppError is logged and shown as a generic sentence, never its text.
 */
type LocalizedError = {
  code: string;
  message: string;
  fields: Record<string, string>;
  /** With `no_capacity`: the largest amount the pool can deliver now (decimal string). */
  maxEnergy?: string;
};

export function addressReasonMessage(t: Translate, reason: unknown): string {
  return t(addressReasonKey("portal", reason));
}

export function localizeError(
  e: unknown,
  t: Translate,
  fieldAlias: Record<string, string> = {},
): LocalizedError {
  e = busyIfDbTimeout(e);
  if (!isAppError(e)) {
    logger.error({ err: e }, "portal: unexpected error");
    return { code: "internal", message: t(errorKey("portal", "internal")), fields: {} };
  }
  const reason = e.details?.reason;
  const fieldNames = Object.keys(e.fields ?? {}).map((f) => fieldAlias[f] ?? f);
  const onFields = (m: string) => Object.fromEntries(fieldNames.map((f) => [f, m]));
  const key = (variant?: string | null) => errorKey("portal", e.code, variant);
  let message: string;
  switch (e.code) {
    case "invalid_address":
      message = addressReasonMessage(t, reason);
      return { code: e.code, message, fields: onFields(message) };
    case "energy_out_of_range": {
      const min = e.details?.min;
      const max = e.details?.max;
      message =
        typeof min === "number" && typeof max === "number"
          ? t(key("range"), { min: formatInteger(min), max: formatInteger(max) })
          : t(key());
      return { code: e.code, message, fields: onFields(message) };
    }
    case "conflict":
      if (reason === "duplicate") {
        message = t(key("duplicate"));
        return { code: e.code, message, fields: { [fieldAlias.address ?? "address"]: message } };
      }
      if (reason === "limit") {
        const max = e.details?.max;
        return { code: e.code, message: t(key("limit"), { max: String(max ?? 20) }), fields: {} };
      }
      return { code: e.code, message: t(key()), fields: {} };
    case "bad_request":
      if (reason === "label_too_long") {
        message = t(key("label_too_long"), { max: 64 });
        return { code: e.code, message, fields: { label: message } };
      }
      return { code: e.code, message: t(key()), fields: {} };
    case "invalid_state":
      if (reason === "key_limit")
        return {
          code: e.code,
          message: t(key("key_limit"), { max: String(e.details?.max ?? "") }),
          fields: {},
        };
      return { code: e.code, message: t(key()), fields: {} };
    case "unknown_duration":
    case "not_activated":
      message = t(key());
      return { code: e.code, message, fields: onFields(message) };
    case "no_capacity": {
      const max = String(e.details?.maxEnergy ?? "0");
      if (!/^[1-9]\d*$/.test(max)) return { code: e.code, message: t(key()), fields: {} };
      message = t(key("max"), { max: formatInteger(BigInt(max)) });
      return { code: e.code, message, fields: { [fieldAlias.energy ?? "energy"]: message }, maxEnergy: max };
    }
    default:
      return { code: e.code, message: t(key()), fields: {} };
  }
}
