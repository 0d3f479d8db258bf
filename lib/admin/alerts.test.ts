import { randomUUID } from "node:crypto";
import { InngestTestEngine } from "@inngest/test";
import { eq, sql } from "drizzle-orm";
import { Api } from "grammy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as metricsRoute } from "@/app/api/metrics/route";
import { getDb } from "@/db";
import { alerts, delegations, orders } from "@/db/schema";
import { devnetAccount } from "@/devnet/genesis";
import { evaluateAlerts } from "@/inngest/functions/evaluate-alerts";
import { getOpenAlert, raiseAlert } from "@/lib/alerts";
import { startFakeBotApi } from "@/lib/bot/testing/fake-bot-api";
import { sendTrx, treasury } from "@/lib/deposits/testing";
import { env } from "@/lib/env";
import { createOrder } from "@/lib/orders";
import {
  freshReceiver,
  fundedUser,
  importPool,
  type OrderKit,
  resetPoolForTests,
  startOrderKit,
} from "@/lib/orders/testing";
import { refreshWallet } from "@/lib/pool";
import { getSettings, serializeSettings, updateSettings } from "@/lib/settings";
import { alertRuleConfig, alertRules, evaluateAlertRules, notifyNewAlerts } from "./alert-rules";

let kit: OrderKit;
let savedAlerts: unknown;
const rule = (name: string) => alertRules.filter((r) => r.name === name);

async function setAlertSettings(patch: Record<string, unknown>) {
  const cur = serializeSettings(await getSettings()).alerts;
  await updateSettings({ alerts: { ...cur, ...patch } as never });
}

beforeAll(async () => {
  kit = await startOrderKit();
  await resetPoolForTests();
  savedAlerts = serializeSettings(await getSettings()).alerts;
});
afterAll(async () => {
  await updateSettings({ alerts: savedAlerts as never });
  await resetPoolForTests();
  await kit.close();
});

describe("alert rules on devnet conditions", () => {
  it("a drained pool wallet raises low-TRX; funding it again resolves the alert", async () => {
    const [w] = await importPool([3]);
    await setAlertSettings({ walletLowTrxSun: "1000000000" }); // 1,000 TRX
    await refreshWallet(w.id);
    await evaluateAlertRules(rule("pool_low_trx"));
    const before = await getOpenAlert(`pool:low_trx:${w.id}`);
    // (the wallet may hold more than 1,000 TRX liquid: drain it first)
    const pool3 = devnetAccount(3);
    const liquid = (await kit.client.getAccount(pool3.base58)).trxSun;
    if (liquid > 500_000_000n) {
      await sendTrx(kit.client, treasury.base58, liquid - 100_000_000n, pool3);
      await kit.mine(1);
    }
    await refreshWallet(w.id);
    const r = await evaluateAlertRules(rule("pool_low_trx"));
    expect(r.raised).toContain(`pool:low_trx:${w.id}`);
    const open = await getOpenAlert(`pool:low_trx:${w.id}`);
    expect(open?.status).toBe("open");
    // raising again deduplicates
    await evaluateAlertRules(rule("pool_low_trx"));
    const db = await getDb();
    const rows = await db
      .select()
      .from(alerts)
      .where(eq(alerts.dedupeKey, `pool:low_trx:${w.id}`));
    expect(rows.filter((a) => a.status === "open")).toHaveLength(1);
    expect(before === undefined || before.id === open?.id).toBe(true);

    // the condition clears (threshold lowered below the balance): the rule resolves it
    await setAlertSettings({ walletLowTrxSun: "1000000" });
    const r2 = await evaluateAlertRules(rule("pool_low_trx"));
    expect(r2.resolved).toContain(`pool:low_trx:${w.id}`);
    expect(await getOpenAlert(`pool:low_trx:${w.id}`)).toBeUndefined();
    // and funding the drained wallet keeps it clear at the original threshold
    await setAlertSettings({ walletLowTrxSun: "1000000000" });
    await kit.ctl("fund", { address: pool3.base58, trx: 5_000 });
    await refreshWallet(w.id);
    await evaluateAlertRules(rule("pool_low_trx"));
    expect(await getOpenAlert(`pool:low_trx:${w.id}`)).toBeUndefined();
  });

  it("pool capacity below the threshold raises, and clears when the threshold is met", async () => {
    await setAlertSettings({ poolLowEnergy: 99_000_000 });
    const r = await evaluateAlertRules(rule("pool_capacity_low"));
    expect(r.raised).toEqual(["pool:capacity_low"]);
    await setAlertSettings({ poolLowEnergy: 0 });
    const r2 = await evaluateAlertRules(rule("pool_capacity_low"));
    expect(r2.resolved).toEqual(["pool:capacity_low"]);
  });

  it("the full node failing raises provider failover; recovery resolves it", async () => {
    await kit.ctl("faults", { status5xx: 100, paths: ["/wallet/getnowblock"] });
    try {
      const r = await evaluateAlertRules(rule("provider_failover"));
      expect(r.raised).toEqual(["tron:provider_failover"]);
    } finally {
      await kit.ctl("faults/clear");
    }
    const r2 = await evaluateAlertRules(rule("provider_failover"));
    expect(r2.resolved).toEqual(["tron:provider_failover"]);
  });

  it("a stuck order and a high failure rate raise; both resolve when the condition clears", async () => {
    const userId = await fundedUser(50_000_000n);
    const { order } = await createOrder({
      userId,
      receiver: await freshReceiver(kit),
      energy: 65_000,
      duration: "1h",
      source: "admin",
      idempotencyKey: randomUUID(),
    });
    const db = await getDb();
    await setAlertSettings({ stuckOrderMinutes: 5, failureRatePercent: 1 });
    await db.execute(sql`update orders set updated_at = now() - interval '6 minutes' where id = ${order.id}`);
    const r = await evaluateAlertRules(rule("order_stuck"));
    expect(r.raised).toContain(`order:stuck:${order.id}`);
    await db.update(orders).set({ status: "failed", failureReason: "test" }).where(eq(orders.id, order.id));
    const r2 = await evaluateAlertRules(rule("order_stuck"));
    expect(r2.resolved).toContain(`order:stuck:${order.id}`);

    const saved = alertRuleConfig.failureRateMinOrders;
    alertRuleConfig.failureRateMinOrders = 1;
    try {
      const r3 = await evaluateAlertRules(rule("failure_rate"));
      expect(r3.raised).toEqual(["orders:failure_rate"]);
      await setAlertSettings({ failureRatePercent: 100 });
      const r4 = await evaluateAlertRules(rule("failure_rate"));
      expect(r4.resolved).toEqual(["orders:failure_rate"]);
    } finally {
      alertRuleConfig.failureRateMinOrders = saved;
    }
  });

  it("a delegation not reclaimed long after expiry raises a reclaim alert; reclaimed → resolved", async () => {
    const userId = await fundedUser(50_000_000n);
    const { order } = await createOrder({
      userId,
      receiver: await freshReceiver(kit),
      energy: 65_000,
      duration: "1h",
      source: "admin",
      idempotencyKey: randomUUID(),
    });
    const db = await getDb();
    const [w] = await importPool([3]);
    const [d] = await db
      .insert(delegations)
      .values({
        orderId: order.id,
        supplierWalletId: w.id,
        receiverAddress: order.receiverAddress,
        sun: 1_000_000n,
        energy: 10n,
        lockPeriodBlocks: 1200,
        status: "confirmed",
        confirmedAt: new Date(Date.now() - 3 * 3600_000),
        expiresAt: new Date(Date.now() - 2 * 3600_000),
      })
      .returning();
    const r = await evaluateAlertRules(rule("reclaim_overdue"));
    expect(r.raised).toContain(`reclaim:overdue:${d.id}`);
    await db
      .update(delegations)
      .set({ status: "reclaimed", reclaimedAt: new Date() })
      .where(eq(delegations.id, d.id));
    const r2 = await evaluateAlertRules(rule("reclaim_overdue"));
    expect(r2.resolved).toContain(`reclaim:overdue:${d.id}`);
  });
});

describe("notification to the admin chat", () => {
  it("sends each new alert once through the Bot API and records notified_at", async () => {
    const fake = await startFakeBotApi();
    try {
      const api = new Api("123456:TEST-token-for-the-fake-bot-api", { apiRoot: fake.url });
      const db = await getDb();
      await db.update(alerts).set({ notifiedAt: new Date() }).where(sql`notified_at is null`);
      const key = `test:notify:${randomUUID()}`;
      await raiseAlert({
        rule: "test_rule",
        dedupeKey: key,
        severity: "critical",
        message: "Pool is on fire",
      });
      const r = await notifyNewAlerts({ api, chatId: -100123 });
      expect(r.sent).toBe(1);
      const calls = fake.of("sendMessage");
      expect(calls).toHaveLength(1);
      expect(Number(calls[0].body.chat_id)).toBe(-100123);
      expect(calls[0].body.text).toContain("Pool is on fire");
      expect((await getOpenAlert(key))?.notifiedAt).toBeInstanceOf(Date);
      expect((await notifyNewAlerts({ api, chatId: -100123 })).sent).toBe(0);
    } finally {
      await fake.close();
    }
  });

  it("the evaluate-alerts Inngest function runs the rules", async () => {
    const t = new InngestTestEngine({ function: evaluateAlerts });
    const { result, error } = await t.execute({
      events: [{ name: "admin/alerts.evaluate-requested", data: {} }],
    });
    expect(error).toBeUndefined();
    expect(result).toMatchObject({ raised: expect.any(Array), resolved: expect.any(Array) });
  });
});

describe("GET /api/metrics", () => {
  const req = (auth?: string) =>
    new Request("http://localhost/api/metrics", { headers: auth ? { authorization: auth } : {} });
  const saved = env.METRICS_TOKEN;
  afterAll(() => {
    (env as { METRICS_TOKEN?: string }).METRICS_TOKEN = saved;
  });

  it("is 404 without METRICS_TOKEN, 401 without the right token, Prometheus text with it", async () => {
    (env as { METRICS_TOKEN?: string }).METRICS_TOKEN = undefined;
    expect((await metricsRoute(req("Bearer x"))).status).toBe(404);
    (env as { METRICS_TOKEN?: string }).METRICS_TOKEN = "metrics-token-for-tests-123";
    expect((await metricsRoute(req())).status).toBe(401);
    expect((await metricsRoute(req("Bearer wrong-token-xxxxxxxxxx"))).status).toBe(401);
    const res = await metricsRoute(req("Bearer metrics-token-for-tests-123"));
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toMatch(/teh_alerts_open\{severity="critical"\} \d+/);
    expect(body).toMatch(/teh_orders_in_flight\{status="paid"\} \d+/);
    expect(body).toMatch(/teh_pool_delegatable_energy \d+/);
  });
});
