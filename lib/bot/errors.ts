import { isAppError } from "@/lib/errors";
import { isAddressRefusal } from "@/lib/tron/address";
import type { Locale } from "@/lib/locale";
import { tr } from "./i18n";

/** The localized reason an address was refused (details.reason from lib/tron/address). */
export function addressReason(l: Locale, e: unknown): string | null {
  if (!isAppError(e) || e.code !== "invalid_address") return null;
  const reason = e.details?.reason;
  return tr(l, isAddressRefusal(reason) ? `addr-${reason.replace(/_/g, "-")}` : "addr-invalid");
}

/** Localized text for a known business error, or null (then it is a system error). */
export function businessError(l: Locale, e: unknown): string | null {
  if (!isAppError(e)) return null;
  const a = addressReason(l, e);
  if (a) return a;
  switch (e.code) {
    case "maintenance":
      return tr(l, "err-maintenance");
    case "insufficient_balance":
      return tr(l, "err-insufficient");
    case "not_activated":
      return tr(l, "err-not-activated");
    case "energy_out_of_range":
      return tr(l, "err-energy-range");
    case "unknown_duration":
      return tr(l, "err-duration");
    case "no_capacity":
      return tr(l, "err-no-capacity");
    case "provider_unavailable":
    case "chain_error":
      return tr(l, "err-chain");
    case "forbidden":
      return tr(l, "banned");
    case "not_found":
      return tr(l, "err-not-found");
    case "invalid_state":
      return tr(l, "err-invalid-state");
    case "idempotency_conflict":
      return tr(l, "err-stale-quote");
    default:
      return null;
  }
}
