import { sql } from "drizzle-orm";
import { Gauge } from "prom-client";
import { getDb, rowsOf } from "@/db";
import { registry } from "@/lib/metrics";
import { listWallets } from "@/lib/pool";
import { tron } from "@/lib/tron/client";
import { energyForSun } from "@/lib/tron/resources";

/**
 * Business gauges for GET /api/metrics, read from the database (and the chain's energy weights) on
 * each scrape. Prometheus values are floats: sun amounts are exported as numbers for graphing only,
 * never read back into money paths.
 */
function gauge<L extends string>(
  name: string,
  help: string,
  labelNames: readonly L[],
  collect: (g: Gauge<L>) => Promise<void>,
): Gauge<L> {
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as Gauge<L>;
  return new Gauge<L>({
    name,
    help,
    labelNames,
    registers: [registry],
    async collect() {
      try {
        await collect(this);
      } catch {
        // a failed read leaves the gauge empty for this scrape rather than failing the scrape
      }
    },
  });
}

gauge(
  "teh_pool_delegatable_energy",
  "Energy the enabled supplier wallets can delegate now (after reservations)",
  [] as const,
  async (g) => {
    const ws = (await listWallets()).filter((w) => w.status === "enabled");
    const weights = await tron().getEnergyWeights();
    g.set(Number(ws.reduce((a, w) => a + energyForSun(w.freeSun, weights), 0n)));
  },
);

gauge(
  "teh_pool_sun",
  "Supplier pool staked TRX in sun by state (delegatable, delegated)",
  ["state"] as const,
  async (g) => {
    const ws = (await listWallets()).filter((w) => w.status === "enabled");
    g.reset();
    g.set({ state: "delegatable" }, Number(ws.reduce((a, w) => a + w.freeSun, 0n)));
    g.set({ state: "delegated" }, Number(ws.reduce((a, w) => a + w.delegatedEnergySun, 0n)));
  },
);

gauge("teh_alerts_open", "Open monitoring alerts by severity", ["severity"] as const, async (g) => {
  const db = await getDb();
  const rows = rowsOf<{ severity: string; n: string | number }>(
    await db.execute(sql`select severity, count(*) as n from alerts where status = 'open' group by severity`),
  );
  g.reset();
  for (const s of ["info", "warning", "critical"]) g.set({ severity: s }, 0);
  for (const r of rows) g.set({ severity: r.severity }, Number(r.n));
});

gauge(
  "teh_alerts_open_by_rule",
  "Open monitoring alerts by rule and severity (the console's rules, thresholds from settings)",
  ["rule", "severity"] as const,
  async (g) => {
    const db = await getDb();
    const rows = rowsOf<{ rule: string; severity: string; n: string | number }>(
      await db.execute(
        sql`select rule, severity, count(*) as n from alerts where status = 'open' group by rule, severity`,
      ),
    );
    g.reset();
    for (const r of rows) g.set({ rule: r.rule, severity: r.severity }, Number(r.n));
  },
);

gauge("teh_orders_in_flight", "Orders not yet finished, by status", ["status"] as const, async (g) => {
  const db = await getDb();
  const rows = rowsOf<{ status: string; n: string | number }>(
    await db.execute(sql`select status, count(*) as n from orders
        where status in ('paid', 'delegating', 'active', 'reclaiming') group by status`),
  );
  g.reset();
  for (const s of ["paid", "delegating", "active", "reclaiming"]) g.set({ status: s }, 0);
  for (const r of rows) g.set({ status: r.status }, Number(r.n));
});

gauge(
  "teh_deposit_scanner_lag_blocks",
  "Blocks between the chain head and the deposit scanner cursor",
  [] as const,
  async (g) => {
    const { scannerStatus } = await import("@/lib/deposits");
    const st = await scannerStatus();
    if (st.lagBlocks !== null) g.set(st.lagBlocks);
  },
);

gauge(
  "teh_deposit_scanner_last_run_timestamp_seconds",
  "Unix time the deposit scanner last ran (0 until it has run once)",
  [] as const,
  async (g) => {
    const { scannerStatus } = await import("@/lib/deposits");
    const st = await scannerStatus();
    g.set(st.lastRunAt ? st.lastRunAt.getTime() / 1000 : 0);
  },
);
