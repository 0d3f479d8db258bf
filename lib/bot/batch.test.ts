import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect } from "vitest";
import { getDb } from "@/db";
import { batches, ledgerEntries, orders } from "@/db/schema";
import { getBalance } from "@/lib/ledger";
import {
  freshReceiver,
  importPool,
  newAddress,
  type OrderKit,
  resetPoolForTests,
  runFulfil,
  startOrderKit,
} from "@/lib/orders/testing";
import { setEventSender } from "@/lib/events";
import { consumerErrors, deliveringSender } from "@/test/domain-events";
import { test } from "@/test/fixtures";
import { tr } from "./i18n";
import type { FakeCall } from "./testing/fake-bot-api";
import { buttonsOf, type Harness, startHarness } from "./testing/harness";

const TRX = 1_000_000n;
const PRICE = 65_000n * 45n;
let kit: OrderKit;
let h: Harness;

beforeAll(async () => {
  kit = await startOrderKit({ autoMine: true });
  setEventSender(deliveringSender); // order changes reach the bot's Inngest functions, as in the worker
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
  await kit?.close();
});
beforeEach(async () => {
  await resetPoolForTests();
  await importPool([1, 2, 3]);
  h.api.clear();
});

/** The callback data of the last button whose data starts with `prefix`. */
function button(prefix: string): string {
  for (const c of [...h.api.calls].reverse()) {
    const kb = c.body.reply_markup?.inline_keyboard;
    if (!kb) continue;
    const b = kb
      .flat()
      .find((x: any) => typeof x.callback_data === "string" && x.callback_data.startsWith(prefix));
    if (b) return b.callback_data;
  }
  throw new Error(`no button ${prefix}`);
}

const MSG = 5151;
const lastText = (): string => {
  const c = [...h.api.calls]
    .reverse()
    .find((x: FakeCall) => x.method === "sendMessage" || x.method === "editMessageText");
  return String(c?.body.text ?? "");
};

describe("batch rent in the bot", () => {
  test("addresses → review with the total → pay (double tap) → one order per valid line → live statuses", async ({
    telegramUser,
  }) => {
    const { from, userId } = await telegramUser(h, { balanceSun: 100n * TRX });
    await h.text(from, "/batch");
    expect(lastText()).toContain(tr("en", "bot-batch-title"));
    expect(lastText()).toContain("65,000 energy");
    const a = await freshReceiver(kit);
    const b = await freshReceiver(kit);
    h.api.clear();
    await h.text(from, `${a}\n${b} 131k 1d\nnot-an-address\n${a}`);
    const review = lastText();
    expect(review).toContain(tr("en", "bot-batch-review-title"));
    expect(review).toContain("2.925 TRX");
    expect(review).toContain("9.825 TRX");
    expect(review).toContain(
      tr("en", "bot-batch-total", { count: "2", energy: "196,000", price: "12.75 TRX" }),
    );
    expect(review).toContain(tr("en", "bot-batch-duplicate", { line: "1" }));
    expect(review).toContain(tr("en", "bot-batch-invalid", { count: "2" }));
    expect(review).toContain("100 TRX → 87.25 TRX");
    const pay = button("b:pay:");
    expect(Buffer.byteLength(pay)).toBeLessThanOrEqual(64);
    // nothing is stored before paying
    const db = await getDb();
    expect(await db.select().from(batches).where(eq(batches.userId, userId))).toHaveLength(0);

    await Promise.all([h.tap(from, pay, MSG), h.tap(from, pay, MSG)]);
    await h.tap(from, pay, MSG);
    const mine = await db.select().from(orders).where(eq(orders.userId, userId));
    expect(mine).toHaveLength(2);
    expect(mine.every((o) => o.source === "bot")).toBe(true);
    const pays = (await db.select().from(ledgerEntries).where(eq(ledgerEntries.userId, userId))).filter(
      (x) => x.type === "order_payment",
    );
    expect(pays).toHaveLength(2);
    expect(await getBalance(userId)).toBe(100n * TRX - 12_750_000n);
    const [batch] = await db.select().from(batches).where(eq(batches.userId, userId));
    expect(batch).toMatchObject({
      source: "bot",
      telegramChatId: from.id,
      telegramMessageId: MSG,
      orderedCount: 2,
    });
    const card = h.api
      .of("editMessageText")
      .filter((c) => c.body.message_id === MSG)
      .at(-1)!;
    expect(card.body.text).toContain(tr("en", "bot-batch-card-title", { id: String(batch.id) }));
    expect(card.body.text).toContain(`⏳ <code>`);
    expect(card.body.text).toContain(
      tr("en", "bot-batch-card-summary", { ordered: "2", rejected: "2", paid: "12.75 TRX" }),
    );
    expect(buttonsOf(card.body).map(([, d]) => d)).toContain(`b:v:${batch.id}`);

    // the first line is delivered: the card follows by itself (bot-batch-card), and Refresh agrees
    const first = mine.find((o) => o.receiverAddress === a)!;
    h.api.clear();
    expect((await runFulfil(kit, first.id)).error).toBeUndefined();
    const live = h.api
      .of("editMessageText")
      .filter((c) => c.body.message_id === MSG)
      .at(-1)!;
    expect(live.body.chat_id).toBe(from.id);
    expect(live.body.text).toContain(`#${first.id} · ${tr("en", "bot-status-active")}`);
    expect(consumerErrors).toEqual([]);
    h.api.clear();
    await h.tap(from, `b:v:${batch.id}`, MSG);
    const refreshed = lastText();
    expect(refreshed).toContain(`✅ <code>`);
    expect(refreshed).toContain(`#${first.id} · ${tr("en", "bot-status-active")}`);
  });

  test("in Chinese, with a balance for only one line; another user's batch is not shown", async ({
    telegramUser,
  }) => {
    const { from, userId } = await telegramUser(h, { lang: "zh", balanceSun: 4n * TRX });
    const other = await telegramUser(h, { balanceSun: 0n });
    const a = await freshReceiver(kit);
    const b = await freshReceiver(kit);
    await h.tap(from, "b:open", MSG);
    expect(lastText()).toContain(tr("zh", "bot-batch-title"));
    h.api.clear();
    await h.text(from, `${a}\n${b}`);
    expect(lastText()).toContain(tr("zh", "bot-batch-short", { balance: "4 TRX" }));
    await h.tap(from, button("b:pay:"), MSG);
    const db = await getDb();
    const [batch] = await db.select().from(batches).where(eq(batches.userId, userId));
    expect(batch).toMatchObject({ orderedCount: 1, rejectedCount: 1 });
    expect(lastText()).toContain(tr("zh", "err-insufficient"));
    expect(await getBalance(userId)).toBe(4n * TRX - PRICE);
    h.api.clear();
    await h.tap(other.from, `b:v:${batch.id}`, MSG);
    expect(lastText()).not.toContain(a);
  });

  test("bad input gets a clear answer and changes nothing", async ({ telegramUser }) => {
    const { from, userId } = await telegramUser(h, { balanceSun: 100n * TRX });
    await h.text(from, "/batch");
    h.api.clear();
    await h.text(from, "# nothing but a comment");
    expect(lastText()).toContain(tr("en", "bot-batch-empty"));
    const many = Array.from({ length: 101 }, () => newAddress()).join("\n");
    await h.text(from, many);
    expect(lastText()).toContain(tr("en", "bot-batch-too-many", { max: "100", count: "101" }));
    // a stale Pay button (another draft) is refused
    await h.tap(from, "b:pay:stale1", MSG);
    expect(h.api.of("answerCallbackQuery").at(-1)?.body.text).toBe(tr("en", "toast-outdated"));
    const db = await getDb();
    expect(await db.select().from(batches).where(eq(batches.userId, userId))).toHaveLength(0);
    expect(await getBalance(userId)).toBe(100n * TRX);
  });
});
