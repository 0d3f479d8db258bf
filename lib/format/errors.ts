import type { ErrorCode } from "@/lib/errors";
import type { AdminKey, BotKey, PortalKey } from "@/lib/i18n/keys.generated";
import { type AddressRefusal, isAddressRefusal } from "@/lib/tron/address";

/**
 * The error catalogue: the one place that says what each AppError code means to a person, on each
 * surface. It maps a code (and, where a surface says more, a variant of it) to a message id in
 * that surface's Fluent catalogue (lib/i18n/locales/<locale>/<surface>.ftl), where the zh and en
 * texts live:
 *
 *   bot    → an id of bot.ftl (the bot may suggest a command)
 *   portal → an id of portal.ftl (the portal may point to a page)
 *   admin  → an id of admin.ftl (operators also see the library's own sentence)
 *
 * Ids, not texts, because every surface translates through lib/i18n with its own locale, and the
 * portal's client components read the same ids. The surfaces' mappers (lib/bot/errors, app/(portal)/_lib/errors, app/admin/_components/errors) only
 * pick variables and fields; a test checks that every code has a message in every locale for
 * every surface. The reseller API does not use this: it answers with the stable `code` and the
 * library's English `message` (machine format).
 */
export const surfaces = ["bot", "portal", "admin"] as const;
type Surface = (typeof surfaces)[number];

type Keys = { bot: BotKey; portal: PortalKey; admin: AdminKey };
type Entry = Keys & {
  /** Sharper messages when the error carries more (`details`): variant name → keys per surface. */
  variants?: Record<string, Partial<Keys>>;
};

export const errorCatalogue: Record<ErrorCode, Entry> = {
  bad_request: {
    bot: "err-bad-request",
    portal: "error-generic",
    admin: "admin-error-bad_request",
    variants: { label_too_long: { portal: "error-label_too_long" } },
  },
  invalid_amount: { bot: "err-invalid-amount", portal: "error-generic", admin: "admin-error-invalid_amount" },
  invalid_address: {
    bot: "addr-invalid",
    portal: "address-bad_length",
    admin: "admin-error-invalid_address",
  },
  not_activated: {
    bot: "err-not-activated",
    portal: "error-not_activated",
    admin: "admin-error-not_activated",
  },
  unauthorized: { bot: "err-unauthorized", portal: "error-unauthorized", admin: "admin-error-unauthorized" },
  forbidden: { bot: "banned", portal: "error-forbidden", admin: "admin-error-forbidden" },
  not_found: { bot: "err-not-found", portal: "error-not_found", admin: "admin-error-not_found" },
  conflict: {
    bot: "err-conflict",
    portal: "error-generic",
    admin: "admin-error-conflict",
    variants: { duplicate: { portal: "error-wallet_duplicate" }, limit: { portal: "error-wallet_limit" } },
  },
  idempotency_conflict: {
    bot: "err-stale-quote",
    portal: "error-idempotency_conflict",
    admin: "admin-error-idempotency_conflict",
  },
  insufficient_balance: {
    bot: "err-insufficient",
    portal: "error-insufficient_balance",
    admin: "admin-error-insufficient_balance",
  },
  rate_limited: { bot: "rate-limited", portal: "error-rate_limited", admin: "admin-error-rate_limited" },
  maintenance: { bot: "err-maintenance", portal: "error-maintenance", admin: "admin-error-maintenance" },
  energy_out_of_range: {
    bot: "err-energy-range",
    portal: "error-energy_whole",
    admin: "admin-error-energy_out_of_range",
    variants: { range: { bot: "err-energy-range-n", portal: "error-energy_out_of_range" } },
  },
  unknown_duration: {
    bot: "err-duration",
    portal: "error-unknown_duration",
    admin: "admin-error-unknown_duration",
  },
  invalid_state: {
    bot: "err-invalid-state",
    portal: "error-generic",
    admin: "admin-error-invalid_state",
    variants: { key_limit: { portal: "error-key_limit" } },
  },
  no_capacity: {
    bot: "err-no-capacity",
    portal: "error-no_capacity",
    admin: "admin-error-no_capacity",
    variants: { max: { bot: "err-no-capacity-max", portal: "error-no_capacity_max" } },
  },
  quote_expired: { bot: "err-quote-expired", portal: "error-quote_expired", admin: "admin-error-quote_expired" },
  quote_invalid: { bot: "err-quote-invalid", portal: "error-quote_invalid", admin: "admin-error-quote_invalid" },
  chain_error: { bot: "err-chain", portal: "error-provider_unavailable", admin: "admin-error-chain_error" },
  provider_unavailable: {
    bot: "err-chain",
    portal: "error-provider_unavailable",
    admin: "admin-error-provider_unavailable",
  },
  payload_too_large: {
    bot: "err-too-large",
    portal: "error-generic",
    admin: "admin-error-payload_too_large",
  },
  busy: { bot: "err-busy", portal: "error-busy", admin: "admin-error-busy" },
  internal: { bot: "error-internal", portal: "error-generic", admin: "admin-error-internal" },
};

/** The message key for `code` on `surface`; a variant the surface does not refine falls back to the code's. */
export function errorKey<S extends Surface>(surface: S, code: ErrorCode, variant?: string | null): Keys[S] {
  const e = errorCatalogue[code];
  const v = variant ? e.variants?.[variant]?.[surface] : undefined;
  return (v ?? e[surface]) as Keys[S];
}

/**
 * Why an address was refused (`details.reason` of `invalid_address`) → its key; an unknown reason
 * gets the code's own message. Bot ids are "addr-bad-length", portal ids "address-bad_length".
 */
export function addressReasonKey<S extends Surface>(surface: S, reason: unknown): Keys[S] {
  if (!isAddressRefusal(reason) || surface === "admin") return errorKey(surface, "invalid_address");
  const r: AddressRefusal = reason;
  return (surface === "bot" ? `addr-${r.replace(/_/g, "-")}` : `address-${r}`) as Keys[S];
}
