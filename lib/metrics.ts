import { Counter, Registry } from "prom-client";

/**
 * The app's Prometheus registry. Every metric registers here (not in prom-client's global
 * registry), so tests and hot reloads can't register a name twice.
 */
export const registry = new Registry();

function counter<L extends string>(name: string, help: string, labelNames: readonly L[]): Counter<L> {
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as Counter<L>;
  return new Counter<L>({ name, help, labelNames, registers: [registry] });
}

/** Which TRON provider answered (fullnode | tronscan) and how (ok | error | timeout | rate_limited). */
export const tronProviderRequests = counter(
  "tron_provider_requests_total",
  "TRON provider requests by outcome",
  ["provider", "outcome"] as const,
);
