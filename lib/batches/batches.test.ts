import { InngestTestEngine } from "@inngest/test";
import { and, eq, like, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { resumeBatches } from "@/inngest/functions/resume-batches";
import { batches, batchLines, ledgerEntries, orders } from "@/db/schema";
import { getBalance } from "@/lib/ledger";
import { getOrder } from "@/lib/orders";
import { freshReceiver, fundedUser, newAddress, runFulfil } from "@/lib/orders/testing";
import { listWallets, setWalletStatus } from "@/lib/pool";
import { resetSettings, updateSettings } from "@/lib/settings";
import { orderKitWithPool } from "@/test/order-kit";
import {
  batchIdsOfOrders,
  createBatch,
  getBatch,
  listBatches,
  parseBatchText,
  previewBatch,
  resumeUnplacedBatches,
} from ".";

const kit = orderKitWithPool([1, 2, 3]);
const TRX = 1_000_000n;
const PRICE_65K_1H = 65_000n * 45n; // 2.925 TRX at the default 45 sun per energy-hour
const PRICE_32K_1H = 32_000n * 45n;

let seq = 0;
const key = () => `b-${Date.now()}-${seq++}`;

async function ledgerOf(userId: number) {
  const db = await getDb();
  return db.select().from(ledgerEntries).where(eq(ledgerEntries.userId, userId));
}

async function ordersOf(userId: number) {
  const db = await getDb();
  return db.select().from(orders).where(eq(orders.userId, userId));
}

describe("parseBatchText", () => {
  it("reads CSV with or without a header, quoted fields, spaces, defaults for missing columns", () => {
    const text = [
      "address,energy,duration",
      "TA1, 65000, 1h",
      '"TA2","65,000","1d"',
      "",
      "# a comment",
      "TA3\t131k\t3d",
      "TA4 65k 1h",
      "TA5",
      "TA6；65k；1h".replace(/；/g, ";"),
    ].join("\r\n");
    expect(parseBatchText(text, { energy: "32000", duration: "1h" })).toEqual([
      { receiver: "TA1", energy: "65000", duration: "1h" },
      { receiver: "TA2", energy: "65,000", duration: "1d" },
      { receiver: "TA3", energy: "131k", duration: "3d" },
      { receiver: "TA4", energy: "65k", duration: "1h" },
      { receiver: "TA5", energy: "32000", duration: "1h" },
      { receiver: "TA6", energy: "65k", duration: "1h" },
    ]);
    expect(parseBatchText("TB1,65000,1h\nTB2")).toEqual([
      { receiver: "TB1", energy: "65000", duration: "1h" },
      { receiver: "TB2", energy: "", duration: "" },
    ]);
    expect(parseBatchText("\uFEFFaddress\nTC1")).toEqual([{ receiver: "TC1", energy: "", duration: "" }]);
  });

  it("refuses a list longer than it reads", () => {
    expect(() => parseBatchText("x".repeat(70_000))).toThrow(/too long/);
  });
});

describe("createBatch", () => {
  it("all lines ok: one order and one debit per line, placed with its totals", async () => {
    const userId = await fundedUser(100n * TRX);
    const rs = [await freshReceiver(kit), await freshReceiver(kit), await freshReceiver(kit)];
    const { batchId, created } = await createBatch({
      userId,
      source: "portal",
      idempotencyKey: key(),
      lines: rs.map((r) => ({ receiver: r, energy: "65k", duration: "1h" })),
    });
    expect(created).toBe(true);
    const b = await getBatch({ batchId, userId });
    expect(b.placedAt).toBeInstanceOf(Date);
    expect(b.claimedUntil).toBeNull();
    expect(b).toMatchObject({ lineCount: 3, orderedCount: 3, rejectedCount: 0 });
    expect(b.totalEnergy).toBe(195_000n);
    expect(b.totalPriceSun).toBe(3n * PRICE_65K_1H);
    expect(b.lines.map((l) => [l.lineNo, l.status, l.order?.receiverAddress, l.order?.status])).toEqual(
      rs.map((r, i) => [i + 1, "ordered", r, "paid"]),
    );
    const os = await ordersOf(userId);
    expect(os.map((o) => o.idempotencyKey).sort()).toEqual([1, 2, 3].map((n) => `batch:${batchId}:${n}`));
    expect(os.every((o) => o.source === "portal")).toBe(true);
    const debits = (await ledgerOf(userId)).filter((l) => l.type === "order_payment");
    expect(debits).toHaveLength(3);
    expect(await getBalance(userId)).toBe(100n * TRX - 3n * PRICE_65K_1H);
    // the owner sees it; anyone else gets not_found
    await expect(getBatch({ batchId, userId: userId + 1 })).rejects.toMatchObject({ code: "not_found" });
    expect((await listBatches({ userId })).batches.map((x) => x.id)).toEqual([batchId]);
    // the console: everyone's batches, newest first, and the batch an order came from
    expect((await listBatches({ limit: 1 })).batches.map((x) => x.id)).toEqual([batchId]);
    const of = await batchIdsOfOrders(os.map((o) => o.id));
    expect([...of.values()]).toEqual([batchId, batchId, batchId]);
    await expect(listBatches({ cursor: "x" })).rejects.toMatchObject({ code: "bad_request" });
  });

  it("mixed valid and invalid lines: each bad line rejected with its own error, only good lines debited", async () => {
    const userId = await fundedUser(100n * TRX);
    const good = await freshReceiver(kit);
    const good2 = await freshReceiver(kit);
    const inactive = newAddress();
    const { batchId } = await createBatch({
      userId,
      source: "api",
      idempotencyKey: key(),
      lines: [
        { receiver: good, energy: 65_000, duration: "1h" },
        { receiver: "TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSF", energy: 65_000, duration: "1h" },
        { receiver: inactive, energy: 65_000, duration: "1h" },
        { receiver: good2, energy: 10, duration: "1h" },
        { receiver: good2, energy: 65_000, duration: "2h" },
        { receiver: good2, energy: "", duration: "1h" },
        { receiver: good, energy: 65_000, duration: "1d" },
        { receiver: good2, energy: "65,000", duration: "1d" },
      ],
    });
    const b = await getBatch({ batchId });
    expect(b.lines.map((l) => [l.status, l.errorCode])).toEqual([
      ["ordered", null],
      ["rejected", "invalid_address"],
      ["rejected", "not_activated"],
      ["rejected", "energy_out_of_range"],
      ["rejected", "unknown_duration"],
      ["rejected", "energy_out_of_range"],
      ["rejected", "duplicate_receiver"],
      ["ordered", null],
    ]);
    expect(b.lines[1].errorMessage).toMatch(/checksum/i);
    expect(b.lines[5].errorMessage).toMatch(/missing/);
    expect(b.lines[6].errorMessage).toContain("line 1");
    expect(b.lines[6].errorDetails).toMatchObject({ reason: "duplicate_receiver", line: 1 });
    expect(b).toMatchObject({ orderedCount: 2, rejectedCount: 6 });
    const os = await ordersOf(userId);
    expect(os).toHaveLength(2);
    expect((await ledgerOf(userId)).filter((l) => l.type === "order_payment")).toHaveLength(2);
    expect(await getBalance(userId)).toBe(100n * TRX - PRICE_65K_1H - 65_000n * 75n);
  });

  it("a balance for only some lines: lines are paid in list order while the balance covers them", async () => {
    // 7.5 TRX: lines 1 and 2 (2.925 each) fit, 3 does not (1.65 left), 4 (1.44) still does.
    const userId = await fundedUser(7_500_000n);
    const rs = await Promise.all([1, 2, 3, 4].map(() => freshReceiver(kit)));
    const { batchId } = await createBatch({
      userId,
      source: "bot",
      idempotencyKey: key(),
      lines: [
        { receiver: rs[0], energy: "65000", duration: "1h" },
        { receiver: rs[1], energy: "65000", duration: "1h" },
        { receiver: rs[2], energy: "65000", duration: "1h" },
        { receiver: rs[3], energy: "32000", duration: "1h" },
      ],
    });
    const b = await getBatch({ batchId });
    expect(b.lines.map((l) => [l.status, l.errorCode])).toEqual([
      ["ordered", null],
      ["ordered", null],
      ["rejected", "insufficient_balance"],
      ["ordered", null],
    ]);
    expect(await getBalance(userId)).toBe(7_500_000n - 2n * PRICE_65K_1H - PRICE_32K_1H);
    expect(b.totalPriceSun).toBe(2n * PRICE_65K_1H + PRICE_32K_1H);
  });

  it("a replay of the key returns the same batch and charges nothing more; other lines → idempotency_conflict", async () => {
    const userId = await fundedUser(100n * TRX);
    const rs = [await freshReceiver(kit), await freshReceiver(kit)];
    const k = key();
    const lines = rs.map((r) => ({ receiver: r, energy: "65000", duration: "1h" }));
    const first = await createBatch({ userId, source: "api", idempotencyKey: k, lines });
    const balance = await getBalance(userId);
    const again = await createBatch({ userId, source: "api", idempotencyKey: k, lines });
    expect(again).toEqual({ batchId: first.batchId, created: false });
    await expect(
      createBatch({ userId, source: "api", idempotencyKey: k, lines: [lines[0]] }),
    ).rejects.toMatchObject({ code: "idempotency_conflict" });
    expect(await getBalance(userId)).toBe(balance);
    expect(await ordersOf(userId)).toHaveLength(2);
    const db = await getDb();
    expect(await db.select().from(batches).where(eq(batches.userId, userId))).toHaveLength(1);
  });

  it("concurrent submissions of one key make one batch, one order and one debit per line", async () => {
    const userId = await fundedUser(100n * TRX);
    const rs = await Promise.all([1, 2, 3].map(() => freshReceiver(kit)));
    const k = key();
    const lines = rs.map((r) => ({ receiver: r, energy: "65000", duration: "1h" }));
    const results = await Promise.all(
      [1, 2, 3, 4].map(() => createBatch({ userId, source: "api", idempotencyKey: k, lines })),
    );
    const ids = new Set(results.map((r) => r.batchId));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const [batchId] = ids;
    // whichever call placed the lines, the batch ends placed with every line ordered once
    await resumeUnplacedBatches({ olderThanSeconds: 0 });
    const b = await getBatch({ batchId });
    expect(b.lines.map((l) => l.status)).toEqual(["ordered", "ordered", "ordered"]);
    expect(await ordersOf(userId)).toHaveLength(3);
    expect((await ledgerOf(userId)).filter((l) => l.type === "order_payment")).toHaveLength(3);
    expect(await getBalance(userId)).toBe(100n * TRX - 3n * PRICE_65K_1H);
  });

  it("a line's order failing at fulfil refunds only that line", async () => {
    const userId = await fundedUser(100n * TRX);
    const rs = [await freshReceiver(kit), await freshReceiver(kit)];
    const { batchId } = await createBatch({
      userId,
      source: "portal",
      idempotencyKey: key(),
      lines: rs.map((r) => ({ receiver: r, energy: "65000", duration: "1h" })),
    });
    const b = await getBatch({ batchId });
    const [o1, o2] = b.lines.map((l) => l.orderId as number);
    expect((await runFulfil(kit, o1)).error).toBeUndefined();
    // the pool is gone by the time the second line is delivered
    for (const w of await listWallets()) await setWalletStatus(w.id, "disabled");
    expect((await runFulfil(kit, o2)).error).toBeUndefined();
    expect((await getOrder({ orderId: o1 })).status).toBe("active");
    const d2 = await getOrder({ orderId: o2 });
    expect(d2.status).toBe("refunded");
    const after = await getBatch({ batchId });
    expect(after.lines.map((l) => l.order?.status)).toEqual(["active", "refunded"]);
    expect(after.refundedSun).toBe(PRICE_65K_1H);
    expect(after.counts).toEqual({ active: 1, refunded: 1 });
    expect(after.settled).toBe(true);
    const refunds = (await ledgerOf(userId)).filter((l) => l.type === "refund");
    expect(refunds.map((l) => l.idempotencyKey)).toEqual([`refund:order:${o2}`]);
    expect(await getBalance(userId)).toBe(100n * TRX - PRICE_65K_1H);
  });

  it("a batch interrupted by the node failing keeps its lines pending; the sweep places them once", async () => {
    const userId = await fundedUser(100n * TRX);
    const rs = [newAddress(), newAddress()];
    for (const r of rs) await kit.ctl("fund", { address: r, trx: 1 });
    const k = key();
    const lines = rs.map((r) => ({ receiver: r, energy: "65000", duration: "1h" }));
    await kit.ctl("faults", { status5xx: 1000 });
    try {
      await expect(createBatch({ userId, source: "api", idempotencyKey: k, lines })).rejects.toBeTruthy();
    } finally {
      await kit.ctl("faults/clear");
    }
    const db = await getDb();
    const [b] = await db.select().from(batches).where(eq(batches.userId, userId));
    expect(b.placedAt).toBeNull();
    expect(b.claimedUntil).toBeNull();
    const pending = await db.select().from(batchLines).where(eq(batchLines.batchId, b.id));
    expect(pending.map((l) => l.status)).toEqual(["pending", "pending"]);
    expect(await getBalance(userId)).toBe(100n * TRX);
    // the sweep leaves a batch younger than a minute to its own request
    const sweep = () => new InngestTestEngine({ function: resumeBatches }).execute({});
    await sweep();
    expect((await getBatch({ batchId: b.id })).placedAt).toBeNull();
    await db.execute(sql`update batches set created_at = now() - interval '2 minutes' where id = ${b.id}`);
    const run = await sweep();
    expect(run.error).toBeUndefined();
    expect((run.result as { placed: number }).placed).toBeGreaterThanOrEqual(1);
    expect(await resumeUnplacedBatches({ olderThanSeconds: 0 })).toBe(0);
    const done = await getBatch({ batchId: b.id });
    expect(done.placedAt).toBeInstanceOf(Date);
    expect(done.lines.map((l) => l.status)).toEqual(["ordered", "ordered"]);
    expect(await getBalance(userId)).toBe(100n * TRX - 2n * PRICE_65K_1H);
    // a replay of the request now answers the same batch
    expect(await createBatch({ userId, source: "api", idempotencyKey: k, lines })).toEqual({
      batchId: b.id,
      created: false,
    });
  });

  it("refuses the whole batch (nothing stored) for no lines, too many lines, maintenance, bad fields", async () => {
    const userId = await fundedUser(100n * TRX);
    const r = await freshReceiver(kit);
    const line = { receiver: r, energy: "65000", duration: "1h" };
    await expect(
      createBatch({ userId, source: "api", idempotencyKey: key(), lines: [] }),
    ).rejects.toMatchObject({
      code: "bad_request",
    });
    await updateSettings({ batchMaxLines: 2 });
    try {
      await expect(
        createBatch({ userId, source: "api", idempotencyKey: key(), lines: [line, line, line] }),
      ).rejects.toMatchObject({ code: "bad_request", details: { reason: "too_many_lines", max: 2 } });
      await expect(previewBatch({ userId, lines: [line, line, line] })).rejects.toMatchObject({
        details: { reason: "too_many_lines" },
      });
      await updateSettings({ maintenance: { enabled: true, message: "" } });
      await expect(
        createBatch({ userId, source: "api", idempotencyKey: key(), lines: [line] }),
      ).rejects.toMatchObject({ code: "maintenance" });
    } finally {
      await resetSettings();
    }
    await expect(
      createBatch({
        userId,
        source: "api",
        idempotencyKey: key(),
        lines: [{ receiver: r, energy: 1.5, duration: "1h" }] as never,
      }),
    ).rejects.toMatchObject({ code: "bad_request" });
    await expect(
      createBatch({ userId, source: "api", idempotencyKey: "has space", lines: [line] }),
    ).rejects.toMatchObject({ code: "bad_request" });
    const db = await getDb();
    expect(await db.select().from(batches).where(eq(batches.userId, userId))).toHaveLength(0);
    expect(
      await db
        .select()
        .from(orders)
        .where(and(eq(orders.userId, userId), like(orders.idempotencyKey, "batch:%"))),
    ).toHaveLength(0);
    expect(await getBalance(userId)).toBe(100n * TRX);
  });
});

describe("previewBatch", () => {
  it("quotes each line, marks bad and repeated lines, totals the valid ones against the balance", async () => {
    const userId = await fundedUser(5n * TRX);
    const a = await freshReceiver(kit);
    const b = await freshReceiver(kit);
    const p = await previewBatch({
      userId,
      lines: [
        { receiver: a, energy: "65k", duration: "1h" },
        { receiver: newAddress(), energy: "65000", duration: "1h" },
        { receiver: a, energy: "65000", duration: "1h" },
        { receiver: b, energy: "65000", duration: "9h" },
        { receiver: b, energy: "65000", duration: "1h" },
      ],
    });
    expect(p.lines.map((l) => l.error?.code ?? null)).toEqual([
      null,
      "not_activated",
      "conflict",
      "unknown_duration",
      null,
    ]);
    expect(p.lines[0]).toMatchObject({
      receiver: a,
      energy: 65_000n,
      durationKey: "1h",
      priceSun: PRICE_65K_1H,
    });
    expect(p.validCount).toBe(2);
    expect(p.totalPriceSun).toBe(2n * PRICE_65K_1H);
    expect(p.balanceSun).toBe(5n * TRX);
    expect(p.short).toBe(true);
    // a preview changes nothing
    expect(await getBalance(userId)).toBe(5n * TRX);
    expect(await ordersOf(userId)).toHaveLength(0);
  });
});
