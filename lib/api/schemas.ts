import "zod-openapi";
import { z } from "zod";

/**
 * The reseller API contract: request schemas (the routes parse with them) and response schemas
 * (the serializers are typed from them and the contract tests parse real responses with them).
 * The OpenAPI document (lib/api/openapi.ts) is generated from these same objects.
 */

// ------------------------------------------------------------------------------- errors

/** Every error code the API answers with. Stable: integrators match on them. */
export const apiErrorCodes = [
  "bad_request",
  "invalid_address",
  "not_activated",
  "energy_out_of_range",
  "unknown_duration",
  "unauthorized",
  "forbidden",
  "not_found",
  "idempotency_conflict",
  "invalid_state",
  "insufficient_balance",
  "rate_limited",
  "maintenance",
  "no_capacity",
  "quote_expired",
  "quote_invalid",
  "provider_unavailable",
  "payload_too_large",
  "busy",
  "internal",
  "conflict",
  "invalid_amount",
] as const;
export type ApiErrorCode = (typeof apiErrorCodes)[number];

export const apiErrorDescriptions: Record<ApiErrorCode, { status: number; description: string }> = {
  bad_request: {
    status: 400,
    description: "A parameter or body field is missing or invalid (see `fields`).",
  },
  invalid_address: { status: 400, description: "An address is not a valid TRON address (see `fields`)." },
  not_activated: { status: 400, description: "The receiver address is not activated on TRON yet." },
  energy_out_of_range: { status: 400, description: "Energy is outside the offered range." },
  unknown_duration: { status: 400, description: "The duration is not offered." },
  unauthorized: { status: 401, description: "No API key, an unknown key, or a revoked key." },
  forbidden: { status: 403, description: "The account is suspended: its keys read and change nothing." },
  not_found: { status: 404, description: "No such order for this API key's owner." },
  idempotency_conflict: {
    status: 409,
    description: "This Idempotency-Key was already used with a different request body.",
  },
  invalid_state: { status: 409, description: "The order is not in a state that allows this action." },
  insufficient_balance: { status: 402, description: "The account balance does not cover the price." },
  rate_limited: { status: 429, description: "Too many requests for this key; wait `Retry-After` seconds." },
  maintenance: { status: 503, description: "Ordering is paused for maintenance." },
  no_capacity: {
    status: 503,
    description:
      "The pool cannot deliver this much energy now; the message (and `fields.energy`) names the largest amount it can.",
  },
  quote_expired: {
    status: 409,
    description:
      "The `quote_id` sent with the order has expired: nothing was charged; `quote` holds a fresh quote to confirm.",
  },
  quote_invalid: {
    status: 409,
    description:
      "The `quote_id` is not one of ours, was altered, or was made for another energy, duration or account: nothing was charged; `quote` holds a fresh quote.",
  },
  provider_unavailable: { status: 503, description: "The TRON network data provider is not answering." },
  payload_too_large: {
    status: 413,
    description: "The request body is larger than the endpoint reads (16 KiB; 128 KiB for batches).",
  },
  busy: {
    status: 503,
    description: "The service is overloaded for a moment (a database wait timed out); safe to retry.",
  },
  internal: { status: 500, description: "Something went wrong on our side; safe to retry." },
  conflict: {
    status: 409,
    description: "It clashes with what exists (e.g. a live subscription for the same address).",
  },
  invalid_amount: { status: 400, description: "An amount is out of range (see `fields`)." },
};

export const errorSchema = z
  .object({
    error: z.object({
      code: z.enum(apiErrorCodes).meta({ description: "Stable machine-readable code." }),
      message: z.string().meta({ description: "Human-readable, safe to show to your user." }),
      fields: z
        .record(z.string(), z.string())
        .optional()
        .meta({ description: "Invalid inputs: field name → what is wrong with it." }),
      quote: z.record(z.string(), z.unknown()).optional().meta({
        description: "With `quote_expired` and `quote_invalid`: a fresh quote (a Price object) to confirm instead.",
      }),
    }),
  })
  .meta({ id: "Error", example: { error: { code: "bad_request", message: "…", fields: { energy: "…" } } } });

// ------------------------------------------------------------------------------- shared pieces

const sun = z
  .string()
  .regex(/^\d+$/)
  .meta({ description: "Amount in sun (1 TRX = 1,000,000 sun) as a decimal string.", example: "2925000" });
const time = z.iso
  .datetime()
  .meta({ description: "ISO 8601 time (UTC).", example: "2026-01-01T12:00:00.000Z" });
const address = z
  .string()
  .meta({ description: "TRON address (Base58, T…).", example: "TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE" });

const required = (what: string, typeMessage: string) => (iss: { input?: unknown }) =>
  iss.input === undefined ? `${what} is required.` : typeMessage;

// ------------------------------------------------------------------------------- price

export const priceQuerySchema = z.object({
  energy: z
    .string({ error: "Energy is required." })
    .regex(/^\d{1,12}$/, "Energy must be a positive whole number.")
    .meta({ description: "Energy to rent (whole number, within the offered range).", example: "65000" }),
  duration: z
    .string({ error: "Duration is required." })
    .min(1, "Duration is required.")
    .max(8)
    .meta({ description: 'Rental duration key, e.g. "1h", "1d", "3d".', example: "1h" }),
  address: z
    .string()
    .max(100)
    .optional()
    .meta({ description: "Optional energy receiver: validated, and whether it is activated on TRON." }),
  usdt_to: z.string().max(100).optional().meta({
    description:
      "Optional address your user will send USDT to: the suggested energy is 65k when it already holds USDT, 131k when it holds none.",
  }),
});

export const priceResponseSchema = z
  .object({
    energy: z.number().int(),
    duration: z.string(),
    duration_seconds: z.number().int(),
    unit_price_sun: sun,
    fee_sun: sun,
    price_sun: sun,
    burn_price_sun: sun,
    burn_sun: sun.meta({ description: "What the same energy would burn in TRX without renting, in sun." }),
    saving_sun: sun,
    saving_percent: z.number().int(),
    burn_price_live: z
      .boolean()
      .meta({ description: "`burn_price_sun` was read from the chain now (its getEnergyFee parameter)." }),
    base_price_sun: sun.meta({ description: "Energy × unit price, before the utilisation curve and discounts." }),
    discount_sun: sun.meta({ description: "What the volume and reseller discounts took off the price." }),
    volume_discount_percent: z.number().int().meta({ description: "The volume discount reached by this energy." }),
    reseller_discount_percent: z
      .number()
      .int()
      .meta({ description: "The discount for orders placed through this API." }),
    quote_id: z.string().optional().meta({
      description:
        "Send it as `quote_id` with POST /orders before `expires_at` to be charged exactly `price_sun`.",
    }),
    expires_at: time.optional().meta({ description: "Until when `quote_id` holds the price." }),
    receiver: z
      .object({ address, activated: z.boolean() })
      .optional()
      .meta({ description: "Present when `address` was given." }),
    usdt: z
      .object({
        to: address,
        holds_usdt: z.boolean(),
        suggested_energy: z.number().int(),
        reason: z.enum(["recipient_holds_usdt", "recipient_has_no_usdt"]),
      })
      .optional()
      .meta({ description: "Present when `usdt_to` was given." }),
  })
  .meta({ id: "Price" });
export type PriceJson = z.infer<typeof priceResponseSchema>;

// ------------------------------------------------------------------------------- account

export const accountSchema = z
  .object({
    balance_sun: sun,
    deposit_address: address.meta({ description: "Send TRX or USDT (TRC20) here to top up the balance." }),
    api_key: z.object({ prefix: z.string(), name: z.string(), rate_limit_per_minute: z.number().int() }),
  })
  .meta({ id: "Account" });
export type AccountJson = z.infer<typeof accountSchema>;

// ------------------------------------------------------------------------------- orders

export const orderStatuses = [
  "paid",
  "delegating",
  "active",
  "reclaiming",
  "completed",
  "failed",
  "cancelled",
  "refunded",
] as const;

const delegationSchema = z
  .object({
    energy: z.number().int(),
    status: z.enum(["pending", "delegated", "reclaiming", "reclaimed"]),
    txid: z.string().nullable().meta({ description: "The delegateResource transaction id." }),
    delegated_at: time.nullable(),
    expires_at: time.nullable(),
    reclaim_txid: z.string().nullable().meta({ description: "The undelegateResource transaction id." }),
    reclaimed_at: time.nullable(),
  })
  .meta({ id: "Delegation" });

export const orderSchema = z
  .object({
    id: z.string().regex(/^\d+$/).meta({ example: "10001" }),
    status: z.enum(orderStatuses).meta({
      description:
        "paid → delegating → active → reclaiming → completed; or failed / cancelled → refunded (a refund returns the price to the balance).",
    }),
    receiver: address,
    energy: z.number().int(),
    duration: z.string(),
    duration_seconds: z.number().int(),
    price_sun: sun,
    refunded_sun: sun,
    idempotency_key: z.string().nullable().meta({ description: "The Idempotency-Key it was created with." }),
    callback_url: z.string().nullable(),
    created_at: time,
    updated_at: time,
    delivered_at: time.nullable(),
    expires_at: time.nullable(),
    completed_at: time.nullable(),
    delegations: z.array(delegationSchema),
  })
  .meta({ id: "Order" });
export type OrderJson = z.infer<typeof orderSchema>;

export const orderListSchema = z
  .object({
    data: z.array(orderSchema),
    next_cursor: z
      .string()
      .nullable()
      .meta({ description: "Pass as `cursor` for the next page; null at the end." }),
  })
  .meta({ id: "OrderList" });
export type OrderListJson = z.infer<typeof orderListSchema>;

export const createOrderBodySchema = z
  .object({
    receiver: z
      .string({ error: required("Receiver", "Receiver must be a TRON address string.") })
      .min(1, "Receiver is required.")
      .max(100, "Receiver is too long.")
      .meta({ description: "The address that receives the energy (must be activated)." }),
    energy: z
      .number({ error: required("Energy", "Energy must be a whole number.") })
      .int("Energy must be a whole number.")
      .positive("Energy must be greater than zero.")
      .meta({ example: 65000 }),
    duration: z
      .string({ error: required("Duration", 'Duration must be a string such as "1h".') })
      .min(1, "Duration is required.")
      .max(8, "Unknown duration.")
      .meta({ example: "1h" }),
    callback_url: z
      .string({ error: "Callback URL must be a string." })
      .max(500, "Callback URL is too long.")
      .optional()
      .meta({ description: "http(s) URL that receives a signed POST on every status change." }),
    quote_id: z
      .string({ error: "quote_id must be a string." })
      .min(1, "quote_id is empty.")
      .max(600, "quote_id is too long.")
      .optional()
      .meta({
        description:
          "Optional `quote_id` from GET /price: the order is charged exactly that quote's price if it has not expired and matches the energy and duration; otherwise 409 `quote_expired` / `quote_invalid` with a fresh quote, nothing charged.",
      }),
  })
  .strict()
  .meta({ id: "CreateOrder" });
export type CreateOrderBody = z.infer<typeof createOrderBodySchema>;

export const idempotencyKeySchema = z
  .string({ error: "Send an Idempotency-Key header (1–100 printable characters) with every new order." })
  .regex(/^[\x21-\x7e]{1,100}$/, "Idempotency-Key must be 1–100 printable ASCII characters without spaces.")
  .meta({
    description:
      "Your unique id for this order. Repeating a request with the same key and body returns the same order (200) and charges once; the same key with another body answers 409.",
    example: "order-7f3c2a",
  });

export const orderIdParamsSchema = z.object({
  id: z
    .string()
    .regex(/^\d{1,18}$/, "Order id must be a number.")
    .meta({ description: "Order id.", example: "10001" }),
});

export const listOrdersQuerySchema = z.object({
  status: z.enum(orderStatuses, { error: `Status must be one of: ${orderStatuses.join(", ")}.` }).optional(),
  cursor: z
    .string()
    .regex(/^\d{1,18}$/, "Cursor must be a value from next_cursor.")
    .optional(),
  limit: z
    .string()
    .regex(/^\d{1,3}$/, "Limit must be a whole number from 1 to 100.")
    .refine((v) => Number(v) >= 1 && Number(v) <= 100, "Limit must be a whole number from 1 to 100.")
    .optional()
    .meta({ description: "Page size, 1–100 (default 20)." }),
});

// ------------------------------------------------------------------------------- batches

/** The most lines POST /batches reads at all; the operator's `batchMaxLines` setting may allow fewer. */
export const BATCH_LINES_HARD_MAX = 500;

const batchLineBodySchema = z
  .object({
    receiver: z
      .string({ error: required("Receiver", "Receiver must be a TRON address string.") })
      .max(100, "Receiver is too long.")
      .meta({ description: "The address that receives the energy (must be activated)." }),
    energy: z
      .number({ error: required("Energy", "Energy must be a whole number.") })
      .int("Energy must be a whole number.")
      .positive("Energy must be greater than zero.")
      .meta({ example: 65000 }),
    duration: z
      .string({ error: required("Duration", 'Duration must be a string such as "1h".') })
      .max(8, "Unknown duration.")
      .meta({ example: "1h" }),
  })
  .strict();

export const createBatchBodySchema = z
  .object({
    lines: z
      .array(batchLineBodySchema, { error: "Lines must be a list of {receiver, energy, duration}." })
      .min(1, "Add at least one line.")
      .max(BATCH_LINES_HARD_MAX, `A batch has at most ${BATCH_LINES_HARD_MAX} lines.`)
      .meta({
        description:
          "The receivers, each becoming one order, placed in this order. The operator's limit on lines per batch (100 by default) answers `bad_request` with `fields.lines`.",
      }),
  })
  .strict()
  .meta({ id: "CreateBatch" });
export type CreateBatchBody = z.infer<typeof createBatchBodySchema>;

export const batchLineSchema = z
  .object({
    line: z.number().int().meta({ description: "1-based position in the request's `lines`." }),
    receiver: z.string().meta({ description: "As sent." }),
    energy: z.number().int().nullable().meta({ description: "As sent (null if it was not a whole number)." }),
    duration: z.string(),
    status: z.enum(["pending", "ordered", "rejected"]).meta({
      description:
        "`ordered`: the line became `order` (debited once; its own status follows the order's life, and a failed order is refunded alone). `rejected`: nothing was charged for it (see `error`). `pending`: not placed yet (the batch is still being placed).",
    }),
    order: orderSchema.nullable(),
    error: z
      .object({
        code: z.string().meta({
          description:
            "Why the line was rejected: `invalid_address`, `not_activated`, `energy_out_of_range`, `unknown_duration`, `insufficient_balance`, `no_capacity`, `maintenance`, `duplicate_receiver` (the receiver is in an earlier line), …",
          example: "insufficient_balance",
        }),
        message: z.string(),
      })
      .nullable(),
  })
  .meta({ id: "BatchLine" });

export const batchSchema = z
  .object({
    id: z.string().regex(/^\d+$/).meta({ example: "1001" }),
    status: z.enum(["placing", "placed"]).meta({
      description:
        "`placed` once every line is ordered or rejected; `placing` while lines are still pending.",
    }),
    idempotency_key: z.string().nullable().meta({ description: "The Idempotency-Key it was created with." }),
    line_count: z.number().int(),
    ordered_count: z.number().int(),
    rejected_count: z.number().int(),
    total_energy: z.number().int().meta({ description: "Energy of the ordered lines." }),
    total_price_sun: sun.meta({ description: "What the ordered lines were charged, in sun." }),
    refunded_sun: sun.meta({ description: "What has been refunded of the ordered lines so far." }),
    created_at: time,
    placed_at: time.nullable(),
    lines: z.array(batchLineSchema),
  })
  .meta({ id: "Batch" });
export type BatchJson = z.infer<typeof batchSchema>;

export const batchIdParamsSchema = z.object({
  id: z
    .string()
    .regex(/^\d{1,18}$/, "Batch id must be a number.")
    .meta({ description: "Batch id.", example: "1001" }),
});

// ------------------------------------------------------------------------------- callbacks

export const callbackPayloadSchema = z
  .object({
    id: z
      .string()
      .meta({ description: "Event id (evt_<n>): the same on every retry; use it to de-duplicate." }),
    type: z.literal("order.updated"),
    created_at: time,
    order: orderSchema,
  })
  .meta({ id: "OrderCallback" });
export type CallbackPayload = z.infer<typeof callbackPayloadSchema>;

// ------------------------------------------------------------------------------- pay by transfer

export const transferOffersQuerySchema = z.object({
  lang: z
    .enum(["en", "zh"], { error: "lang is en or zh." })
    .default("en")
    .meta({ description: "Language of the `label` texts." }),
});

export const transferOffersResponseSchema = z
  .object({
    enabled: z.boolean().meta({ description: "False while the operator has paused pay by transfer." }),
    address: address.meta({
      description:
        "The rental address: send exactly one offer's amount of TRX here from the wallet that should receive the energy.",
    }),
    offers: z.array(
      z.object({
        amount_sun: sun,
        energy: z.number().int(),
        duration: z.string(),
        duration_seconds: z.number().int(),
        label: z.string().meta({ description: "The offer in words, in `lang`." }),
      }),
    ),
    risk_cap_sun: sun.meta({
      description:
        "Payments up to this are delivered from the block they appear in; larger ones once it is solidified (about a minute).",
    }),
    refund_fee_sun: sun.meta({
      description:
        "Kept from an on-chain refund of an amount that matches no offer (or cannot be delivered).",
    }),
  })
  .meta({ id: "TransferOffers" });
export type TransferOffersJson = z.infer<typeof transferOffersResponseSchema>;
// ------------------------------------------------------------------------------- keep-energy subscriptions

export const subscriptionStatuses = ["active", "paused", "exhausted", "ended", "cancelled"] as const;

const topupSchema = z
  .object({
    order_id: z.string().regex(/^\d+$/),
    energy: z.number().int(),
    price_sun: sun,
    refunded_sun: sun,
    status: z.enum(orderStatuses),
    created_at: time,
  })
  .meta({ id: "SubscriptionTopup" });

export const subscriptionSchema = z
  .object({
    id: z.string().regex(/^\d+$/).meta({ example: "12" }),
    status: z.enum(subscriptionStatuses).meta({
      description:
        "active: topped up when below `min_energy`; paused; exhausted: the budget cannot pay another top-up; ended: past `ends_at`; cancelled.",
    }),
    address: address,
    min_energy: z.number().int().meta({ description: "Energy kept available on the address." }),
    budget_sun: sun,
    spent_sun: sun.meta({ description: "Net price of the top-ups so far (refunds deducted)." }),
    topups: z.number().int(),
    top_up_pending: z.boolean().meta({ description: "A top-up is being delegated now." }),
    energy_available: z
      .number()
      .int()
      .nullable()
      .meta({ description: "Available energy at the last chain read (null before the first)." }),
    checked_at: time.nullable(),
    last_error: z
      .string()
      .nullable()
      .meta({ description: "Why the last due top-up could not be placed; retried every minute." }),
    ends_at: time,
    created_at: time,
    recent_topups: z
      .array(topupSchema)
      .optional()
      .meta({ description: "In GET /subscriptions/{id}: the latest top-ups." }),
  })
  .meta({ id: "Subscription" });
export type SubscriptionJson = z.infer<typeof subscriptionSchema>;

export const subscriptionListSchema = z
  .object({ data: z.array(subscriptionSchema) })
  .meta({ id: "SubscriptionList" });

export const createSubscriptionBodySchema = z
  .object({
    address: z
      .string({ error: required("Address", "Address must be a TRON address string.") })
      .min(1, "Address is required.")
      .max(100, "Address is too long.")
      .meta({ description: "The address to keep supplied (must be activated)." }),
    min_energy: z
      .number({ error: required("min_energy", "min_energy must be a whole number.") })
      .int("min_energy must be a whole number.")
      .positive("min_energy must be greater than zero.")
      .meta({ example: 65000, description: "Keep at least this much energy available." }),
    days: z
      .number({ error: required("days", "days must be a whole number.") })
      .int("days must be a whole number.")
      .positive("days must be at least 1.")
      .max(3650, "days is too large.")
      .meta({ example: 7 }),
    budget_sun: z
      .string({ error: required("budget_sun", "budget_sun must be a decimal string of sun.") })
      .regex(/^\d{1,18}$/, "budget_sun must be a whole number of sun as a string.")
      .meta({ example: "50000000", description: "The most all top-ups together may cost." }),
  })
  .strict()
  .meta({ id: "CreateSubscription" });
export type CreateSubscriptionBody = z.infer<typeof createSubscriptionBodySchema>;

export const subscriptionIdParamsSchema = z.object({
  id: z
    .string()
    .regex(/^\d{1,9}$/, "Subscription id must be a number.")
    .meta({ description: "Subscription id.", example: "12" }),
});

// ------------------------------------------------------------------------------- per-transfer packages

export const packageStatuses = ["active", "completed", "expired"] as const;

const packageUseSchema = z
  .object({
    txid: z.string().regex(/^[0-9a-f]{64}$/),
    block: z.number().int(),
    energy_used: z
      .number()
      .int()
      .nullable()
      .meta({ description: "Energy the transfer used, from its receipt (null until read)." }),
    tx_url: z.string().nullable().meta({ description: "The transfer on a block explorer." }),
    counted_at: time,
  })
  .meta({ id: "PackageUse" });

export const packageSchema = z
  .object({
    id: z.string().regex(/^\d+$/).meta({ example: "7" }),
    status: z.enum(packageStatuses).meta({
      description:
        "active: the address is kept supplied for its next transfer; completed: all transfers counted; expired: past `ends_at` (the unused share refunded by `refund_percent`).",
    }),
    address: address,
    transfers: z.number().int().meta({ description: "Transfers bought." }),
    used: z.number().int().meta({ description: "Outgoing USDT transfers counted from the chain." }),
    remaining: z.number().int(),
    price_sun: sun,
    refund_percent: z
      .number()
      .int()
      .meta({ description: "Percent of the unused transfers' share of the price refunded at expiry." }),
    refunded_sun: sun.meta({ description: "Refunded at expiry." }),
    supply_pending: z.boolean().meta({ description: "Energy for the next transfer is being delegated now." }),
    energy_available: z
      .number()
      .int()
      .nullable()
      .meta({ description: "Available energy at the last chain read (null before the first)." }),
    ends_at: time,
    created_at: time,
    uses: z
      .array(packageUseSchema)
      .optional()
      .meta({ description: "In GET /packages/{id}: the counted transfers, newest first." }),
  })
  .meta({ id: "Package" });
export type PackageJson = z.infer<typeof packageSchema>;

export const packageListSchema = z.object({ data: z.array(packageSchema) }).meta({ id: "PackageList" });

export const packageOffersSchema = z
  .object({
    data: z.array(z.object({ transfers: z.number().int(), price_sun: sun })),
    validity_days: z.number().int(),
    refund_percent: z.number().int(),
  })
  .meta({ id: "PackageOffers" });

export const buyPackageBodySchema = z
  .object({
    address: z
      .string({ error: required("Address", "Address must be a TRON address string.") })
      .min(1, "Address is required.")
      .max(100, "Address is too long.")
      .meta({ description: "The address whose USDT transfers are supplied (must be activated)." }),
    transfers: z
      .number({ error: required("transfers", "transfers must be a whole number.") })
      .int("transfers must be a whole number.")
      .positive("transfers must be greater than zero.")
      .max(10_000, "transfers is too large.")
      .meta({ example: 10, description: "One of the package sizes in GET /packages/offers." }),
  })
  .strict()
  .meta({ id: "BuyPackage" });
export type BuyPackageBody = z.infer<typeof buyPackageBodySchema>;

export const packageIdParamsSchema = z.object({
  id: z
    .string()
    .regex(/^\d{1,9}$/, "Package id must be a number.")
    .meta({ description: "Package id.", example: "7" }),
});
