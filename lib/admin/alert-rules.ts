import { and, eq, isNull, sql } from "drizzle-orm";
import { Api } from "grammy";
import { getDb, rowsOf } from "@/db";
import { type Alert, alerts } from "@/db/schema";
import { raiseAlert, resolveAlert } from "@/lib/alerts";
import { env } from "@/lib/env";
import { logger } from "@/lib/log";
import { dateTime, formatInteger, formatTrx } from "@/lib/format";
import { listOwnerReclaims, listWallets, operatorPaysFees } from "@/lib/pool";
import { tron } from "@/lib/tron/client";
import { getSettings, type Settings } from "@/lib/settings";
import { energyForSun } from "@/lib/tron/resources";

/** Timestamps go to raw SQL as ISO text (postgres.js does not serialize a Date in every parameter position). */
const iso = (d: Date) => d.toISOString();

/**
 * Monitoring rules, evaluated by the `evaluate-alerts` cron. Each rule computes the set of
 * conditions firing NOW; each firing condition is raised (deduplicated on its key by lib/alerts),
 * and every open alert of that rule whose condition no longer fires is resolved. Rules share keys
 * with the alerts lib/pool and the safety sweep raise, so one problem is one alert.
 */
type Firing = {
  dedupeKey: string;
  severity: "info" | "warning" | "critical";
  message: string;
  details?: Record<string, unknown>;
};
type Rule = {
  name: string;
  /** null = the rule could not be evaluated (e.g. no chain data): leave its alerts as they are. */
  evaluate: (s: Settings) => Promise<Firing[] | null>;
};

export const alertRuleConfig = {
  /** Minimum orders in the last hour before the failure rate is judged. */
  failureRateMinOrders: 5,
  /** A delegation this long past its expiry and still out is a reclaim failure. */
  reclaimOverdueMinutes: 15,
  /** The deposit scanner counts as stalled when it has not run for this long. */
  scannerStaleMinutes: 10,
};

const poolCapacityLow: Rule = {
  name: "pool_capacity_low",
  async evaluate(s) {
    const ws = (await listWallets()).filter((w) => w.status === "enabled");
    let weights: Awaited<ReturnType<ReturnType<typeof tron>["getEnergyWeights"]>>;
    try {
      weights = await tron().getEnergyWeights();
    } catch {
      return null;
    }
    const energy = ws.reduce((a, w) => a + energyForSun(w.freeSun, weights), 0n);
    if (energy >= BigInt(s.alerts.poolLowEnergy)) return [];
    return [
      {
        dedupeKey: "pool:capacity_low",
        severity: energy === 0n ? "critical" : "warning",
        message: `The pool can deliver only ${formatInteger(energy)} energy now (threshold ${formatInteger(s.alerts.poolLowEnergy)}).`,
        details: {
          delegatableEnergy: energy.toString(),
          threshold: s.alerts.poolLowEnergy,
          wallets: ws.length,
        },
      },
    ];
  },
};

/**
 * Same rule name and key as lib/pool's refresh, so either side raises and resolves one alert. Key-mode
 * wallets only: a permission-mode wallet's TRX is its owner's (`operatorPaysFees`).
 */
const walletLowTrx: Rule = {
  name: "pool_low_trx",
  async evaluate(s) {
    const ws = (await listWallets()).filter(
      (w) => w.status === "enabled" && w.refreshedAt && operatorPaysFees(w),
    );
    return ws
      .filter((w) => w.trxSun < s.alerts.walletLowTrxSun)
      .map((w) => ({
        dedupeKey: `pool:low_trx:${w.id}`,
        severity: "warning" as const,
        message: `Supplier wallet ${w.label ?? w.address} has ${formatTrx(w.trxSun)} left (threshold ${formatTrx(s.alerts.walletLowTrxSun)}).`,
        details: { walletId: w.id, address: w.address, trxSun: w.trxSun.toString() },
      }));
  },
};

/**
 * Same rule name and key as lib/pool/permission: a permission-mode wallet whose grant no longer lets
 * the operator key sign stays alerted until its owner restores it (or the wallet is disabled).
 */
const permissionRevoked: Rule = {
  name: "pool_permission_revoked",
  async evaluate() {
    const ws = (await listWallets()).filter(
      (w) => w.status === "enabled" && w.mode === "permission" && w.permissionError,
    );
    if (!ws.length) return [];
    const flagged = await listOwnerReclaims();
    return ws.map((w) => {
      const open = flagged.filter((d) => d.walletId === w.id).map((d) => d.id);
      return {
        dedupeKey: `pool:permission_revoked:${w.id}`,
        severity: "critical" as const,
        message:
          `Supplier wallet ${w.label ?? w.address} (permission mode) no longer lets the operator key sign: ${w.permissionError} It is out of selection${open.length ? `; its owner must undelegate ${open.length} open delegation(s) (see the Pool page)` : ""}.`.slice(
            0,
            2000,
          ),
        details: { walletId: w.id, address: w.address, reason: w.permissionError, ownerReclaim: open },
      };
    });
  },
};

/** Same rule name and key as the safety sweep's stuck-order alert. */
const ordersStuck: Rule = {
  name: "order_stuck",
  async evaluate(s) {
    const db = await getDb();
    const before = new Date(Date.now() - s.alerts.stuckOrderMinutes * 60_000);
    const rows = rowsOf<{ id: string | number; status: string }>(
      await db.execute(sql`select id, status from orders
        where status in ('paid', 'delegating') and updated_at <= ${iso(before)}::timestamptz order by id limit 200`),
    );
    return rows.map((r) => ({
      dedupeKey: `order:stuck:${r.id}`,
      severity: "warning" as const,
      message: `Order ${r.id} has been ${r.status} for more than ${formatInteger(s.alerts.stuckOrderMinutes)} minutes.`,
      details: { orderId: Number(r.id), status: r.status },
    }));
  },
};

const failureRate: Rule = {
  name: "failure_rate",
  async evaluate(s) {
    const db = await getDb();
    const [r] = rowsOf<{ n: string | number; failed: string | number }>(
      await db.execute(sql`select count(*) as n, count(*) filter (where failure_reason is not null) as failed
        from orders where created_at >= now() - interval '1 hour'`),
    );
    const n = Number(r.n);
    const failed = Number(r.failed);
    if (n < alertRuleConfig.failureRateMinOrders) return [];
    if (failed * 100 <= s.alerts.failureRatePercent * n) return [];
    return [
      {
        dedupeKey: "orders:failure_rate",
        severity: "critical",
        message: `${formatInteger(failed)} of ${formatInteger(n)} orders in the last hour failed (over ${formatInteger(s.alerts.failureRatePercent)}%).`,
        details: { orders: n, failed, thresholdPercent: s.alerts.failureRatePercent },
      },
    ];
  },
};

const reclaimOverdue: Rule = {
  name: "reclaim_overdue",
  async evaluate() {
    const db = await getDb();
    const before = new Date(Date.now() - alertRuleConfig.reclaimOverdueMinutes * 60_000);
    const rows = rowsOf<{ id: string | number; order_id: string | number; error: string | null }>(
      await db.execute(sql`select id, order_id, error from delegations
        where status in ('confirmed', 'reclaiming') and expires_at <= ${iso(before)}::timestamptz
          and owner_reclaim_at is null order by id limit 200`),
    );
    return rows.map((r) => ({
      dedupeKey: `reclaim:overdue:${r.id}`,
      severity: "critical" as const,
      message: `Delegation ${r.id} (order ${r.order_id}) is still not reclaimed ${formatInteger(alertRuleConfig.reclaimOverdueMinutes)}+ minutes after expiry.`,
      details: { delegationId: Number(r.id), orderId: Number(r.order_id), error: r.error },
    }));
  },
};

const scannerLag: Rule = {
  name: "scanner_lag",
  async evaluate(s) {
    const { scannerStatus } = await import("@/lib/deposits");
    const st = await scannerStatus();
    if (st.cursor === null) return []; // the scanner has never run (deposits not configured)
    const stale =
      st.lastRunAt && Date.now() - st.lastRunAt.getTime() > alertRuleConfig.scannerStaleMinutes * 60_000;
    const lagging = st.lagBlocks !== null && st.lagBlocks > s.alerts.scannerLagBlocks;
    if (!stale && !lagging) return [];
    return [
      {
        dedupeKey: "deposits:scanner_lag",
        severity: "critical",
        message: lagging
          ? `The deposit scanner is ${formatInteger(st.lagBlocks ?? 0)} blocks behind the chain (threshold ${formatInteger(s.alerts.scannerLagBlocks)}).`
          : `The deposit scanner has not run since ${st.lastRunAt ? dateTime(st.lastRunAt, "en") : "never"}.`,
        details: { cursor: st.cursor, head: st.head, lagBlocks: st.lagBlocks, lastRunAt: st.lastRunAt },
      },
    ];
  },
};

/** The full node must answer; when it does not, reads fail over to TronScan (or fail). */
const providerFailover: Rule = {
  name: "provider_failover",
  async evaluate() {
    try {
      await tron().getNowBlock();
      return [];
    } catch (e) {
      return [
        {
          dedupeKey: "tron:provider_failover",
          severity: "critical",
          message:
            "The TRON full node is not answering; account reads fall back to TronScan and delegations cannot be sent.",
          details: { error: e instanceof Error ? e.message.slice(0, 300) : String(e) },
        },
      ];
    }
  },
};

export const alertRules: Rule[] = [
  poolCapacityLow,
  walletLowTrx,
  permissionRevoked,
  ordersStuck,
  failureRate,
  reclaimOverdue,
  scannerLag,
  providerFailover,
];

type EvaluationResult = { raised: string[]; resolved: string[]; skipped: string[] };

/** Runs every rule: raise what fires, resolve what cleared. A rule that throws is skipped and logged. */
export async function evaluateAlertRules(rules: Rule[] = alertRules): Promise<EvaluationResult> {
  const s = await getSettings();
  const db = await getDb();
  const out: EvaluationResult = { raised: [], resolved: [], skipped: [] };
  for (const rule of rules) {
    let firing: Firing[] | null;
    try {
      firing = await rule.evaluate(s);
    } catch (e) {
      logger.error({ rule: rule.name, err: (e as Error).message }, "alert rule failed");
      firing = null;
    }
    if (firing === null) {
      out.skipped.push(rule.name);
      continue;
    }
    const keys = new Set(firing.map((f) => f.dedupeKey));
    for (const f of firing) {
      await raiseAlert({ rule: rule.name, ...f });
      out.raised.push(f.dedupeKey);
    }
    const open = await db
      .select({ key: alerts.dedupeKey })
      .from(alerts)
      .where(and(eq(alerts.rule, rule.name), eq(alerts.status, "open")));
    for (const o of open) {
      if (!keys.has(o.key) && (await resolveAlert(o.key))) out.resolved.push(o.key);
    }
  }
  return out;
}

// ------------------------------------------------------------------------------ notification

function alertApi(): Api | null {
  if (!env.TELEGRAM_BOT_TOKEN) return null;
  return new Api(env.TELEGRAM_BOT_TOKEN, { apiRoot: env.TELEGRAM_API_ROOT });
}

const icon = { info: "ℹ️", warning: "⚠️", critical: "🚨" } as const;

function alertText(a: Pick<Alert, "severity" | "rule" | "message" | "occurrences">): string {
  return `${icon[a.severity]} ${a.severity.toUpperCase()} · ${a.rule}\n${a.message}`;
}

/**
 * Sends every open alert not yet notified to ADMIN_ALERT_CHAT_ID through the bot and records
 * `notified_at`. Without a bot token or chat id it does nothing (alerts stay on the dashboard).
 */
export async function notifyNewAlerts(
  target: { api?: Api; chatId?: number } = {},
): Promise<{ sent: number }> {
  const chatId = target.chatId ?? env.ADMIN_ALERT_CHAT_ID;
  const api = target.api ?? alertApi();
  if (!api || chatId === undefined) return { sent: 0 };
  const db = await getDb();
  const pending = await db
    .select()
    .from(alerts)
    .where(and(eq(alerts.status, "open"), isNull(alerts.notifiedAt)))
    .orderBy(alerts.id)
    .limit(20);
  let sent = 0;
  for (const a of pending) {
    try {
      await api.sendMessage(chatId, alertText(a), { link_preview_options: { is_disabled: true } });
    } catch (e) {
      logger.error(
        { alertId: a.id, err: (e as Error).message },
        "could not send the alert to the admin chat",
      );
      break; // try again on the next run
    }
    await db.update(alerts).set({ notifiedAt: new Date() }).where(eq(alerts.id, a.id));
    sent++;
  }
  return { sent };
}
