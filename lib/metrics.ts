import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";

/**
 * The app's Prometheus registry. Every metric registers here (not in prom-client's global
 * registry), so tests and hot reloads can't register a name twice. It lives on `globalThis` so the
 * route bundles of one server process (the API, /api/inngest, /api/metrics) count into one registry.
 * Event metrics (counted where the event happens) are defined here; gauges read from the database
 * on each scrape are in lib/admin/metrics. docs/metrics.md lists them all.
 */
const g = globalThis as unknown as { __tehMetrics?: Registry };
if (!g.__tehMetrics) {
  g.__tehMetrics = new Registry();
  // process_* and nodejs_* (CPU, memory, event loop lag, GC, handles): process health.
  collectDefaultMetrics({ register: g.__tehMetrics });
}
export const registry: Registry = g.__tehMetrics;

function counter<L extends string>(name: string, help: string, labelNames: readonly L[]): Counter<L> {
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as Counter<L>;
  return new Counter<L>({ name, help, labelNames, registers: [registry] });
}

function histogram<L extends string>(
  name: string,
  help: string,
  labelNames: readonly L[],
  buckets: number[],
): Histogram<L> {
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as Histogram<L>;
  return new Histogram<L>({ name, help, labelNames, buckets, registers: [registry] });
}

/** Which TRON provider answered (fullnode | tronscan) and how (ok | error | timeout | rate_limited). */
export const tronProviderRequests = counter(
  "tron_provider_requests_total",
  "TRON provider requests by outcome",
  ["provider", "outcome"] as const,
);

/** Committed order status changes; `from` is "none" for a new order (created paid). */
export const orderTransitions = counter(
  "teh_order_transitions_total",
  "Committed order status changes by from/to status",
  ["from", "to"] as const,
);

/** Paid (order created) → active (energy delegated), once per delivered order. */
export const orderDeliverySeconds = histogram(
  "teh_order_delivery_seconds",
  "Seconds from an order being paid to its energy being delegated (active)",
  [] as const,
  [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800],
);

/** Deposits credited to a user's balance (committed), by currency (TRX | USDT). */
export const depositsCredited = counter(
  "teh_deposits_credited_total",
  "Deposits credited to user balances, by currency",
  ["currency"] as const,
);

/** Sun credited for deposits (a USDT deposit counts at its credited TRX value). Graphing only. */
export const depositsCreditedSun = counter(
  "teh_deposits_credited_sun_total",
  "Sun credited to user balances for deposits, by currency",
  ["currency"] as const,
);

/** Error responses built by lib/errors' errorResponse (route handlers), by error code and HTTP status. */
export const httpErrors = counter(
  "teh_http_errors_total",
  "Error responses returned by API route handlers, by error code and status",
  ["code", "status"] as const,
);

/** Inngest function runs and steps that threw, by function id; `final` = no retry left. */
export const jobErrors = counter(
  "teh_job_errors_total",
  "Inngest function runs and steps that threw, by function, kind (run | step) and final attempt",
  ["function", "kind", "final"] as const,
);
