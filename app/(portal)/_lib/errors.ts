import type { MessageKey, Translate } from "@/lib/i18n";
import { busyIfDbTimeout, isAppError } from "@/lib/errors";
import { logger } from "@/lib/log";
import { formatInteger } from "@/lib/money";
import { isAddressRefusal } from "@/lib/tron/address";

/**
 * AppErrors from lib/* → a localized sentence and localized field errors. The library messages are
 * English; the portal speaks zh and en, so it maps stable codes and reasons to its own copy. Anything
 * that is not an AppError is logged and shown as a generic sentence, never its text.
 */
export type LocalizedError = {
  code: string;
  message: string;
  fields: Record<string, string>;
  /** With `no_capacity`: the largest amount the pool can deliver now (decimal string). */
  maxEnergy?: string;
};

export function addressReasonMessage(t: Translate, reason: unknown): string {
  return isAddressRefusal(reason) ? t(`address.${reason}` as MessageKey) : t("address.bad_length");
}

export function localizeError(
  e: unknown,
  t: Translate,
  fieldAlias: Record<string, string> = {},
): LocalizedError {
  e = busyIfDbTimeout(e);
  if (!isAppError(e)) {
    logger.error({ err: e }, "portal: unexpected error");
    return { code: "internal", message: t("error.generic"), fields: {} };
  }
  const reason = e.details?.reason;
  const fieldNames = Object.keys(e.fields ?? {}).map((f) => fieldAlias[f] ?? f);
  const onFields = (m: string) => Object.fromEntries(fieldNames.map((f) => [f, m]));
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
          ? t("error.energy_out_of_range", { min: formatInteger(min), max: formatInteger(max) })
          : t("error.energy_whole");
      return { code: e.code, message, fields: onFields(message) };
    }
    case "conflict":
      if (reason === "duplicate") {
        message = t("error.wallet_duplicate");
        return { code: e.code, message, fields: { [fieldAlias.address ?? "address"]: message } };
      }
      if (reason === "limit") {
        const max = e.details?.max;
        return { code: e.code, message: t("error.wallet_limit", { max: String(max ?? 20) }), fields: {} };
      }
      return { code: e.code, message: t("error.generic"), fields: {} };
    case "bad_request":
      if (reason === "label_too_long") {
        message = t("error.label_too_long", { max: 64 });
        return { code: e.code, message, fields: { label: message } };
      }
      return { code: e.code, message: t("error.generic"), fields: {} };
    case "unknown_duration":
      message = t("error.unknown_duration");
      return { code: e.code, message, fields: onFields(message) };
    case "not_activated":
      message = t("error.not_activated");
      return { code: e.code, message, fields: onFields(message) };
    case "no_capacity": {
      const max = String(e.details?.maxEnergy ?? "0");
      if (!/^[1-9]\d*$/.test(max)) return { code: e.code, message: t("error.no_capacity"), fields: {} };
      message = t("error.no_capacity_max", { max: formatInteger(BigInt(max)) });
      return { code: e.code, message, fields: { [fieldAlias.energy ?? "energy"]: message }, maxEnergy: max };
    }
    case "not_found":
    case "unauthorized":
    case "forbidden":
    case "maintenance":
    case "insufficient_balance":
    case "idempotency_conflict":
    case "provider_unavailable":
    case "rate_limited":
    case "busy":
      return { code: e.code, message: t(`error.${e.code}` as MessageKey), fields: {} };
    default:
      return { code: e.code, message: t("error.generic"), fields: {} };
  }
}
