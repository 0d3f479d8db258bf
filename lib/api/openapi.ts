import { z } from "zod";
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiResponsesObject } from "zod-openapi";
import {
  accountSchema,
  type ApiErrorCode,
  batchIdParamsSchema,
  batchSchema,
  createBatchBodySchema,
  apiErrorCodes,
  apiErrorDescriptions,
  callbackPayloadSchema,
  createOrderBodySchema,
  createSubscriptionBodySchema,
  errorSchema,
  idempotencyKeySchema,
  listOrdersQuerySchema,
  orderIdParamsSchema,
  orderListSchema,
  orderSchema,
  priceQuerySchema,
  priceResponseSchema,
  transferOffersQuerySchema,
  transferOffersResponseSchema,
  subscriptionIdParamsSchema,
  subscriptionListSchema,
  subscriptionSchema,
  buyPackageBodySchema,
  packageIdParamsSchema,
  packageListSchema,
  packageOffersSchema,
  packageSchema,
} from "./schemas";

/**
 * The OpenAPI 3.1 document, generated from the zod schemas the routes parse with (lib/api/schemas.ts).
 * Served at /api/v1/openapi.json; the portal docs page renders it.
 */

export const API_ROUTES = [
  ["get", "/price"],
  ["get", "/account"],
  ["post", "/orders"],
  ["get", "/orders"],
  ["get", "/orders/{id}"],
  ["post", "/orders/{id}/cancel"],
  ["get", "/transfer-offers"],
  ["post", "/subscriptions"],
  ["get", "/subscriptions"],
  ["get", "/subscriptions/{id}"],
  ["post", "/subscriptions/{id}/pause"],
  ["post", "/subscriptions/{id}/resume"],
  ["post", "/subscriptions/{id}/cancel"],
  ["get", "/packages/offers"],
  ["post", "/packages"],
  ["get", "/packages"],
  ["get", "/packages/{id}"],
  ["post", "/batches"],
  ["get", "/batches/{id}"],
] as const;

export const SIGNATURE_RECIPE = [
  "Every status change of an order created with `callback_url` is POSTed there as JSON (`OrderCallback`).",
  'Headers: `X-TEH-Timestamp: <unix seconds>` and `X-TEH-Signature: v1=<hex HMAC-SHA256(secret, timestamp + "." + raw body)>`,',
  "where `secret` is the callback secret shown once when the API key was created.",
  "Verify: recompute the HMAC over the raw request body bytes, compare in constant time, and reject timestamps older than 5 minutes.",
  "Answer 2xx within 10 s to acknowledge. Anything else is retried after 10 s, 30 s, 2 min, 10 min, 30 min, 1 h and 3 h (8 attempts), then marked failed.",
  "Retries carry the same body and event `id`; use `id` to ignore duplicates. `X-TEH-Delivery` and `X-TEH-Attempt` identify the delivery.",
].join("\n");

const rateHeaders = z.object({
  "X-RateLimit-Limit": z.string().meta({ description: "Requests allowed per minute for this key." }),
  "X-RateLimit-Remaining": z.string(),
  "X-RateLimit-Reset": z.string().meta({ description: "Seconds until the window resets." }),
});

function errors(codes: ApiErrorCode[]): ZodOpenApiResponsesObject {
  const byStatus = new Map<number, ApiErrorCode[]>();
  for (const c of [...codes, "busy" as const, "internal" as const]) {
    const s = apiErrorDescriptions[c].status;
    byStatus.set(s, [...(byStatus.get(s) ?? []), c]);
  }
  const out: ZodOpenApiResponsesObject = {};
  for (const [status, cs] of byStatus) {
    out[String(status) as "400"] = {
      description: cs.map((c) => `\`${c}\`: ${apiErrorDescriptions[c].description}`).join(" "),
      ...(status === 429
        ? { headers: z.object({ "Retry-After": z.string().meta({ description: "Seconds to wait." }) }) }
        : {}),
      content: { "application/json": { schema: errorSchema } },
    };
  }
  return out;
}

const ok = (
  description: string,
  schema: z.ZodType,
  status = "200",
  withRate = true,
): ZodOpenApiResponsesObject => ({
  [status]: {
    description,
    ...(withRate ? { headers: rateHeaders } : {}),
    content: { "application/json": { schema } },
  },
});

const authed = (op: ZodOpenApiOperationObject): ZodOpenApiOperationObject => ({
  ...op,
  security: [{ bearerAuth: [] }],
});

const orderInputErrors: ApiErrorCode[] = [
  "bad_request",
  "invalid_address",
  "not_activated",
  "energy_out_of_range",
  "unknown_duration",
];

/** Per-transfer packages: offers, buy, list, one with its counted transfers. */
function packagePaths() {
  return {
    "/packages/offers": {
      get: authed({
        operationId: "listPackageOffers",
        summary: "Package sizes and prices, validity and refund rule",
        responses: {
          ...ok("The packages on sale.", packageOffersSchema),
          ...errors(["unauthorized", "forbidden", "rate_limited"]),
        },
      }),
    },
    "/packages": {
      post: authed({
        operationId: "buyPackage",
        summary: "Buy N USDT transfers for an address (idempotent)",
        description:
          "Charges the package price to your balance once. The platform then keeps the address supplied with energy for one USDT transfer and, each time the address sends USDT, supplies the next (these deliveries are not charged again), until `transfers` outgoing USDT transfers are counted from the chain or the package expires (the unused share refunded by `refund_percent`). Send a unique `Idempotency-Key`: repeating it returns the same package (200). One active package per address.",
        requestParams: { header: z.object({ "Idempotency-Key": idempotencyKeySchema }) },
        requestBody: { required: true, content: { "application/json": { schema: buyPackageBodySchema } } },
        responses: {
          ...ok("Bought.", packageSchema, "201"),
          ...ok("Replay of an earlier request with the same Idempotency-Key.", packageSchema),
          ...errors([
            "bad_request",
            "invalid_address",
            "not_activated",
            "insufficient_balance",
            "conflict",
            "unauthorized",
            "forbidden",
            "payload_too_large",
            "rate_limited",
            "maintenance",
            "provider_unavailable",
          ]),
        },
      }),
      get: authed({
        operationId: "listPackages",
        summary: "List your packages (newest first)",
        responses: {
          ...ok("Your packages.", packageListSchema),
          ...errors(["unauthorized", "forbidden", "rate_limited"]),
        },
      }),
    },
    "/packages/{id}": {
      get: authed({
        operationId: "getPackage",
        summary: "One package, with each counted transfer",
        requestParams: { path: packageIdParamsSchema },
        responses: {
          ...ok("The package.", packageSchema),
          ...errors(["unauthorized", "forbidden", "not_found", "rate_limited"]),
        },
      }),
    },
  };
}

export function buildOpenApiDocument() {
  return createDocument({
    openapi: "3.1.0",
    info: {
      title: "TRON Energy Helper — Reseller API",
      version: "1.0.0",
      description: [
        "Rent TRON energy for your users. JSON over HTTPS; sun amounts are decimal strings; times are ISO 8601 (UTC).",
        "Authenticate with `Authorization: Bearer <API key>` (create keys in the portal: Account → API keys).",
        "Every response carries `X-Request-Id`: the one you sent when it is 8–128 characters of `A-Z a-z 0-9 . _ : -`, else a new one. Quote it when reporting a problem.",
        'Errors always have the shape `{"error":{"code","message","fields"?}}`. Codes:',
        ...apiErrorCodes.map(
          (c) => `- \`${c}\` (${apiErrorDescriptions[c].status}): ${apiErrorDescriptions[c].description}`,
        ),
        "",
        "## Callbacks",
        SIGNATURE_RECIPE,
      ].join("\n"),
    },
    servers: [{ url: "/api/v1" }],
    components: {
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", description: "teh_live_… API key" },
      },
    },
    paths: {
      "/transfer-offers": {
        get: {
          operationId: "getTransferOffers",
          summary: "Pay by transfer: the rental address and its offers (public)",
          description:
            "No account needed: send exactly one offer's `amount_sun` of TRX to `address` and the offer's energy is delegated to the sending address for its duration. Any other amount (or a payment that cannot be delivered) is refunded to the sender minus `refund_fee_sun`, or credited to the balance of the user the sending address belongs to.",
          requestParams: { query: transferOffersQuerySchema },
          responses: {
            ...ok("The offers.", transferOffersResponseSchema, "200", false),
            ...errors(["bad_request"]),
          },
        },
      },
      "/price": {
        get: {
          operationId: "getPrice",
          summary: "Quote a rental (public)",
          description:
            "No key needed. With `address` or `usdt_to` the answer includes chain look-ups; those requests are limited to 60 per minute per client IP.",
          requestParams: { query: priceQuerySchema },
          responses: {
            ...ok("The quote.", priceResponseSchema, "200", false),
            ...errors([
              ...orderInputErrors.filter((c) => c !== "not_activated"),
              "rate_limited",
              "no_capacity",
              "provider_unavailable",
            ]),
          },
        },
      },
      "/account": {
        get: authed({
          operationId: "getAccount",
          summary: "Balance and deposit address",
          responses: {
            ...ok("The account.", accountSchema),
            ...errors(["unauthorized", "forbidden", "rate_limited"]),
          },
        }),
      },
      "/orders": {
        post: authed({
          operationId: "createOrder",
          summary: "Order energy (idempotent)",
          description:
            "Debits the price from the balance and starts delegation. Send a unique `Idempotency-Key`: repeating the same key and body returns the same order with 200 and charges once; the same key with a different body answers 409.",
          requestParams: { header: z.object({ "Idempotency-Key": idempotencyKeySchema }) },
          requestBody: { required: true, content: { "application/json": { schema: createOrderBodySchema } } },
          responses: {
            ...ok("Created.", orderSchema, "201"),
            ...ok("Replay of an earlier request with the same Idempotency-Key and body.", orderSchema),
            ...errors([
              ...orderInputErrors,
              "unauthorized",
              "forbidden",
              "insufficient_balance",
              "idempotency_conflict",
              "quote_expired",
              "quote_invalid",
              "payload_too_large",
              "rate_limited",
              "maintenance",
              "no_capacity",
              "provider_unavailable",
            ]),
          },
        }),
        get: authed({
          operationId: "listOrders",
          summary: "List your orders (newest first)",
          requestParams: { query: listOrdersQuerySchema },
          responses: {
            ...ok("A page of orders.", orderListSchema),
            ...errors(["bad_request", "unauthorized", "forbidden", "rate_limited"]),
          },
        }),
      },
      "/orders/{id}": {
        get: authed({
          operationId: "getOrder",
          summary: "One order, with delegation and reclaim transactions",
          requestParams: { path: orderIdParamsSchema },
          responses: {
            ...ok("The order.", orderSchema),
            ...errors(["unauthorized", "forbidden", "not_found", "rate_limited"]),
          },
        }),
      },
      "/orders/{id}/cancel": {
        post: authed({
          operationId: "cancelOrder",
          summary: "Cancel an order that is still `paid` (full refund)",
          requestParams: { path: orderIdParamsSchema },
          responses: {
            ...ok("The cancelled and refunded order.", orderSchema),
            ...errors(["unauthorized", "forbidden", "not_found", "invalid_state", "rate_limited"]),
          },
        }),
      },
      "/subscriptions": {
        post: authed({
          operationId: "createSubscription",
          summary: "Keep energy on an address (idempotent)",
          description:
            "Watches the address and, whenever its available energy falls below `min_energy`, delegates more (an order charged to your balance, visible in /orders), for `days` days and within `budget_sun` in total. Send a unique `Idempotency-Key`: repeating it returns the same subscription (200). One live subscription per address.",
          requestParams: { header: z.object({ "Idempotency-Key": idempotencyKeySchema }) },
          requestBody: {
            required: true,
            content: { "application/json": { schema: createSubscriptionBodySchema } },
          },
          responses: {
            ...ok("Created.", subscriptionSchema, "201"),
            ...ok("Replay of an earlier request with the same Idempotency-Key.", subscriptionSchema),
            ...errors([
              "bad_request",
              "invalid_address",
              "not_activated",
              "energy_out_of_range",
              "invalid_amount",
              "conflict",
              "unauthorized",
              "forbidden",
              "payload_too_large",
              "rate_limited",
              "maintenance",
              "provider_unavailable",
            ]),
          },
        }),
        get: authed({
          operationId: "listSubscriptions",
          summary: "List your keep-energy subscriptions (newest first)",
          responses: {
            ...ok("Your subscriptions.", subscriptionListSchema),
            ...errors(["unauthorized", "forbidden", "rate_limited"]),
          },
        }),
      },
      "/subscriptions/{id}": {
        get: authed({
          operationId: "getSubscription",
          summary: "One subscription, with its latest top-ups",
          requestParams: { path: subscriptionIdParamsSchema },
          responses: {
            ...ok("The subscription.", subscriptionSchema),
            ...errors(["unauthorized", "forbidden", "not_found", "rate_limited"]),
          },
        }),
      },
      ...Object.fromEntries(
        (
          [
            ["pause", "Pause top-ups (delegations already made run their time)"],
            ["resume", "Resume a paused subscription"],
            ["cancel", "Cancel a subscription (final; nothing more is charged)"],
          ] as const
        ).map(([action, summary]) => [
          `/subscriptions/{id}/${action}`,
          {
            post: authed({
              operationId: `${action}Subscription`,
              summary,
              requestParams: { path: subscriptionIdParamsSchema },
              responses: {
                ...ok(
                  "The subscription after the change (repeating it changes nothing).",
                  subscriptionSchema,
                ),
                ...errors(["unauthorized", "forbidden", "not_found", "invalid_state", "rate_limited"]),
              },
            }),
          },
        ]),
      ),
      // per-transfer packages
      ...packagePaths(),
      "/batches": {
        post: authed({
          operationId: "createBatch",
          summary: "Order energy for many receivers at once (idempotent)",
          description: [
            "Each line becomes one order, placed in the order given: debited once if the balance still covers it when its turn comes, else rejected with `insufficient_balance` (later, cheaper lines are still tried). A line that cannot be ordered (bad address, not activated, energy out of range, unknown duration, no capacity, a receiver already in an earlier line) is `rejected` with its `error` and charges nothing; the batch as a whole is refused only when its shape is wrong (`bad_request`), ordering is paused or the account is suspended.",
            "An ordered line's order then lives its own life (see `Order`): one that fails is refunded alone. Send a unique `Idempotency-Key`: repeating the same key and lines returns the same batch with 200 and charges nothing more; the same key with other lines answers 409.",
            "If the TRON network stops answering mid-batch the request answers 503 and the lines not yet placed stay `pending`; repeat the request with the same key (or just wait: they are placed within a few minutes) and read the batch.",
          ].join("\n\n"),
          requestParams: { header: z.object({ "Idempotency-Key": idempotencyKeySchema }) },
          requestBody: { required: true, content: { "application/json": { schema: createBatchBodySchema } } },
          responses: {
            ...ok("Created: every line ordered or rejected.", batchSchema, "201"),
            ...ok("Replay of an earlier request with the same Idempotency-Key and lines.", batchSchema),
            ...errors([
              "bad_request",
              "unauthorized",
              "forbidden",
              "idempotency_conflict",
              "payload_too_large",
              "rate_limited",
              "maintenance",
              "provider_unavailable",
            ]),
          },
        }),
      },
      "/batches/{id}": {
        get: authed({
          operationId: "getBatch",
          summary: "One batch, with each line's order as it is now",
          requestParams: { path: batchIdParamsSchema },
          responses: {
            ...ok("The batch.", batchSchema),
            ...errors(["unauthorized", "forbidden", "not_found", "rate_limited"]),
          },
        }),
      },
    },
    webhooks: {
      orderUpdated: {
        post: {
          operationId: "orderCallback",
          summary: "Order status callback (you implement this)",
          description: SIGNATURE_RECIPE,
          requestParams: {
            header: z.object({
              "X-TEH-Timestamp": z
                .string()
                .meta({ description: "Unix seconds when this attempt was signed." }),
              "X-TEH-Signature": z
                .string()
                .meta({ description: 'v1=<hex HMAC-SHA256(secret, timestamp + "." + raw body)>' }),
              "X-TEH-Delivery": z.string(),
              "X-TEH-Attempt": z.string(),
            }),
          },
          requestBody: { content: { "application/json": { schema: callbackPayloadSchema } } },
          responses: { "200": { description: "Any 2xx acknowledges the callback." } },
        },
      },
    },
  });
}

let cached: ReturnType<typeof buildOpenApiDocument> | null = null;

export function openApiDocument() {
  cached ??= buildOpenApiDocument();
  return cached;
}
