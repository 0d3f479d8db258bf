import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { batches, orders } from "@/db/schema";
import { getBatch } from "@/lib/batches";
import { translator } from "@/lib/i18n";
import { getBalance } from "@/lib/ledger";
import { freshReceiver, fundedUser, newAddress, runFulfil } from "@/lib/orders/testing";
import { orderKitWithPool } from "@/test/order-kit";
import { PageMessages } from "../_lib/page-messages";
import { batchFormFor } from "./logic";
import { batchLive } from "./view";

const kit = orderKitWithPool([1, 2, 3]);
const TRX = 1_000_000n;
const en = { t: translator("en"), locale: "en" as const, tz: "UTC" };
const zh = { t: translator("zh"), locale: "zh" as const, tz: "Asia/Shanghai" };

const form = (o: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(o)) f.set(k, v);
  return f;
};
const KEY = () => `k${Math.random().toString(36).slice(2)}abcdef`;

describe("portal batch form", () => {
  it("preview (nothing stored) → confirm → the batch, each valid line an order; a double submit is one batch", async () => {
    const userId = await fundedUser(100n * TRX);
    const a = await freshReceiver(kit);
    const b = await freshReceiver(kit);
    const list = `address,energy,duration\n${a}, 65k, 1h\n${b}\nnot-an-address, 65000, 1h\n`;
    const key = KEY();
    const p = await batchFormFor(
      { id: userId },
      form({ intent: "preview", list, energy: "131000", duration: "1d", idempotencyKey: key }),
      en,
    );
    expect(p.status).toBe("preview");
    if (p.status !== "preview") return;
    expect(p.preview.lines.map((l) => [l.status, l.price])).toEqual([
      ["ok", "2.925 TRX"],
      ["ok", "9.825 TRX"],
      ["rejected", null],
    ]);
    expect(p.preview.lines[1]).toMatchObject({ energy: "131,000 energy", duration: "1d" });
    expect(p.preview.lines[2].error).toBe(en.t("address-bad_characters"));
    expect(p.preview).toMatchObject({ validCount: 2, invalidCount: 1, total: "12.75 TRX", short: false });
    const db = await getDb();
    expect(await db.select().from(batches).where(eq(batches.userId, userId))).toHaveLength(0);
    expect(await getBalance(userId)).toBe(100n * TRX);

    const confirm = form({ intent: "confirm", list, energy: "131000", duration: "1d", idempotencyKey: key });
    const c1 = await batchFormFor({ id: userId }, confirm, en);
    const c2 = await batchFormFor({ id: userId }, confirm, en);
    expect(c1.status).toBe("success");
    expect(c2).toEqual(c1);
    if (c1.status !== "success") return;
    expect(await db.select().from(orders).where(eq(orders.userId, userId))).toHaveLength(2);
    expect(await getBalance(userId)).toBe(100n * TRX - 12_750_000n);

    // the batch view: each line with its order's status, updated as the orders progress
    const live = batchLive(await getBatch({ batchId: c1.batchId, userId }), en);
    expect(live.lines.map((l) => [l.status, l.statusLabel])).toEqual([
      ["paid", "Paid"],
      ["paid", "Paid"],
      ["rejected", "Not ordered"],
    ]);
    expect(live).toMatchObject({ orderedCount: 2, rejectedCount: 1, paid: "12.75 TRX", settled: false });
    await runFulfil(kit, live.lines[0].orderId as number);
    const later = batchLive(await getBatch({ batchId: c1.batchId, userId }), zh);
    expect(later.lines[0].statusLabel).toBe(zh.t("status-active"));
    expect(later.lines[2].error).toBe(zh.t("address-bad_characters"));
  });

  it("a list sent with CRLF line breaks (as browsers send a textarea) comes back as the form holds it", async () => {
    const userId = await fundedUser(10n * TRX);
    const a = await freshReceiver(kit);
    const p = await batchFormFor(
      { id: userId },
      form({
        intent: "preview",
        list: `${a}, 65000, 1h\r\n`,
        energy: "",
        duration: "1h",
        idempotencyKey: KEY(),
      }),
      en,
    );
    expect(p.status === "preview" && p.list).toBe(`${a}, 65000, 1h\n`);
  });

  it("says what is wrong in the user's language and stores nothing", async () => {
    const userId = await fundedUser(3n * TRX);
    const a = await freshReceiver(kit);
    const empty = await batchFormFor(
      { id: userId },
      form({
        intent: "preview",
        list: "\n# only a comment\n",
        energy: "",
        duration: "1h",
        idempotencyKey: KEY(),
      }),
      zh,
    );
    expect(empty).toEqual({ status: "failed", code: "bad_request", message: zh.t("batch-empty") });
    const many = Array.from({ length: 101 }, () => newAddress()).join("\n");
    const tooMany = await batchFormFor(
      { id: userId },
      form({ intent: "confirm", list: many, energy: "65000", duration: "1h", idempotencyKey: KEY() }),
      en,
    );
    expect(tooMany).toMatchObject({
      status: "failed",
      message: en.t("batch-too-many", { max: "100", count: "101" }),
    });
    const bad = await batchFormFor(
      { id: userId },
      form({ intent: "preview", list: a, energy: "", duration: "1h", idempotencyKey: "short" }),
      en,
    );
    expect(bad).toMatchObject({ status: "failed", message: en.t("error-generic") });
    // repeated receivers and a balance for only one of two lines
    const p = await batchFormFor(
      { id: userId },
      form({ intent: "preview", list: `${a}\n${a}`, energy: "65000", duration: "1h", idempotencyKey: KEY() }),
      zh,
    );
    expect(p.status === "preview" && p.preview.lines[1].error).toBe(
      zh.t("batch-error-duplicate", { line: "1" }),
    );
    const db = await getDb();
    expect(await db.select().from(batches).where(eq(batches.userId, userId))).toHaveLength(0);
    expect(await getBalance(userId)).toBe(3n * TRX);
  });

  it("IDOR: another user's batch is not found", async () => {
    const owner = await fundedUser(100n * TRX);
    const other = await fundedUser(0n);
    const r = await batchFormFor(
      { id: owner },
      form({
        intent: "confirm",
        list: await freshReceiver(kit),
        energy: "65000",
        duration: "1h",
        idempotencyKey: KEY(),
      }),
      en,
    );
    expect(r.status).toBe("success");
    if (r.status !== "success") return;
    await expect(getBatch({ batchId: r.batchId, userId: other })).rejects.toMatchObject({
      code: "not_found",
    });
  });

  it("the batch pages get the batch scope's client messages from their layout", async () => {
    const layout = (await import("./layout")).default as (p: { children: unknown }) => {
      props: { scope: string };
      type: unknown;
    };
    const el = layout({ children: null });
    expect(el.type).toBe(PageMessages);
    expect(el.props.scope).toBe("batch");
  });
});
