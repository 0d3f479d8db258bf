import { and, eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect } from "vitest";
import { getDb } from "@/db";
import { ledgerEntries, orders } from "@/db/schema";
import { sendToken } from "@/lib/deposits/testing";
import { setEventSender } from "@/lib/events";
import { getBalance } from "@/lib/ledger";
import { captureLogs } from "@/lib/log";
import { getOrder } from "@/lib/orders";
import {
  freshReceiver,
  importPool,
  type OrderKit,
  resetPoolForTests,
  runFulfil,
  runReclaim,
  startOrderKit,
} from "@/lib/orders/testing";
import { orderCapacity } from "@/lib/pool/capacity";
import { getSettings, resetSettings, updateSettings } from "@/lib/settings";
import { deliveringSender } from "@/test/domain-events";
import { type MakeTelegramUser, test } from "@/test/fixtures";
import { tr } from "./i18n";
import { callbackUpdate, type FakeCall } from "./testing/fake-bot-api";
import { buttonsOf, type Harness, newTgUser, startHarness } from "./testing/harness";

const TRX = 1_000_000n;
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
  await kit.ctl("reset");
  kit.client.clearCache();
  await resetPoolForTests();
  await importPool([1, 2, 3]);
  h.api.clear();
});
afterEach(async () => {
  await resetSettings(["maintenance"]);
});

/** The callback data of the button whose data starts with `prefix` on the last screen shown. */
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

const MSG = 4242;

/** Opens the rent form on message MSG, pastes the receiver, optionally the USDT recipient. */
async function fillRent(from: ReturnType<typeof newTgUser>, receiver: string, recipient?: string) {
  await h.tap(from, "r:open", MSG);
  await h.tap(from, button("r:rcv:"), MSG);
  await h.text(from, receiver);
  if (recipient) {
    await h.tap(from, button("r:rcp:"), MSG);
    await h.text(from, recipient);
  }
}

const editsOf = (id: number): FakeCall[] =>
  h.api.of("editMessageText").filter((c) => c.body.message_id === id);

describe("flash rent on the devnet", () => {
  test("quote → confirm (double tap) → one order, one debit → the card is edited through active to completed", async ({
    telegramUser,
  }) => {
    const { from, userId } = await telegramUser(h, { balanceSun: 100n * TRX });
    const receiver = await freshReceiver(kit);
    await fillRent(from, receiver);
    await h.tap(from, button("r:rv:"), MSG);
    const review = editsOf(MSG).at(-1)!;
    expect(review.body.text).toContain(tr("en", "review-title"));
    // 65,000 × 45 sun = 2.925 TRX; burn 6.5 TRX; saving 3.575 TRX (55%)
    expect(review.body.text).toContain("2.925 TRX");
    expect(review.body.text).toContain("6.5 TRX");
    expect(review.body.text).toContain("3.575 TRX (55%)");
    expect(review.body.text).toContain("100 TRX → 97.075 TRX");
    const pay = button("r:pay:");
    expect(Buffer.byteLength(pay)).toBeLessThanOrEqual(64);
    h.api.clear();
    // double tap, concurrently, then a late third tap
    await Promise.all([h.tap(from, pay, MSG), h.tap(from, pay, MSG)]);
    await h.tap(from, pay, MSG);
    expect(h.api.of("answerCallbackQuery")).toHaveLength(3);
    const db = await getDb();
    const mine = await db.select().from(orders).where(eq(orders.userId, userId));
    expect(mine).toHaveLength(1);
    const o = mine[0];
    expect(o.source).toBe("bot");
    expect(o.telegramChatId).toBe(from.id);
    expect(o.telegramMessageId).toBe(MSG);
    const pays = await db
      .select()
      .from(ledgerEntries)
      .where(and(eq(ledgerEntries.userId, userId), eq(ledgerEntries.type, "order_payment")));
    expect(pays).toHaveLength(1);
    expect(await getBalance(userId)).toBe(100n * TRX - o.priceSun);
    expect(editsOf(MSG).at(-1)!.body.text).toContain(`#${o.id}`);
    expect(editsOf(MSG).at(-1)!.body.text).toContain("Paid 2.925 TRX, preparing");

    h.api.clear();
    const run = await runFulfil(kit, o.id);
    expect(run.error).toBeUndefined();
    const active = await getOrder({ orderId: o.id });
    expect(active.status).toBe("active");
    const texts = editsOf(MSG).map((c) => String(c.body.text));
    expect(texts.some((t) => t.includes("Delegating on chain"))).toBe(true);
    const last = texts.at(-1)!;
    expect(last).toContain("✅ Active: 65,000 energy");
    const txid = active.delegations[0].txid!;
    expect(last).toContain(`<code>${txid}</code>`); // devnet: no explorer, the txid as code
    expect(last).toContain(`/orders/${o.id}`);
    expect(last).toMatch(/Ends \d\d:\d\d \(UTC\), about \d+ min left/);

    h.api.clear();
    await kit.ctl("advance-time", { ms: 3600_000 + 10_000 });
    const rec = await runReclaim(kit, active.delegations[0].id);
    expect(rec.error).toBeUndefined();
    expect((await getOrder({ orderId: o.id })).status).toBe("completed");
    expect(editsOf(MSG).at(-1)!.body.text).toContain("☑️ Ended");
    expect(h.api.of("sendMessage")).toHaveLength(0); // edits only, no clutter
  });

  test("every log line written while the bot handles an update carries that update's id", async ({
    telegramUser,
  }) => {
    const { from } = await telegramUser(h, { balanceSun: 100n * TRX });
    await fillRent(from, await freshReceiver(kit));
    await h.tap(from, button("r:rv:"), MSG);
    const pay = callbackUpdate(from, button("r:pay:"), { message_id: MSG });
    const cap = captureLogs();
    try {
      await h.bot.handleUpdate(pay as never);
    } finally {
      cap.stop();
    }
    const lines = cap.lines.map((l) => JSON.parse(l) as { msg: string; updateId?: number });
    expect(lines.map((l) => l.msg)).toContain("order status changed");
    for (const l of lines) expect(l).toMatchObject({ updateId: pay.update_id });
  });

  test("insufficient balance → a top-up button instead of Pay, and no order", async ({ telegramUser }) => {
    const { from, userId } = await telegramUser(h, { balanceSun: 1n * TRX });
    await fillRent(from, await freshReceiver(kit));
    await h.tap(from, button("r:rv:"), MSG);
    const review = editsOf(MSG).at(-1)!;
    expect(review.body.text).toContain("You need 2.925 TRX, you have 1 TRX (1.925 TRX short)");
    const data = review.body.reply_markup.inline_keyboard.flat().map((b: any) => b.callback_data);
    expect(data).toContain("t:open");
    expect(data.some((d: string) => d?.startsWith("r:pay:"))).toBe(false);
    const db = await getDb();
    expect(await db.select().from(orders).where(eq(orders.userId, userId))).toHaveLength(0);
  });

  test("maintenance mode refuses orders, even from a quote shown before", async ({ telegramUser }) => {
    const { from, userId } = await telegramUser(h, { balanceSun: 100n * TRX });
    await fillRent(from, await freshReceiver(kit));
    await h.tap(from, button("r:rv:"), MSG);
    const pay = button("r:pay:");
    await updateSettings({ maintenance: { enabled: true, message: "" } });
    h.api.clear();
    await h.tap(from, pay, MSG);
    const ans = h.api.of("answerCallbackQuery");
    expect(ans).toHaveLength(1);
    expect(ans[0].body.show_alert).toBe(true);
    expect(ans[0].body.text).toBe(tr("en", "err-maintenance"));
    const db = await getDb();
    expect(await db.select().from(orders).where(eq(orders.userId, userId))).toHaveLength(0);
    expect(await getBalance(userId)).toBe(100n * TRX);
  });

  test("smart pricing: the review shows the discount and the chain's burn price, and Pay charges the reviewed price after prices rise", async ({
    telegramUser,
  }) => {
    try {
      await updateSettings({
        pricing: {
          utilisationCurve: [{ utilisationPercent: 0, multiplierBps: 10_000 }],
          volumeDiscounts: [{ energy: 60_000, percent: 10 }],
          resellerDiscountPercent: 0,
          floorMarginBps: 0,
          liveBurnPrice: true,
        },
      });
      const { from, userId } = await telegramUser(h, { balanceSun: 100n * TRX });
      await fillRent(from, await freshReceiver(kit));
      await h.tap(from, button("r:rv:"), MSG);
      const review = String(editsOf(MSG).at(-1)!.body.text);
      // 65,000 × 45 = 2.925 TRX, less 10% = 2.6325 TRX; the chain burns 100 sun per energy
      expect(review).toContain("2.6325 TRX");
      expect(review).toContain(tr("en", "review-discount", { amount: "0.2925 TRX", percent: "10" }));
      expect(review).toContain(tr("en", "review-burn-live", { amount: "6.5 TRX", unit: "100" }));
      const pay = button("r:pay:");
      await updateSettings({ durations: [{ key: "1h", unitPriceSun: "90" }] });
      await h.tap(from, pay, MSG);
      const db = await getDb();
      const [o] = await db.select().from(orders).where(eq(orders.userId, userId));
      expect(o.priceSun).toBe(2_632_500n);
      expect(await getBalance(userId)).toBe(100n * TRX - 2_632_500n);
    } finally {
      await resetSettings(["pricing", "durations"]);
    }
  });

  test("the energy range is lib's: the bot refuses what the settings' range leaves out, with lib's numbers", async ({
    telegramUser,
  }) => {
    const { from } = await telegramUser(h, { balanceSun: 100n * TRX });
    await updateSettings({ energyMin: 40_000, energyMax: 140_000 });
    try {
      await fillRent(from, await freshReceiver(kit));
      await h.tap(from, button("r:eo:"), MSG);
      h.api.clear();
      await h.text(from, "150000");
      const range = (min: string, max: string) => tr("en", "err-energy-range-n", { min, max });
      expect(h.api.of("sendMessage").at(-1)?.body.text).toBe(`⚠️ ${range("40,000", "140,000")}`);
      await h.text(from, "100000");
      expect(h.api.of("sendMessage").at(-1)?.body.text).toContain(
        tr("en", "bot-rent-energy", { energy: "100,000" }),
      );
      // The range moves under a form already filled: the review asks lib again and says the new one.
      const reviewButton = button("r:rv:");
      // (pay-by-transfer offers must lie in the range too: the operator keeps the ones inside it)
      const t = (await getSettings()).transfer;
      await updateSettings({
        energyMin: 110_000,
        energyMax: 140_000,
        presets: [131_000],
        transfer: {
          enabled: t.enabled,
          offers: t.offers
            .filter((o) => o.energy >= 110_000)
            .map((o) => ({ ...o, amountSun: o.amountSun.toString() })),
          riskCapSun: t.riskCapSun.toString(),
          refundFeeSun: t.refundFeeSun.toString(),
        },
      });
      h.api.clear();
      await h.tap(from, reviewButton, MSG);
      const ans = h.api.of("answerCallbackQuery");
      expect(ans.at(-1)?.body).toMatchObject({ show_alert: true, text: range("110,000", "140,000") });
      expect(h.api.calls.some((c) => JSON.stringify(c.body).includes("r:pay:"))).toBe(false);
    } finally {
      await resetSettings(["energyMin", "energyMax", "presets"]);
    }
  });

  test("USDT recipient: 131k suggested when it holds no USDT, 65k when it does", async ({ telegramUser }) => {
    const { from } = await telegramUser(h, { balanceSun: 100n * TRX, lang: "zh" });
    const receiver = await freshReceiver(kit);
    const empty = await freshReceiver(kit);
    await fillRent(from, receiver, empty);
    let screen = h.api.of("sendMessage").at(-1)!;
    expect(screen.body.text).toContain("131,000 能量");
    expect(screen.body.text).toContain(tr("zh", "bot-rent-suggest-empty", { energy: "131,000" }));
    const holder = await freshReceiver(kit);
    await sendToken(kit.client, holder, 5_000_000n);
    await kit.mine(1);
    await h.tap(from, button("r:rcp:"), MSG);
    await h.text(from, holder);
    screen = h.api.of("sendMessage").at(-1)!;
    expect(screen.body.text).toContain("65,000 能量");
    expect(screen.body.text).toContain(tr("zh", "rent-reason-holder"));
  });

  test("an outdated rent button is answered and the current form re-rendered; an old Pay never charges", async ({
    telegramUser,
  }) => {
    const { from, userId } = await telegramUser(h, { balanceSun: 100n * TRX });
    await fillRent(from, await freshReceiver(kit));
    const oldDuration = button("r:d:");
    await h.tap(from, button("r:rv:"), MSG);
    const oldPay = button("r:pay:");
    await h.tap(from, "r:open", MSG); // a new form replaces the draft and the quote
    h.api.clear();
    await h.tap(from, oldDuration, MSG);
    await h.tap(from, oldPay, MSG);
    const ans = h.api.of("answerCallbackQuery");
    expect(ans.map((a) => a.body.text)).toEqual([
      tr("en", "toast-outdated"),
      tr("en", "toast-quote-outdated"),
    ]);
    const db = await getDb();
    expect(await db.select().from(orders).where(eq(orders.userId, userId))).toHaveLength(0);
  });
});

describe("pool capacity in the bot", () => {
  test("an amount the pool cannot cover: the form names the largest it can deliver and offers it; one tap → review → pay", async ({
    telegramUser,
  }) => {
    await resetPoolForTests();
    await importPool([3]);
    // the largest 1 h order the pool takes (lib/pool/capacity sizes it as planning does)
    const max = (await orderCapacity({ durationSeconds: 3600 })).maxEnergy;
    const maxText = max.toLocaleString("en-US");
    const { from, userId } = await telegramUser(h, { balanceSun: 1_000n * TRX });
    await fillRent(from, await freshReceiver(kit));
    await h.tap(from, button("r:eo:"), MSG);
    await h.text(from, "1000000");
    const toReview = button("r:rv:");
    h.api.clear();
    await h.tap(from, toReview, MSG);
    const screen = editsOf(MSG).at(-1)!;
    expect(screen.body.text).toContain(tr("en", "err-no-capacity-max", { energy: maxText }));
    const first = screen.body.reply_markup.inline_keyboard[0][0];
    expect(first.text).toBe(tr("en", "btn-rent-max", { energy: maxText }));
    expect(first.callback_data.endsWith(`:${max}`)).toBe(true);
    const db = await getDb();
    expect(await db.select().from(orders).where(eq(orders.userId, userId))).toHaveLength(0);

    await h.tap(from, first.callback_data, MSG);
    const review = editsOf(MSG).at(-1)!;
    expect(review.body.text).toContain(tr("en", "review-title"));
    expect(review.body.text).toContain(maxText);
    await h.tap(from, button("r:pay:"), MSG);
    const [o] = await db.select().from(orders).where(eq(orders.userId, userId));
    expect(o.energy).toBe(max);
    expect(await getBalance(userId)).toBe(1_000n * TRX - o.priceSun);
  });

  test("zh: the same refusal and offer in Chinese", async ({ telegramUser }) => {
    await resetPoolForTests();
    await importPool([3]);
    // the largest 1 h order the pool takes (lib/pool/capacity sizes it as planning does)
    const max = (await orderCapacity({ durationSeconds: 3600 })).maxEnergy;
    const { from } = await telegramUser(h, { balanceSun: 1_000n * TRX, lang: "zh" });
    await fillRent(from, await freshReceiver(kit));
    await h.tap(from, button("r:eo:"), MSG);
    await h.text(from, "1000000");
    await h.tap(from, button("r:rv:"), MSG);
    const screen = editsOf(MSG).at(-1)!;
    expect(screen.body.text).toContain(
      tr("zh", "err-no-capacity-max", { energy: max.toLocaleString("en-US") }),
    );
    expect(screen.body.reply_markup.inline_keyboard[0][0].text).toBe(
      tr("zh", "btn-rent-max", { energy: max.toLocaleString("en-US") }),
    );
  });
});

describe("look-up on the devnet", () => {
  test("a pasted address gets the resources card with [Rent for it] [Save]", async ({ telegramUser }) => {
    const { from } = await telegramUser(h);
    const receiver = await freshReceiver(kit);
    h.api.clear();
    await h.text(from, receiver);
    const card = h.api.of("sendMessage").at(-1)!.body;
    expect(card.text).toContain(`<code>${receiver}</code>`);
    expect(card.text).toContain("TRX: <b>1 TRX</b>");
    expect(card.text).toContain("Activated: yes");
    expect(card.text).toMatch(/Energy: [\d,]+ \/ [\d,]+ energy/);
    expect(card.text).toMatch(/as of \d\d:\d\d/);
    const data = card.reply_markup.inline_keyboard.flat().map((b: any) => b.callback_data);
    expect(data).toEqual(expect.arrayContaining(["r:lk", "w:savelk"]));
    // not activated → the hint
    const { utils } = await import("tronweb");
    const fresh = utils.accounts.generateAccount().address.base58;
    await h.text(from, fresh);
    expect(h.api.of("sendMessage").at(-1)!.body.text).toContain(tr("en", "hint-not-activated"));
  });

  test("a slow look-up answers at once and hands the rest to Inngest, which edits the message", async ({
    telegramUser,
  }) => {
    const { lookupTiming } = await import("./lookup-job");
    const { capturedEvents } = await import("@/lib/events");
    const { InngestTestEngine } = await import("@inngest/test");
    const { botLookup } = await import("@/inngest/functions/bot-lookup");
    const { from } = await telegramUser(h);
    const receiver = await freshReceiver(kit);
    capturedEvents.length = 0;
    // A really slow provider (every node, TronGrid and TronScan answer after 400 ms) against a
    // 50 ms budget; nothing cached from earlier reads.
    lookupTiming.slowMs = 50;
    kit.client.clearCache();
    await kit.ctl("faults", { latencyMs: 400 });
    try {
      await h.tap(from, "lk:ask", 99);
      h.api.clear();
      await h.text(from, receiver);
    } finally {
      lookupTiming.slowMs = 2_000;
      await kit.ctl("faults/clear");
    }
    const loading = h.api.of("sendMessage").at(-1)!;
    expect(loading.body.text).toContain(tr("en", "lookup-loading"));
    const ev = capturedEvents.find((e) => e.name === "bot/lookup.requested");
    expect(ev?.data).toMatchObject({ chatId: from.id, address: receiver });
    const t = new InngestTestEngine({ function: botLookup });
    const run = await t.execute({ events: [{ name: ev!.name, data: ev!.data }] as any });
    expect(run.error).toBeUndefined();
    const edit = h.api.of("editMessageText").at(-1)!;
    expect(edit.body.message_id).toBe(ev!.data.messageId);
    expect(edit.body.text).toContain("Activated: yes");
  });
});

describe("forged look-up events", () => {
  test("edit nothing: not another user's chat, not an address carrying HTML", async ({ telegramUser }) => {
    const { InngestTestEngine } = await import("@inngest/test");
    const { botLookup } = await import("@/inngest/functions/bot-lookup");
    const attacker = await telegramUser(h);
    const victim = await telegramUser(h);
    const receiver = await freshReceiver(kit);
    h.api.clear();
    for (const data of [
      // the attacker's user id, the victim's chat
      { chatId: victim.from.id, messageId: 5, userId: attacker.userId, address: receiver },
      // the victim's own ids, an address that is HTML
      {
        chatId: victim.from.id,
        messageId: 5,
        userId: victim.userId,
        address: `<a href="https://e.vil/x">Claim your refund</a>`,
      },
    ]) {
      const run = await new InngestTestEngine({ function: botLookup }).execute({
        events: [{ name: "bot/lookup.requested", data }] as any,
      });
      expect(run.error).toBeUndefined();
      expect(run.result).toEqual({ edited: false });
    }
    expect(h.api.calls).toHaveLength(0);
  });
});

describe("orders in the bot", () => {
  async function paidOrder(telegramUser: MakeTelegramUser, balance = 100n * TRX) {
    const { from, userId } = await telegramUser(h, { balanceSun: balance });
    await fillRent(from, await freshReceiver(kit));
    await h.tap(from, button("r:rv:"), MSG);
    await h.tap(from, button("r:pay:"), MSG);
    const db = await getDb();
    const [o] = await db.select().from(orders).where(eq(orders.userId, userId));
    return { from, userId, o };
  }

  test("list → detail with timeline → cancel while still paid → refunded in full", async ({
    telegramUser,
  }) => {
    const { from, userId, o } = await paidOrder(telegramUser);
    h.api.clear();
    await h.tap(from, "o:list:0", 5);
    const list = h.api.of("editMessageText")[0].body;
    expect(list.text).toContain(`#${o.id}`);
    expect(list.text).toContain("65,000");
    // One page, no paging buttons: every row of the keyboard has a button (no empty row).
    const rows: unknown[][] = list.reply_markup.inline_keyboard;
    expect(rows.map((r) => r.length)).toEqual([1, 1]);
    await h.tap(from, `o:open:${o.id}`, 5);
    const card = h.api.of("editMessageText").at(-1)!.body;
    expect(card.text).toContain(tr("en", "order-timeline"));
    expect(card.text).toContain("Paid");
    await h.tap(from, `o:cx:${o.id}`, 5);
    expect(await getBalance(userId)).toBe(100n * TRX - o.priceSun); // only asked
    const asked = h.api.of("editMessageText").at(-1)!.body;
    expect(asked.text).toBe(tr("en", "order-cancel-confirm", { id: String(o.id) }));
    expect(buttonsOf(asked)).toEqual([
      [tr("en", "btn-cancel-order-yes"), `o:cxy:${o.id}`],
      [tr("en", "btn-back"), `o:open:${o.id}`],
    ]);
    await h.tap(from, `o:cxy:${o.id}`, 5);
    expect((await getOrder({ orderId: o.id })).status).toBe("refunded");
    expect(await getBalance(userId)).toBe(100n * TRX);
    expect(h.api.of("answerCallbackQuery").at(-1)!.body.text).toBe(tr("en", "toast-order-cancelled"));
    expect(h.api.of("editMessageText").at(-1)!.body.text).toContain("2.925 TRX back in your balance");
    // cancelling again is answered, nothing moves
    await h.tap(from, `o:cxy:${o.id}`, 5);
    expect(await getBalance(userId)).toBe(100n * TRX);
    // another user's order id is not theirs
    const other = newTgUser();
    await h.text(other, "/start");
    h.api.clear();
    await h.tap(other, `o:open:${o.id}`, 5);
    expect(h.api.of("answerCallbackQuery")[0].body.text).toBe(tr("en", "err-not-found"));
  });

  test("no capacity: the card shows the failure and the refund, and a new message tells the user", async ({
    telegramUser,
  }) => {
    const { from, userId, o } = await paidOrder(telegramUser);
    const { sql } = await import("drizzle-orm");
    await (await getDb()).execute(sql`update supplier_wallets set status = 'disabled'`); // no capacity
    h.api.clear();
    const run = await runFulfil(kit, o.id);
    expect(run.error).toBeUndefined();
    const final = await getOrder({ orderId: o.id });
    expect(final.status).toBe("refunded");
    expect(await getBalance(userId)).toBe(100n * TRX);
    const last = editsOf(MSG).at(-1)!.body.text;
    expect(last).toContain("Couldn't delegate");
    expect(last).toContain("2.925 TRX back in your balance");
    const notices = h.api.of("sendMessage").filter((c) => c.body.chat_id === from.id);
    expect(notices.length).toBeGreaterThanOrEqual(1);
    expect(notices.at(-1)!.body.text).toContain(`#${o.id}`);
  });
});
