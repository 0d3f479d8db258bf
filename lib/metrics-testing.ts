import { registry } from "@/lib/metrics";

/**
 * Test helper: one sample's value from the registry's Prometheus text (what GET /api/metrics
 * serves), or 0 when the series is absent. `labels` must match the sample's labels exactly.
 */
export async function sampleValue(name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = await registry.metrics();
  const want = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .sort()
    .join(",");
  for (const line of text.split("\n")) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = (m[2] ?? "")
      .split(/,(?=[a-zA-Z_]+=")/)
      .filter(Boolean)
      .sort()
      .join(",");
    if (got === want) return Number(m[3]);
  }
  return 0;
}
