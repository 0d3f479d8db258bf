import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { GET as metricsRoute } from "@/app/api/metrics/route";
import { GET as accountRoute } from "@/app/api/v1/account/route";
import { raiseAlert, resolveAlert } from "@/lib/alerts";
import { env } from "@/lib/env";
import { errorResponse } from "@/lib/errors";
import { sampleValue } from "@/lib/metrics-testing";

describe("GET /api/metrics: process health and alert gauges", () => {
  const saved = env.METRICS_TOKEN;
  afterAll(() => {
    (env as { METRICS_TOKEN?: string }).METRICS_TOKEN = saved;
  });

  it("serves the process metrics (CPU, memory, event loop, start time)", async () => {
    (env as { METRICS_TOKEN?: string }).METRICS_TOKEN = "metrics-token-for-tests-456";
    const res = await metricsRoute(
      new Request("http://localhost/api/metrics", {
        headers: { authorization: "Bearer metrics-token-for-tests-456" },
      }),
    );
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(body).toMatch(/^process_resident_memory_bytes \d/m);
    expect(body).toMatch(/^process_start_time_seconds \d/m);
    expect(body).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
  });

  it("teh_alerts_open_by_rule follows an alert from raised to resolved", async () => {
    const key = `test:metrics:${randomUUID()}`;
    const labels = { rule: "test_metrics_rule", severity: "critical" };
    const before = await sampleValue("teh_alerts_open_by_rule", labels);
    await raiseAlert({ rule: labels.rule, dedupeKey: key, severity: "critical", message: "test" });
    await raiseAlert({ rule: labels.rule, dedupeKey: key, severity: "critical", message: "again" });
    expect(await sampleValue("teh_alerts_open_by_rule", labels)).toBe(before + 1);
    await resolveAlert(key);
    expect(await sampleValue("teh_alerts_open_by_rule", labels)).toBe(before);
  });
});

describe("teh_http_errors_total", () => {
  it("counts an API error answer by code and status", async () => {
    const labels = { code: "unauthorized", status: "401" };
    const before = await sampleValue("teh_http_errors_total", labels);
    const res = await accountRoute(new Request("http://localhost/api/v1/account"));
    expect(res.status).toBe(401);
    expect(await sampleValue("teh_http_errors_total", labels)).toBe(before + 1);
  });

  it("counts an unexpected error answered by errorResponse as internal / 500", async () => {
    const labels = { code: "internal", status: "500" };
    const before = await sampleValue("teh_http_errors_total", labels);
    expect(errorResponse(new Error("boom")).status).toBe(500);
    expect(await sampleValue("teh_http_errors_total", labels)).toBe(before + 1);
  });
});
