import { InngestTestEngine } from "@inngest/test";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { ledgerEntries, referralCommissions, users } from "@/db/schema";
import { matches } from "@/engine/expr";
import { referralCommission } from "@/inngest/functions/referral-commission";
import { capturedEvents } from "@/lib/events";
import { debit, findLedgerMismatches, getBalance } from "@/lib/ledger";
import { createOrder, getOrder, refundOrder } from "@/lib/orders";
import { creditOpeningBalance, freshReceiver, runFulfil, runReclaim } from "@/lib/orders/testing";
import { updateSettings } from "@/lib/settings";
import { buyPackage } from "@/lib/packages";
import { findOrCreateTelegramUser } from "@/lib/users";
import { orderKitWithPool } from "@/test/order-kit";
import {
  commissionKey,
  getInviteSummary,
  inviteStartParam,
  referralReport,
  reversalKey,
  settleReferralCommission,
} from ".";

const kit = orderKitWithPool([1, 2, 3]);
const TRX = 1_000_000n;
let tgId = 6_100_000_000 + Math.floor(Math.random() * 100_000_000);

async function setReferral(commissionBps: number, windowDays = 0) {
  await updateSettings({ referral: { commissionBps, windowDays } });
}

/** A referrer and a user who came through their invite link (the real first-contact path). */
async function pair(refereeBalance = 1_000n * TRX) {
  const { user: referrer } = await findOrCreateTelegramUser({ id: ++tgId, first_name: "Alice" });
  const { user: referee } = await findOrCreateTelegramUser(
    { id: ++tgId, first_name: "Bob" },
    { startParam: inviteStartParam(referrer.referralCode) },
  );
  expect(referee.referredByUserId).toBe(referrer.id);
  await creditOpeningBalance(referee.id, refereeBalance);
  return { referrer, referee };
}

async function deliveredOrder(userId: number, energy = 65_000) {
  const { order } = await createOrder({
    userId,
    receiver: await freshReceiver(kit),
    energy,
    duration: "1h",
    source: "portal",
    idempotencyKey: `k-${Math.random()}`,
  });
  const run = await runFulfil(kit, order.id);
  expect(run.error).toBeUndefined();
  const o = await getOrder({ orderId: order.id });
  expect(o.status).toBe("active");
  return o;
}

/** Ends the rental on the devnet and reclaims it: the order is `completed`. */
async function complete(orderId: number) {
  await kit.ctl("advance-time", { ms: 3_600_000 + 10_000 });
  const o = await getOrder({ orderId });
  for (const d of o.delegations) expect((await runReclaim(kit, d.id)).error).toBeUndefined();
  expect((await getOrder({ orderId })).status).toBe("completed");
}

async function entriesOf(userId: number) {
  const db = await getDb();
  return db.select().from(ledgerEntries).where(eq(ledgerEntries.userId, userId)).orderBy(ledgerEntries.id);
}

/** The order/status.changed events the app sent for this order's change to `to`. */
function changeEvents(orderId: number, to: string) {
  return capturedEvents.filter(
    (e) => e.name === "order/status.changed" && e.data.orderId === orderId && e.data.to === to,
  );
}

async function runFunction(event: (typeof capturedEvents)[number]) {
  const t = new InngestTestEngine({ function: referralCommission });
  return t.execute({ events: [event as never] });
}

beforeEach(() => setReferral(1_000)); // 10 %
afterAll(() => setReferral(0, 0));

describe("referral commissions", () => {
  it("a delivered order credits the referrer once (floor of 10 %), however many times and ways it is settled", async () => {
    const { referrer, referee } = await pair();
    const o = await deliveredOrder(referee.id, 65_001);
    const expected = ((o.priceSun - o.refundedSun) * 1_000n) / 10_000n;
    expect(o.priceSun % 10n).not.toBe(0n); // the rounding is exercised
    const [event] = changeEvents(o.id, "active");
    expect(event).toBeDefined();
    // the function on the real event, twice, and ten concurrent settlements beside it
    const results = await Promise.all([
      runFunction(event),
      runFunction(event),
      ...Array.from({ length: 10 }, () => settleReferralCommission(o.id)),
    ]);
    expect(results.filter((r) => "status" in r && r.status === "credited")).toHaveLength(1);
    const credits = (await entriesOf(referrer.id)).filter((e) => e.type === "referral_commission");
    expect(credits).toHaveLength(1);
    expect(credits[0]).toMatchObject({
      amountSun: expected,
      idempotencyKey: commissionKey(o.id),
      referenceType: "order",
      referenceId: String(o.id),
    });
    expect(await getBalance(referrer.id)).toBe(expected);
    const db = await getDb();
    const [row] = await db.select().from(referralCommissions).where(eq(referralCommissions.orderId, o.id));
    expect(row).toMatchObject({
      referrerUserId: referrer.id,
      refereeUserId: referee.id,
      baseSun: o.priceSun,
      rateBps: 1_000,
      commissionSun: expected,
      reversedSun: 0n,
      owedSun: 0n,
    });
    // a later change of the rate does not touch what was credited
    await setReferral(2_000);
    expect(await settleReferralCommission(o.id)).toEqual({ status: "unchanged" });
    expect(await getBalance(referrer.id)).toBe(expected);
    expect(await findLedgerMismatches()).toEqual([]);
  });

  it("the function starts only for delivery and refunds; an order not yet delivered earns nothing", async () => {
    const { referrer, referee } = await pair();
    const { order } = await createOrder({
      userId: referee.id,
      receiver: await freshReceiver(kit),
      energy: 65_000,
      duration: "1h",
      source: "bot",
      idempotencyKey: `k-${Math.random()}`,
    });
    expect(await settleReferralCommission(order.id)).toEqual({ status: "none", reason: "not_delivered" });
    // the trigger's condition, evaluated as the engine does (CEL), leaves the paid change out
    const cond = String((referralCommission.opts.triggers as { if: string }[])[0].if);
    const [paid] = changeEvents(order.id, "paid");
    expect(matches(cond, { event: paid })).toBe(false);
    const run = await runFulfil(kit, order.id);
    expect(run.error).toBeUndefined();
    const [active] = changeEvents(order.id, "active");
    expect(matches(cond, { event: active })).toBe(true);
    expect((await runFunction(active)).result).toMatchObject({ status: "credited" });
    expect(await getBalance(referrer.id)).toBeGreaterThan(0n);
  });

  it("a package's prepaid supply earns no commission: the referee paid the package, not the supply", async () => {
    await setReferral(1_000);
    const { referrer, referee } = await pair();
    const receiver = await freshReceiver(kit);
    const { package: p } = await buyPackage({
      userId: referee.id,
      address: receiver,
      transfers: 10,
      source: "bot",
      idempotencyKey: `p-${Math.random()}`,
    });
    const { order } = await createOrder({
      userId: referee.id,
      receiver,
      energy: 65_000,
      duration: "1h",
      source: "bot",
      idempotencyKey: `pkg:${p.id}:1`,
      packageId: p.id,
    });
    expect((await runFulfil(kit, order.id)).error).toBeUndefined();
    expect(await settleReferralCommission(order.id)).toEqual({ status: "none", reason: "prepaid" });
    expect(await getBalance(referrer.id)).toBe(0n);
  });

  it("0 % is off: nothing credited, and turning it on later does not pay for orders already settled", async () => {
    await setReferral(0);
    const { referrer, referee } = await pair();
    const o = await deliveredOrder(referee.id);
    expect(await settleReferralCommission(o.id)).toEqual({ status: "none", reason: "off" });
    expect(await entriesOf(referrer.id)).toHaveLength(0);
    const db = await getDb();
    expect(await db.select().from(referralCommissions).where(eq(referralCommissions.orderId, o.id))).toEqual(
      [],
    );
  });

  it("the time limit: an order placed after the window earns nothing; inside it, it does", async () => {
    await setReferral(1_000, 30);
    const { referrer, referee } = await pair();
    const inside = await deliveredOrder(referee.id);
    expect(await settleReferralCommission(inside.id)).toMatchObject({ status: "credited" });
    // the invitee's first contact was 31 days before their next order
    const db = await getDb();
    await db
      .update(users)
      .set({ createdAt: sql`now() - interval '31 days'` })
      .where(eq(users.id, referee.id));
    const late = await deliveredOrder(referee.id);
    expect(await settleReferralCommission(late.id)).toEqual({ status: "none", reason: "window_over" });
    // 0 days: no limit
    await setReferral(1_000, 0);
    const later = await deliveredOrder(referee.id);
    expect(await settleReferralCommission(later.id)).toMatchObject({ status: "credited" });
    const credits = (await entriesOf(referrer.id)).filter((e) => e.type === "referral_commission");
    expect(credits.map((e) => e.referenceId)).toEqual([String(inside.id), String(later.id)]);
  });

  it("users not referred, and orders that do not exist, earn nothing and change nothing", async () => {
    const { user } = await findOrCreateTelegramUser({ id: ++tgId, first_name: "Solo" });
    await creditOpeningBalance(user.id, 1_000n * TRX);
    const o = await deliveredOrder(user.id);
    expect(await settleReferralCommission(o.id)).toEqual({ status: "none", reason: "not_referred" });
    expect(await settleReferralCommission(999_999_999)).toEqual({ status: "none", reason: "no_order" });
    expect(await findLedgerMismatches()).toEqual([]);
  });

  it("a refund after delivery takes the commission back once, through the refunded event", async () => {
    const { referrer, referee } = await pair();
    const o = await deliveredOrder(referee.id);
    await runFunction(changeEvents(o.id, "active")[0]);
    const commission = (o.priceSun * 1_000n) / 10_000n;
    expect(await getBalance(referrer.id)).toBe(commission);
    await complete(o.id);
    await refundOrder({ orderId: o.id, reason: "goodwill", adminId: undefined });
    expect((await getOrder({ orderId: o.id })).status).toBe("refunded");
    const [refunded] = changeEvents(o.id, "refunded");
    const runs = await Promise.all([
      runFunction(refunded),
      runFunction(refunded),
      settleReferralCommission(o.id),
    ]);
    // whichever of the three wins returns "reversed" (the direct call's result carries bigints)
    const text = (r: unknown) => JSON.stringify(r, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
    expect(runs.filter((r) => text(r).includes('"reversed"'))).toHaveLength(1);
    const reversals = (await entriesOf(referrer.id)).filter((e) => e.type === "referral_reversal");
    expect(reversals).toHaveLength(1);
    expect(reversals[0]).toMatchObject({ amountSun: -commission, idempotencyKey: reversalKey(o.id) });
    expect(await getBalance(referrer.id)).toBe(0n);
    // the active event delivered again late changes nothing
    expect((await runFunction(changeEvents(o.id, "active")[0])).result).toEqual({ status: "unchanged" });
    expect(await getBalance(referrer.id)).toBe(0n);
    expect(await findLedgerMismatches()).toEqual([]);
  });

  it("a reversal the referrer's balance cannot cover: what is there is taken, the rest owed and recovered from the next commission", async () => {
    const range = () => ({ from: new Date(Date.now() - 86_400_000), to: new Date(Date.now() + 60_000) });
    const reportBefore = await referralReport(range());
    const { referrer, referee } = await pair();
    const first = await deliveredOrder(referee.id);
    await settleReferralCommission(first.id);
    const commission = (first.priceSun * 1_000n) / 10_000n;
    // the referrer spends most of it before the refund
    const spent = commission - 100_000n;
    await debit({ userId: referrer.id, amountSun: spent, idempotencyKey: `spend-${referrer.id}` });
    await complete(first.id);
    await refundOrder({ orderId: first.id, reason: "goodwill" });
    expect(await settleReferralCommission(first.id)).toEqual({
      status: "reversed",
      reversedSun: 100_000n,
      owedSun: commission - 100_000n,
    });
    expect(await getBalance(referrer.id)).toBe(0n);
    expect(await settleReferralCommission(first.id)).toEqual({ status: "unchanged" });
    expect((await getInviteSummary(referrer.id)).owedSun).toBe(commission - 100_000n);
    // the next commission pays the debt first
    const second = await deliveredOrder(referee.id);
    const next = (second.priceSun * 1_000n) / 10_000n;
    expect(await settleReferralCommission(second.id)).toEqual({
      status: "credited",
      commissionSun: next,
      recoveredSun: commission - 100_000n,
    });
    expect(await getBalance(referrer.id)).toBe(next - (commission - 100_000n));
    const db = await getDb();
    const [row] = await db
      .select()
      .from(referralCommissions)
      .where(eq(referralCommissions.orderId, first.id));
    expect(row).toMatchObject({ reversedSun: commission, owedSun: 0n });
    const recovered = await db
      .select()
      .from(ledgerEntries)
      .where(
        and(
          eq(ledgerEntries.userId, referrer.id),
          eq(ledgerEntries.idempotencyKey, `referral:recover:${first.id}:${second.id}`),
        ),
      );
    expect(recovered.map((e) => e.amountSun)).toEqual([-(commission - 100_000n)]);
    // settling either again changes nothing
    expect(await settleReferralCommission(second.id)).toEqual({ status: "unchanged" });
    expect(await settleReferralCommission(first.id)).toEqual({ status: "unchanged" });
    expect(await findLedgerMismatches()).toEqual([]);
    const summary = await getInviteSummary(referrer.id);
    expect(summary).toMatchObject({ invitees: 1, earningInvitees: 1, owedSun: 0n, earnedSun: next });
    expect(summary.recent).toEqual([{ name: "B•••", joinedAt: expect.any(Date), earnedSun: next }]);
    // the console's report: both commissions credited, the first taken back in full, net the second
    const report = await referralReport(range(), 1_000);
    expect(report.top.find((t) => t.userId === referrer.id)).toMatchObject({
      orders: 2,
      netSun: next,
      owedSun: 0n,
    });
    expect(report.totals.commissionSun - reportBefore.totals.commissionSun).toBe(commission + next);
    expect(report.totals.reversedSun - reportBefore.totals.reversedSun).toBe(commission);
    expect(report.totals.netSun - reportBefore.totals.netSun).toBe(next);
    const today = new Date().toISOString().slice(0, 10);
    const dayNet = (r: typeof report) => r.days.find((d) => d.day === today)?.netSun ?? 0n;
    expect(dayNet(report) - dayNet(reportBefore)).toBe(next);
  });

  it("a user is referred only on first contact, never by an unknown code or a banned user", async () => {
    const { user: a } = await findOrCreateTelegramUser({ id: ++tgId, first_name: "A" });
    const { user: known } = await findOrCreateTelegramUser({ id: ++tgId, first_name: "K" });
    const again = await findOrCreateTelegramUser(
      { id: known.telegramId!, first_name: "K" },
      { startParam: inviteStartParam(a.referralCode) },
    );
    expect(again).toMatchObject({ created: false, user: { referredByUserId: null } });
    for (const p of ["ref_nosuchcode", "ref_", "ref_<script>", "ref_a", "login", `REF_${a.referralCode}`]) {
      const { user, created } = await findOrCreateTelegramUser({ id: ++tgId }, { startParam: p });
      expect(created, p).toBe(true);
      expect(user.referredByUserId, p).toBeNull();
    }
    const db = await getDb();
    await db.update(users).set({ status: "banned" }).where(eq(users.id, a.id));
    const { user } = await findOrCreateTelegramUser(
      { id: ++tgId },
      { startParam: inviteStartParam(a.referralCode) },
    );
    expect(user.referredByUserId).toBeNull();
    // the database refuses a self-referral outright
    await expect(
      db.update(users).set({ referredByUserId: known.id }).where(eq(users.id, known.id)),
    ).rejects.toThrow();
  });
});
