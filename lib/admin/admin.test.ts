import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { generate } from "otplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb, rowsOf } from "@/db";
import { admins, auditLog, ledgerEntries, orders, users } from "@/db/schema";
import { GET as priceRoute } from "@/app/api/v1/price/route";
import { newTgUser, startHarness } from "@/lib/bot/testing/harness";
import { AppError } from "@/lib/errors";
import { capturedEvents, setEventSender } from "@/lib/events";
import { createBatch } from "@/lib/batches";
import { createOrder, getOrder } from "@/lib/orders";
import { freshReceiver, fundedUser, runFulfil } from "@/lib/orders/testing";
import { quote } from "@/lib/pricing";
import { orderKitWithPoolOnce } from "@/test/order-kit";
import { ADMIN_PASSWORD, adminContext, adminFingerprint, newAdmin } from "@/test/admins";
import { getSettings, resetSettings, serializeSettings, updateSettings } from "@/lib/settings";
import { settings as settingsTable } from "@/db/schema";
import { adminActions, adjustBalanceAction, refundOrderAction, updateSettingsAction } from "./actions";
import {
  type AdminContext,
  authConfig,
  changePassword,
  createAdmin,
  enableTotp,
  getSessionAdmin,
  newTotpSetup,
  signIn,
  signOut,
} from "./auth";
import { financeByDay, financeCsv } from "./finance";
import { can, PERMISSIONS, permissions, ROLES } from "./permissions";
import { getDashboardStats } from "./dashboard";
import { searchOrders } from "./queries";

const ctxs: Record<string, AdminContext> = {};
const kit = orderKitWithPoolOnce(); // orders and quotes are only taken when the pool can cover them

async function paidOrder(userId: number, energy = 65_000) {
  const receiver = await freshReceiver(kit);
  const { order } = await createOrder({
    userId,
    receiver,
    energy,
    duration: "1h",
    source: "admin",
    idempotencyKey: randomUUID(),
  });
  return order;
}

beforeAll(async () => {
  for (const r of ROLES) ctxs[r] = await adminContext(r, "203.0.113.7");
});

describe("permission table", () => {
  it("is data: every permission names known roles, owners can do everything, viewers only read", () => {
    for (const p of PERMISSIONS) {
      expect(can("owner", p)).toBe(true);
      for (const r of permissions[p]) expect(ROLES).toContain(r);
      if (can("viewer", p)) expect(p).toMatch(/\.read$|^finance\.export$|^self\.update$/);
    }
    expect(can("operator", "orders.refund")).toBe(true);
    expect(can("operator", "settings.update")).toBe(false);
    expect(can("operator", "audit.read")).toBe(false);
  });
});

describe("permission matrix: every role × every admin action, on the server", () => {
  // Inputs aimed at rows that don't exist: an allowed role gets past the check (not_found / bad_request),
  // a denied role gets 403 before anything is read or written.
  const inputs: Record<keyof typeof adminActions, () => Promise<unknown>> = {
    retryOrder: async () => ({ orderId: 2_000_000_000 }),
    refundOrder: async () => ({ orderId: 2_000_000_000, reason: "matrix test" }),
    cancelOrder: async () => ({ orderId: 2_000_000_000 }),
    reclaimOrder: async () => ({ orderId: 2_000_000_000 }),
    importWallet: async () => ({ address: "TNotAnAddress", privateKey: "00" }),
    setWalletStatus: async () => ({ walletId: 2_000_000_000, status: "disabled" }),
    setWalletPriority: async () => ({ walletId: 2_000_000_000, priority: 5 }),
    refreshWallet: async () => ({ walletId: 2_000_000_000 }),
    reconcileNow: async () => ({}),
    removeWallet: async () => ({ walletId: 2_000_000_000 }),
    adjustBalance: async () => ({ userId: 2_000_000_000, amountTrx: "1", reason: "matrix test" }),
    setUserStatus: async () => ({ userId: 2_000_000_000, status: "banned" }),
    updateSettings: async () => ({ quoteTtlSeconds: (await getSettings()).quoteTtlSeconds }),
    resolveAlert: async () => ({ dedupeKey: `matrix:${randomUUID()}` }),
    createAdmin: async () => ({ email: `made-${randomUUID()}@test.example`, role: "viewer" }),
    setAdminRole: async () => ({ adminId: 2_000_000_000, role: "viewer" }),
    setAdminStatus: async () => ({ adminId: 2_000_000_000, status: "disabled" }),
    rescanDeposits: async () => ({ userId: 2_000_000_000, fromBlock: 1, toBlock: 2 }),
    // an invalid block: an allowed role gets past the check to bad_request, the cursor never moves
    restartScanner: async () => ({ fromBlock: -1, reason: "matrix test" }),
    // not an address / no such wallet: an allowed role gets past the check, nothing is stored
    importPermissionWallet: async () => ({ address: "TNotAnAddress" }),
    setWalletCaps: async () => ({ walletId: 2_000_000_000, dailyBandwidthCap: 600, dailyTrxCap: "1" }),
    // no such payout: an allowed role gets past the check to not_found, nothing changes
    decideSupplierPayout: async () => ({ payoutId: 2_000_000_000, decision: "approve" }),
  };

  for (const name of Object.keys(adminActions) as (keyof typeof adminActions)[]) {
    for (const role of ROLES) {
      const action = adminActions[name];
      const allowed = can(role, action.permission);
      it(`${role} ${allowed ? "may" : "may NOT"} ${name} (${action.permission})`, async () => {
        const input = await inputs[name]();
        if (!allowed) {
          const before = await adminFingerprint();
          const e = await action(ctxs[role], input).catch((x) => x);
          expect(e).toBeInstanceOf(AppError);
          expect(e.status).toBe(403);
          expect(await adminFingerprint()).toBe(before);
        } else {
          const e = await action(ctxs[role], input).then(
            () => null,
            (x) => x,
          );
          if (e) {
            expect(e).toBeInstanceOf(AppError);
            expect([401, 403]).not.toContain(e.status);
          }
        }
      });
    }
  }

  it("no session → 401 for every action, nothing changes", async () => {
    const before = await adminFingerprint();
    for (const [name, action] of Object.entries(adminActions)) {
      const e = await action(null, await inputs[name as keyof typeof inputs]()).catch((x) => x);
      expect(e?.status, name).toBe(401);
    }
    expect(await adminFingerprint()).toBe(before);
  });

  it("an admin who must still change the one-time password can do nothing else", async () => {
    const { admin } = await createAdmin({ email: `otp-${randomUUID()}@test.example`, role: "owner" });
    expect(admin.mustChangePassword).toBe(true);
    const e = await updateSettingsAction({ admin, ip: null }, { quoteTtlSeconds: 300 }).catch((x) => x);
    expect(e.status).toBe(403);
  });
});

describe("sign-in", () => {
  it("accepts the right password, refuses a wrong one, and opens a DB-backed session", async () => {
    const a = await newAdmin("operator");
    await expect(signIn({ email: a.email, password: "wrong password!!" })).rejects.toMatchObject({
      code: "unauthorized",
    });
    await expect(signIn({ email: "nobody@test.example", password: ADMIN_PASSWORD })).rejects.toMatchObject({
      code: "unauthorized",
    });
    const r = await signIn({ email: a.email.toUpperCase(), password: ADMIN_PASSWORD, ip: "198.51.100.1" });
    expect(r.status).toBe("ok");
    if (r.status !== "ok") return;
    expect((await getSessionAdmin(r.token))?.admin.id).toBe(a.id);
    expect(await getSessionAdmin(`${r.token}x`)).toBeNull();
    await signOut(r.token);
    expect(await getSessionAdmin(r.token)).toBeNull();
  });

  it("locks the account after repeated failures, even for the right password", async () => {
    const a = await newAdmin("viewer");
    for (let i = 0; i < authConfig.maxFailedLogins; i++)
      await expect(signIn({ email: a.email, password: `nope-${i}-xxxxxxxx` })).rejects.toMatchObject({
        code: "unauthorized",
      });
    await expect(signIn({ email: a.email, password: ADMIN_PASSWORD })).rejects.toMatchObject({
      code: "forbidden",
    });
    const db = await getDb();
    const [row] = await db.select().from(admins).where(eq(admins.id, a.id));
    expect(row.lockedUntil!.getTime()).toBeGreaterThan(Date.now());
    // the lock expires
    await db
      .update(admins)
      .set({ lockedUntil: new Date(Date.now() - 1000) })
      .where(eq(admins.id, a.id));
    expect((await signIn({ email: a.email, password: ADMIN_PASSWORD })).status).toBe("ok");
  });

  it("40 parallel wrong passwords: counted atomically, the account locks, at most 5 passwords checked", async () => {
    const a = await newAdmin("owner");
    const ip = `2001:db8::${randomUUID().slice(0, 4)}:${randomUUID().slice(0, 4)}`; // fresh per-IP window
    const db = await getDb();
    const before = await adminFingerprint();
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        signIn({ email: a.email, password: `guess-${i}-xxxxxxxx`, ip }).then(
          () => "signed in",
          (e: AppError) => e.code,
        ),
      ),
    );
    expect(results).not.toContain("signed in");
    const [row] = await db.select().from(admins).where(eq(admins.id, a.id));
    expect(row.lockedUntil!.getTime()).toBeGreaterThan(Date.now()); // was never locked: a lost update
    const attempts = rowsOf<{ reason: string; n: number }>(
      await db.execute(
        sql`select reason, count(*)::int as n from admin_signin_attempts where email = ${a.email} group by reason`,
      ),
    );
    const by = Object.fromEntries(attempts.map((r) => [r.reason, Number(r.n)]));
    // every guess was answered only after being counted: 20 within the per-email window, of which
    // exactly maxFailedLogins had their password hashed; the rest were refused unchecked
    expect(by.wrong_password).toBe(authConfig.maxFailedLogins);
    expect(by.locked).toBe(authConfig.maxFailuresPerEmail - authConfig.maxFailedLogins);
    expect(by.rate_limited).toBe(40 - authConfig.maxFailuresPerEmail);
    expect(results.filter((r) => r === "unauthorized")).toHaveLength(authConfig.maxFailedLogins);
    // the right password does not open a locked account; no session was made
    await expect(signIn({ email: a.email, password: ADMIN_PASSWORD })).rejects.toMatchObject({
      code: "rate_limited",
    });
    const [{ n }] = rowsOf<{ n: number }>(
      await db.execute(sql`select count(*)::int as n from admin_sessions where admin_id = ${a.id}`),
    );
    expect(Number(n)).toBe(0);
    // nothing else changed: one audit row for the lock
    const after = JSON.parse(await adminFingerprint());
    const was = JSON.parse(before);
    expect(Number(after.audit)).toBe(Number(was.audit) + 1);
    expect({ ...after, audit: was.audit }).toEqual(was);
  });

  it("an email with no admin behind it locks the same way, so the replies reveal no admin emails", async () => {
    const real = await newAdmin("viewer");
    const ghost = `ghost-${randomUUID()}@test.example`;
    const answers = async (email: string) => {
      const out: string[] = [];
      for (let i = 0; i <= authConfig.maxFailedLogins; i++)
        out.push(
          await signIn({ email, password: `nope-${i}-xxxxxxxx` }).then(
            () => "ok",
            (e: AppError) => `${e.code}: ${e.message}`,
          ),
        );
      return out;
    };
    const forReal = await answers(real.email);
    expect(forReal.at(-1)).toMatch(/^forbidden: This account is locked/);
    expect(await answers(ghost)).toEqual(forReal);
  });

  it("rate-limits attempts per email", async () => {
    const saved = authConfig.maxFailuresPerEmail;
    authConfig.maxFailuresPerEmail = 3;
    try {
      const email = `ghost-${randomUUID()}@test.example`;
      for (let i = 0; i < 3; i++)
        await expect(signIn({ email, password: "whatever-123456" })).rejects.toMatchObject({
          code: "unauthorized",
        });
      await expect(signIn({ email, password: "whatever-123456" })).rejects.toMatchObject({
        code: "rate_limited",
      });
    } finally {
      authConfig.maxFailuresPerEmail = saved;
    }
  });

  it("asks for the TOTP code when the second factor is on, and checks it", async () => {
    const a = await newAdmin("owner");
    const ctx = { admin: a, ip: null };
    const { secret, uri } = newTotpSetup(a.email);
    expect(uri).toMatch(/^otpauth:\/\/totp\//);
    await expect(
      enableTotp(ctx, { secret, code: "000000" === (await generate({ secret })) ? "111111" : "000000" }),
    ).rejects.toMatchObject({ code: "bad_request" });
    await enableTotp(ctx, { secret, code: await generate({ secret }) });
    const db = await getDb();
    const [row] = await db.select().from(admins).where(eq(admins.id, a.id));
    expect(row.totpSecret).not.toContain(secret); // encrypted at rest
    expect(await signIn({ email: a.email, password: ADMIN_PASSWORD })).toEqual({ status: "totp_required" });
    const good = await generate({ secret });
    const bad = good === "123456" ? "654321" : "123456";
    await expect(signIn({ email: a.email, password: ADMIN_PASSWORD, totp: bad })).rejects.toMatchObject({
      code: "unauthorized",
    });
    const ok = await signIn({ email: a.email, password: ADMIN_PASSWORD, totp: good });
    expect(ok.status).toBe("ok");
  });

  it("first sign-in: the one-time password must be changed, then the flag clears", async () => {
    const { admin, password } = await createAdmin({
      email: `first-${randomUUID()}@test.example`,
      role: "operator",
    });
    const r = await signIn({ email: admin.email, password });
    expect(r.status === "ok" && r.admin.mustChangePassword).toBe(true);
    const ctx = { admin, ip: null };
    await expect(changePassword(ctx, { current: password, next: "short" })).rejects.toMatchObject({
      code: "bad_request",
    });
    await changePassword(ctx, { current: password, next: "a much better password" });
    const r2 = await signIn({ email: admin.email, password: "a much better password" });
    expect(r2.status === "ok" && r2.admin.mustChangePassword).toBe(false);
  });
});

describe("order actions", () => {
  it("refunds a failed order once; a second refund is refused; ledger, audit and finance agree", async () => {
    const userId = await fundedUser(50_000_000n);
    const o = await paidOrder(userId);
    const db = await getDb();
    await db
      .update(orders)
      .set({ status: "failed", failureReason: "test: chain refused" })
      .where(eq(orders.id, o.id));
    const today = new Date().toISOString().slice(0, 10);
    const [before] = await financeByDay({ from: today, to: today }, 0);

    const r = await refundOrderAction(ctxs.operator, { orderId: o.id, reason: "delivery failed" });
    expect(r.status).toBe("refunded");
    const again = await refundOrderAction(ctxs.owner, { orderId: o.id, reason: "again" }).catch((x) => x);
    expect(again).toBeInstanceOf(AppError);
    expect(again.code).toBe("invalid_state");

    const refunds = await db
      .select()
      .from(ledgerEntries)
      .where(eq(ledgerEntries.referenceId, String(o.id)));
    expect(refunds.filter((e) => e.type === "refund")).toHaveLength(1);
    const [u] = await db.select().from(users).where(eq(users.id, userId));
    expect(u.balanceSun).toBe(50_000_000n);
    const audit = await db
      .select()
      .from(auditLog)
      .where(eq(auditLog.targetId, String(o.id)));
    expect(audit.find((a) => a.action === "order.refund")?.adminId).toBe(ctxs.operator.admin.id);

    const [after] = await financeByDay({ from: today, to: today }, 0);
    expect(after.refundsSun - before.refundsSun).toBe(o.priceSun);
    expect(financeCsv([after])).toMatch(/^date,payments_trx,.*\r\n\d{4}-\d\d-\d\d,\d+\.?\d*,/);
  });

  it("retry says what happened: a failure naming the job queue when the event was not sent", async () => {
    const userId = await fundedUser(50_000_000n);
    const o = await paidOrder(userId);
    const db = await getDb();
    setEventSender(async () => {
      throw new Error("connect ECONNREFUSED 127.0.0.1:8288");
    });
    let e: unknown;
    try {
      e = await adminActions.retryOrder(ctxs.operator, { orderId: o.id }).catch((x) => x);
    } finally {
      setEventSender(null);
    }
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe("provider_unavailable");
    expect((e as AppError).message).toMatch(/^Not sent: the job queue/);
    const audit = () =>
      db
        .select()
        .from(auditLog)
        .where(eq(auditLog.targetId, String(o.id)))
        .orderBy(auditLog.id)
        .then((rows) => rows.filter((a) => a.action === "order.retry").map((a) => a.after));
    expect(await audit()).toEqual([{ sent: false, attempt: 1 }]);

    const r = await adminActions.retryOrder(ctxs.operator, { orderId: o.id });
    expect(r).toEqual({ sent: true, attempt: 2 });
    expect(await audit()).toEqual([
      { sent: false, attempt: 1 },
      { sent: true, attempt: 2 },
    ]);
  });

  it("cancel is only for paid orders; the orders table finds the order by user, status and receiver", async () => {
    const userId = await fundedUser(50_000_000n);
    const o = await paidOrder(userId);
    const found = await searchOrders({ user: String(userId), status: "paid", receiver: o.receiverAddress });
    expect(found.rows.map((r) => r.id)).toEqual([o.id]);
    const r = await adminActions.cancelOrder(ctxs.operator, { orderId: o.id, reason: "customer asked" });
    expect(r.status).toBe("refunded");
    const e = await adminActions.cancelOrder(ctxs.operator, { orderId: o.id }).catch((x) => x);
    expect(e.code).toBe("invalid_state");
    const stats = await getDashboardStats(400);
    expect(stats.windows.map((w) => w.window)).toEqual(["today", "7d", "30d"]);
    expect(stats.windows[0].orders).toBeGreaterThanOrEqual(1);
  });
});

describe("orders table: by batch and by source", () => {
  it("finds a batch's orders, shows each order's batch, filters by source; bad values are refused", async () => {
    const userId = await fundedUser(50_000_000n);
    const lines = [await freshReceiver(kit), await freshReceiver(kit)];
    const { batchId } = await createBatch({
      userId,
      source: "portal",
      idempotencyKey: randomUUID(),
      lines: lines.map((receiver) => ({ receiver, energy: "65000", duration: "1h" })),
    });
    const single = await paidOrder(userId); // source admin, no batch
    const { batchId: other } = await createBatch({
      userId,
      source: "bot",
      idempotencyKey: randomUUID(),
      lines: [{ receiver: await freshReceiver(kit), energy: "65000", duration: "1h" }],
    });

    const ofBatch = await searchOrders({ batch: String(batchId) });
    expect(ofBatch.rows.map((r) => r.receiverAddress).sort()).toEqual([...lines].sort());
    expect(ofBatch.rows.every((r) => r.batchId === batchId && r.source === "portal")).toBe(true);
    // with the other filters, and paged
    const page1 = await searchOrders({ batch: String(batchId), user: String(userId), limit: 1 });
    expect(page1.rows).toHaveLength(1);
    const page2 = await searchOrders({ batch: String(batchId), cursor: page1.nextCursor ?? "" });
    expect([...page1.rows, ...page2.rows].map((r) => r.batchId)).toEqual([batchId, batchId]);
    expect(page2.nextCursor).toBeNull();

    const mine = await searchOrders({ user: String(userId) });
    expect(mine.rows.map((r) => [r.id === single.id, r.batchId])).toEqual([
      [false, other],
      [true, null],
      [false, batchId],
      [false, batchId],
    ]);
    const by = async (source: Parameters<typeof searchOrders>[0]["source"]) =>
      (await searchOrders({ user: String(userId), source })).rows.map((r) => r.batchId);
    expect(await by("admin")).toEqual([null]);
    expect(await by("bot")).toEqual([other]);
    expect(await by("portal")).toEqual([batchId, batchId]);
    expect(await by("batch")).toEqual([other, batchId, batchId]);
    expect(await by("package")).toEqual([]);
    expect(await by("")).toHaveLength(4);
    expect((await searchOrders({ batch: "999999999" })).rows).toEqual([]);

    for (const [filter, value] of [
      ["batch", "x1"],
      ["batch", "-3"],
      ["source", "telegram"],
    ] as const) {
      const e = await searchOrders({ [filter]: value } as never).catch((x) => x);
      expect(e).toBeInstanceOf(AppError);
      expect(e.code).toBe("bad_request");
      expect(Object.keys(e.fields ?? {})).toEqual([filter]);
    }
  });
});

describe("order actions: cancel and reclaim now", () => {
  const cancelAudit = async (orderId: number) => {
    const db = await getDb();
    return db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, String(orderId)), eq(auditLog.action, "order.cancel")));
  };

  it("an operator's cancel writes its audit row in the cancel's transaction: one when it cancels, none when it does not", async () => {
    const userId = await fundedUser(50_000_000n);
    const o = await paidOrder(userId);
    const db = await getDb();
    const balance = async () => (await db.select().from(users).where(eq(users.id, userId)))[0].balanceSun;
    const paidBalance = await balance();

    // the audit row cannot be written (its admin does not exist): nothing is cancelled or refunded
    const ghost: AdminContext = { admin: { ...ctxs.operator.admin, id: 2_000_000_000 }, ip: null };
    await expect(adminActions.cancelOrder(ghost, { orderId: o.id })).rejects.toThrow();
    const [still] = await db.select().from(orders).where(eq(orders.id, o.id));
    expect(still.status).toBe("paid");
    expect(still.refundedSun).toBe(0n);
    expect(await balance()).toBe(paidBalance);
    expect(await cancelAudit(o.id)).toEqual([]);

    const r = await adminActions.cancelOrder(ctxs.operator, { orderId: o.id, reason: "customer asked" });
    expect(r.status).toBe("refunded");
    expect(await balance()).toBe(50_000_000n);
    const rows = await cancelAudit(o.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      adminId: ctxs.operator.admin.id,
      targetType: "order",
      before: { status: "paid" },
      after: { status: "refunded", reason: "customer asked" },
      ip: "203.0.113.7",
    });

    // no longer paid: refused, and no second audit row
    const e = await adminActions.cancelOrder(ctxs.owner, { orderId: o.id }).catch((x) => x);
    expect(e).toBeInstanceOf(AppError);
    expect(e.code).toBe("invalid_state");
    expect(await cancelAudit(o.id)).toHaveLength(1);
  });

  it("two operators cancelling the same order at once: one cancel, one refund, one audit row", async () => {
    const userId = await fundedUser(50_000_000n);
    const o = await paidOrder(userId);
    const results = await Promise.allSettled([
      adminActions.cancelOrder(ctxs.operator, { orderId: o.id }),
      adminActions.cancelOrder(ctxs.owner, { orderId: o.id }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason.code).toBe("invalid_state");
    expect(await cancelAudit(o.id)).toHaveLength(1);
    const db = await getDb();
    const refunds = await db
      .select()
      .from(ledgerEntries)
      .where(and(eq(ledgerEntries.referenceId, String(o.id)), eq(ledgerEntries.type, "refund")));
    expect(refunds).toHaveLength(1);
  });

  it("reclaim now: delegation/expired for every delegation still out, audited; refused when none is out", async () => {
    const userId = await fundedUser(50_000_000n);
    const o = await paidOrder(userId);
    const none = await adminActions.reclaimOrder(ctxs.operator, { orderId: o.id }).catch((x) => x);
    expect(none.code).toBe("invalid_state");

    expect((await runFulfil(kit, o.id)).error).toBeUndefined();
    const d = await getOrder({ orderId: o.id });
    expect(d.status).toBe("active");
    capturedEvents.length = 0;
    const r = await adminActions.reclaimOrder(ctxs.operator, { orderId: o.id });
    const ids = d.delegations.map((p) => p.id);
    expect(r.delegationIds).toEqual(ids);
    const sent = capturedEvents.filter((e) => e.name === "delegation/expired");
    expect(sent.map((e) => e.data.delegationId)).toEqual(ids);
    for (const e of sent)
      expect(e.id).toMatch(new RegExp(`^delegation-reclaim-now-${e.data.delegationId}-\\d+$`));
    const db = await getDb();
    const audit = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, String(o.id)), eq(auditLog.action, "order.reclaim_now")));
    expect(audit.map((a) => a.after)).toEqual([{ delegationIds: ids, sent: true }]);
  });
});

describe("balance adjustment", () => {
  it("requires a reason, then writes one adjustment ledger row and one audit row", async () => {
    const userId = await fundedUser(1_000_000n);
    const db = await getDb();
    const before = await adminFingerprint();
    const e = await adjustBalanceAction(ctxs.owner, { userId, amountTrx: "2.5", reason: "" }).catch((x) => x);
    expect(e.code).toBe("bad_request");
    expect(e.fields?.reason).toBeTruthy();
    expect(await adminFingerprint()).toBe(before);

    const nonce = randomUUID();
    const r = await adjustBalanceAction(ctxs.owner, {
      userId,
      amountTrx: "2.5",
      reason: "goodwill credit",
      nonce,
    });
    expect(r.balanceSun).toBe(3_500_000n);
    // a double submit of the same form posts once
    const r2 = await adjustBalanceAction(ctxs.owner, {
      userId,
      amountTrx: "2.5",
      reason: "goodwill credit",
      nonce,
    });
    expect(r2.replayed).toBe(true);
    const rows = await db.select().from(ledgerEntries).where(eq(ledgerEntries.userId, userId));
    const adj = rows.filter((x) => x.type === "adjustment");
    expect(adj).toHaveLength(1);
    expect(adj[0]).toMatchObject({
      amountSun: 2_500_000n,
      memo: "goodwill credit",
      adminId: ctxs.owner.admin.id,
    });
    const audit = await db
      .select()
      .from(auditLog)
      .where(eq(auditLog.targetId, String(userId)));
    const a = audit.find((x) => x.action === "user.adjust");
    expect(a?.before).toEqual({ balanceSun: "1000000" });
    expect(a?.after).toMatchObject({ balanceSun: "3500000", reason: "goodwill credit" });
    expect(a?.ip).toBe("203.0.113.7");

    const neg = await adjustBalanceAction(ctxs.owner, { userId, amountTrx: "-10", reason: "too much" }).catch(
      (x) => x,
    );
    expect(neg.code).toBe("insufficient_balance");
  });

  it("an adjustment beyond the balance column's range is a field error, and changes nothing", async () => {
    const userId = await fundedUser(1_000_000n);
    const before = await adminFingerprint();
    for (const amountTrx of ["1000000000000000", "-1000000000000000", "100000000001"]) {
      const e = await adjustBalanceAction(ctxs.owner, { userId, amountTrx, reason: "too much" }).catch(
        (x) => x,
      );
      expect(e, amountTrx).toBeInstanceOf(AppError);
      expect(e.code).toBe("invalid_amount");
      expect(e.fields?.amountTrx).toBeTruthy();
    }
    expect(await adminFingerprint()).toBe(before);
    // a balance already near the column's top: the sum would overflow it
    // (set directly, without a ledger row, and put back after: a real ledger row that large would
    // overflow other suites' daily sums)
    const db = await getDb();
    const near = 9_200_000_000_000_000_000n;
    const rich = await fundedUser(0n);
    await db.update(users).set({ balanceSun: near }).where(eq(users.id, rich));
    try {
      const before2 = await adminFingerprint();
      const e = await adjustBalanceAction(ctxs.owner, {
        userId: rich,
        amountTrx: "100000000000",
        reason: "overflow",
      }).catch((x) => x);
      expect(e.code).toBe("invalid_amount");
      expect(e.fields?.amountTrx).toMatch(/largest/);
      expect(await adminFingerprint()).toBe(before2);
      const [u] = await db.select().from(users).where(eq(users.id, rich));
      expect(u.balanceSun).toBe(near);
    } finally {
      await db.update(users).set({ balanceSun: 0n }).where(eq(users.id, rich));
    }
  });

  it("bans and unbans a user, audited", async () => {
    const userId = await fundedUser(0n);
    await adminActions.setUserStatus(ctxs.operator, { userId, status: "banned", reason: "fraud" });
    const db = await getDb();
    const [u] = await db.select().from(users).where(eq(users.id, userId));
    expect(u.status).toBe("banned");
    await adminActions.setUserStatus(ctxs.operator, { userId, status: "active" });
    const audit = await db
      .select()
      .from(auditLog)
      .where(eq(auditLog.targetId, String(userId)));
    expect(audit.map((x) => x.action)).toEqual(expect.arrayContaining(["user.ban", "user.unban"]));
  });
});

describe("pricing change", () => {
  const saved: { durations?: unknown; presets?: unknown } = {};
  beforeAll(async () => {
    const s = serializeSettings(await getSettings());
    saved.durations = s.durations;
    saved.presets = s.presets;
  });
  afterAll(async () => {
    await updateSettings({ durations: saved.durations as never, presets: saved.presets as never });
  });

  it("shows in a new quote at once: lib/pricing, GET /api/v1/price and the bot", async () => {
    const s = serializeSettings(await getSettings());
    const durations = s.durations.map((d) => (d.key === "1h" ? { ...d, unitPriceSun: "77" } : d));
    const bad = await updateSettingsAction(ctxs.owner, { energyMin: 5 }).catch((x) => x);
    expect(bad.code).toBe("bad_request");
    await updateSettingsAction(ctxs.owner, { durations, presets: [65_000] });
    const q = await quote({ energy: 65_000, duration: "1h" });
    expect(q.unitPriceSun).toBe(77n);
    const res = await priceRoute(new Request("http://localhost/api/v1/price?energy=65000&duration=1h"));
    const body = await res.json();
    expect(body.unitPriceSun ?? body.unit_price_sun).toBe("77");
    expect(JSON.stringify(body)).toContain(String(65_000n * 77n));

    const h = await startHarness();
    try {
      const u = newTgUser();
      await h.text(u, "/start");
      h.api.clear();
      await h.text(u, "/rent");
      const texts = h.api.calls
        .map((c) => String(c.body.text ?? ""))
        .join("\n")
        .replace(/[\u2068\u2069]/g, "");
      expect(texts).toMatch(/77 sun\/energy/);
    } finally {
      await h.close();
    }
    const db = await getDb();
    const [audit] = await db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, "settings.update"))
      .orderBy(sql`id desc`)
      .limit(1);
    expect(audit.adminId).toBe(ctxs.owner.admin.id);
    expect(audit.ip).toBe("203.0.113.7");
  });
});

describe("settings action: transfer offers and packages against the pricing floor", () => {
  afterAll(async () => {
    await resetSettings(["transfer", "packages"]);
  });

  /** What a refusal must leave untouched: the stored rows and the audit log. */
  async function stored() {
    const db = await getDb();
    const rows = await db.select().from(settingsTable).orderBy(settingsTable.key);
    const [{ n }] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(auditLog)
      .where(eq(auditLog.action, "settings.update"));
    return { rows: rows.map((r) => [r.key, JSON.stringify(r.value)]), audits: n };
  }

  it("refuses an offer or a package below the floor with the floor price, nothing stored; a tick saves it", async () => {
    const s = serializeSettings(await getSettings());
    const cheapOffer = { amountSun: "100000", energy: 131_000, duration: "1d" };
    const transfer = { ...s.transfer, offers: [...s.transfer.offers, cheapOffer] };
    const before = await stored();

    const e = await updateSettingsAction(ctxs.owner, { transfer }).catch((x) => x);
    expect(e).toBeInstanceOf(AppError);
    expect(e.code).toBe("bad_request");
    expect(e.message).toMatch(
      /^The offer 0\.1 TRX = 131,000 energy \/ 1d is below the floor price of [\d.]+ TRX for that energy and duration\./,
    );
    expect(Object.keys(e.fields)).toEqual(["transferOffers"]);
    const floorSun = BigInt(e.details.belowFloor[0].floor_sun);
    expect(floorSun).toBeGreaterThan(600_000n);
    // the floor a quote for the same energy and duration is never priced below
    expect((await quote({ energy: 131_000, duration: "1d" })).floorSun).toBe(floorSun);
    expect(await stored()).toEqual(before);

    const pkg = { ...s.packages, offers: [{ transfers: 500, priceSun: "1000000" }] };
    const p = await updateSettingsAction(ctxs.owner, { packages: pkg }).catch((x) => x);
    expect(p.code).toBe("bad_request");
    expect(p.message).toMatch(
      /^The package of 500 transfers at 1 TRX is below the floor price of [\d,.]+ TRX/,
    );
    expect(Object.keys(p.fields)).toEqual(["packageOffers"]);
    expect(await stored()).toEqual(before);

    // Another setting saved alone is not held back by the offers.
    await updateSettingsAction(ctxs.owner, { batchMaxLines: 99 });

    // Ticked "sell below the floor": saved, with the tick.
    await updateSettingsAction(ctxs.owner, {
      transfer: { ...transfer, offers: [...s.transfer.offers, { ...cheapOffer, belowFloor: true }] },
      packages: { ...pkg, offers: [{ transfers: 500, priceSun: "1000000", belowFloor: true }] },
    });
    const next = await getSettings();
    expect(next.transfer.offers.at(-1)).toEqual({ ...cheapOffer, amountSun: 100_000n, belowFloor: true });
    expect(next.packages.offers).toEqual([{ transfers: 500, priceSun: 1_000_000n, belowFloor: true }]);
    await updateSettings({ batchMaxLines: 100 });
  });
});
