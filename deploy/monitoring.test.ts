import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import "@/app/api/metrics/route";
import { registry } from "@/lib/metrics";

/**
 * The Prometheus rules and the Grafana dashboard in deploy/ against what the app exports: every
 * metric name their queries use must be one GET /api/metrics serves, so a renamed metric cannot
 * silently leave a rule that never fires or a panel that stays empty.
 */

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const RULES = here("./prometheus/alerts.yml");
const DASHBOARD = here("./grafana/dashboard.json");

/** The data source reference Grafana fills in on import (the `DS_PROMETHEUS` input). */
const DS_UID = `$\{DS_PROMETHEUS}`;

/** Series Prometheus itself adds to every scrape target. */
const PROMETHEUS_OWN = new Set(["up", "scrape_duration_seconds", "scrape_samples_scraped"]);

const PROMQL_WORDS = new Set([
  "and",
  "or",
  "unless",
  "by",
  "without",
  "on",
  "ignoring",
  "group_left",
  "group_right",
  "bool",
  "offset",
  "inf",
  "nan",
]);

/** Metric names a PromQL expression selects (functions, keywords, labels, numbers and ranges left out). */
function metricNamesOf(expr: string): string[] {
  const s = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, " ") // strings
    .replace(/\{[^}]*\}/g, " ") // label matchers
    .replace(/\[[^\]]*\]/g, " ") // ranges and subqueries
    .replace(/\boffset\s+-?[\dsmhdwy]+/g, " ")
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, " ") // label lists
    .replace(/(?<![\w:])\d+(?:\.\d+)?(?:e[+-]?\d+)?/gi, " "); // numbers
  const names = new Set<string>();
  for (const m of s.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*(?!\s*\(|[a-zA-Z0-9_:])/g))
    if (!PROMQL_WORDS.has(m[0].toLowerCase())) names.add(m[0]);
  return [...names];
}

async function exportedNames(): Promise<Set<string>> {
  const out = new Set<string>();
  for (const m of await registry.getMetricsAsJSON()) {
    out.add(m.name);
    if (String(m.type) === "histogram") for (const x of ["_bucket", "_sum", "_count"]) out.add(m.name + x);
  }
  return out;
}

type Rule = {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
};
const rules = (): Rule[] =>
  (parse(readFileSync(RULES, "utf8")) as { groups: { name: string; rules: Rule[] }[] }).groups.flatMap(
    (g) => g.rules,
  );

type Panel = {
  type: string;
  title: string;
  datasource?: { type: string; uid: string };
  targets?: { expr: string; datasource?: { uid: string } }[];
};
const dashboard = () =>
  JSON.parse(readFileSync(DASHBOARD, "utf8")) as {
    __inputs: { name: string; pluginId: string }[];
    panels: Panel[];
  };
const dashboardExprs = () =>
  dashboard()
    .panels.flatMap((p) => p.targets ?? [])
    .map((t) => t.expr);

describe("metricNamesOf", () => {
  it("finds the selected metrics and nothing else", () => {
    expect(
      metricNamesOf(
        'histogram_quantile(0.9, sum by (le) (rate(teh_x_bucket{job="a", le!="1"}[5m]))) / 1e6 > 0.5 and on (instance) up == 0 or teh_y_total offset 5m',
      ).sort(),
    ).toEqual(["teh_x_bucket", "teh_y_total", "up"]);
    expect(metricNamesOf("time() - max(teh_z > 0)")).toEqual(["teh_z"]);
  });
});

describe("deploy/prometheus/alerts.yml", () => {
  it("every rule is an alert with a severity, a summary and a description", () => {
    const all = rules();
    expect(all.length).toBeGreaterThan(10);
    const names = new Set<string>();
    for (const r of all) {
      expect(r.alert, JSON.stringify(r)).toMatch(/^Teh[A-Za-z]+$/);
      expect(names.has(r.alert!), `duplicate ${r.alert}`).toBe(false);
      names.add(r.alert!);
      expect(["warning", "critical"], r.alert).toContain(r.labels?.severity);
      expect(r.annotations?.summary, r.alert).toBeTruthy();
      expect(r.annotations?.description, r.alert).toBeTruthy();
      if (r.for) expect(r.for, r.alert).toMatch(/^\d+[smh]$/);
    }
  });

  it("every metric an expression uses is exported by the app", async () => {
    const known = await exportedNames();
    const unknown = rules().flatMap((r) =>
      metricNamesOf(r.expr)
        .filter((n) => !known.has(n) && !PROMETHEUS_OWN.has(n))
        .map((n) => `${r.alert}: ${n}`),
    );
    expect(unknown).toEqual([]);
  });

  it("covers the console's alert conditions and process health", () => {
    const used = new Set(
      rules().flatMap((r) => [...metricNamesOf(r.expr), ...(r.expr.match(/rule=~?"[^"]+"/g) ?? [])]),
    );
    for (const n of [
      "up",
      "teh_http_errors_total",
      "teh_job_errors_total",
      "teh_order_transitions_total",
      "teh_pool_delegatable_energy",
      "teh_deposit_scanner_lag_blocks",
      "teh_deposit_scanner_last_run_timestamp_seconds",
      "tron_provider_requests_total",
    ])
      expect(used, n).toContain(n);
    const text = [...used].join(" ");
    for (const rule of [
      "pool_capacity_low",
      "failure_rate",
      "order_stuck",
      "reclaim_overdue",
      "pool_low_trx",
      "pool_low_bandwidth",
      "provider_failover",
    ])
      expect(text, rule).toContain(rule);
  });

  const promtool = spawnSync("promtool", ["--version"]).status === 0;
  it.skipIf(!promtool)(
    `promtool check rules accepts the file${promtool ? "" : " (skipped: promtool is not installed)"}`,
    () => {
      const r = spawnSync("promtool", ["check", "rules", RULES], { encoding: "utf8" });
      expect(r.stdout + r.stderr).toContain("SUCCESS");
      expect(r.status).toBe(0);
    },
  );
});

describe("deploy/grafana/dashboard.json", () => {
  it("is importable with a Prometheus data source input, used by every panel and query", () => {
    const d = dashboard();
    expect(d.__inputs).toEqual([expect.objectContaining({ name: "DS_PROMETHEUS", pluginId: "prometheus" })]);
    for (const p of d.panels.filter((x) => x.type !== "row")) {
      expect(p.datasource, p.title).toEqual({ type: "prometheus", uid: DS_UID });
      expect(p.targets?.length, p.title).toBeGreaterThan(0);
      for (const t of p.targets ?? []) expect(t.datasource?.uid, p.title).toBe(DS_UID);
    }
  });

  it("every metric a panel queries is exported by the app", async () => {
    const known = await exportedNames();
    const unknown = dashboardExprs()
      .flatMap(metricNamesOf)
      .filter((n) => !known.has(n) && !PROMETHEUS_OWN.has(n));
    expect(unknown).toEqual([]);
  });

  it("has panels for orders, delivery latency, pool capacity, deposits, scanner lag and errors", () => {
    const used = new Set(dashboardExprs().flatMap(metricNamesOf));
    for (const n of [
      "teh_order_transitions_total",
      "teh_order_delivery_seconds_bucket",
      "teh_pool_delegatable_energy",
      "teh_deposits_credited_total",
      "teh_deposit_scanner_lag_blocks",
      "teh_http_errors_total",
      "teh_job_errors_total",
    ])
      expect(used, n).toContain(n);
  });
});
