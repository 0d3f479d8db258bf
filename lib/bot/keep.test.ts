import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect } from "vitest";
import { getDb } from "@/db";
import { energySubscriptions } from "@/db/schema";
import { freshReceiver } from "@/lib/orders/testing";
import { getSubscription, listSubscriptions } from "@/lib/subscriptions";
import { test } from "@/test/fixtures";
import { orderKitWithPoolOnce } from "@/test/order-kit";
import { tr } from "./i18n";
import { notifySubscriptionBalance } from "./subscriptions";
import { buttonsOf, type Harness, startHarness } from "./testing/harness";

/** /keep through real-shaped updates and the fake Bot API, on the devnet. */

const kit = orderKitWithPoolOnce();
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => h.api.clear());

const last = () =>
  [...h.api.calls].reverse().find((c) => c.method === "sendMessage" || c.method === "editMessageText")!;

describe("bot: keep energy", () => {
  test("new subscription typed in one message, its card, pause, cancel after confirming", async ({
    telegramUser,
  }) => {
    const { from, userId } = await telegramUser(h, { balanceSun: 100_000_000n });
    await h.text(from, "/keep");
    expect(String(last().body.text)).toContain("Keep energy on an address");
    expect(buttonsOf(last().body).map(([, d]) => d)).toContain("k:new");
    await h.tap(from, "k:new");
    expect(String(last().body.text)).toContain(tr("en", "bot-keep-new-prompt").split("\n")[0]);

    // bad input: told how to write it, nothing created
    for (const bad of ["hello", "Tabc 65000 7", "Tnot-an-address 65000 7 20"]) {
      h.api.clear();
      await h.text(from, bad);
      expect(h.api.of("sendMessage")).toHaveLength(1);
      expect(String(last().body.text)).toContain("Example");
    }
    expect(await listSubscriptions(userId)).toEqual([]);

    const address = await freshReceiver(kit);
    h.api.clear();
    await h.text(from, `${address} 65000 7 20`);
    const [s] = await listSubscriptions(userId);
    expect([s.address, s.minEnergy, s.budgetSun, s.source]).toEqual([address, 65_000n, 20_000_000n, "bot"]);
    const card = String(last().body.text);
    expect(card).toContain(`Subscription #${s.id}`);
    expect(card).toContain(address);
    expect(buttonsOf(last().body).map(([, d]) => d)).toEqual(
      expect.arrayContaining([`k:pause:${s.id}`, `k:cx:${s.id}`]),
    );

    await h.tap(from, `k:pause:${s.id}`);
    expect((await getSubscription(userId, s.id)).status).toBe("paused");
    expect(buttonsOf(last().body).map(([, d]) => d)).toContain(`k:resume:${s.id}`);
    await h.tap(from, `k:cx:${s.id}`);
    expect(String(last().body.text)).toContain(`Cancel subscription #${s.id}?`);
    expect((await getSubscription(userId, s.id)).status).toBe("paused");
    await h.tap(from, `k:cxy:${s.id}`);
    expect((await getSubscription(userId, s.id)).status).toBe("cancelled");
    // resuming a cancelled one is refused with an alert, nothing changes
    h.api.clear();
    await h.tap(from, `k:resume:${s.id}`);
    expect(h.api.of("answerCallbackQuery")[0].body.show_alert).toBe(true);
    expect((await getSubscription(userId, s.id)).status).toBe("cancelled");
  });

  test("someone else's subscription cannot be opened or changed", async ({ telegramUser }) => {
    const a = await telegramUser(h, { balanceSun: 100_000_000n });
    const b = await telegramUser(h);
    const address = await freshReceiver(kit);
    await h.text(a.from, "/keep");
    await h.tap(a.from, "k:new");
    await h.text(a.from, `${address} 65000 3 20`);
    const [s] = await listSubscriptions(a.userId);
    h.api.clear();
    await h.tap(b.from, `k:pause:${s.id}`);
    expect(h.api.of("answerCallbackQuery")[0].body.show_alert).toBe(true);
    h.api.clear();
    await h.tap(b.from, `k:open:${s.id}`);
    expect(h.api.of("answerCallbackQuery")[0].body).toMatchObject({
      show_alert: true,
      text: tr("en", "err-not-found"),
    });
    expect(h.api.of("editMessageText")).toEqual([]);
    const db = await getDb();
    const [row] = await db.select().from(energySubscriptions).where(eq(energySubscriptions.id, s.id));
    expect(row.status).toBe("active");
  });

  test("the balance warning arrives in the user's language with a top-up button", async ({
    telegramUser,
  }) => {
    const { from, userId } = await telegramUser(h, { lang: "zh-CN", balanceSun: 100_000_000n });
    const address = await freshReceiver(kit);
    await h.text(from, "/keep");
    await h.tap(from, "k:new");
    await h.text(from, `${address} 65000 3 20`);
    const [s] = await listSubscriptions(userId);
    h.api.clear();
    await notifySubscriptionBalance(s.id, "empty", 2_925_000n);
    const [m] = h.api.of("sendMessage");
    expect(m.body.chat_id).toBe(from.id);
    expect(String(m.body.text)).toContain(`订阅 #${s.id}`);
    expect(buttonsOf(m.body).map(([, d]) => d)).toEqual(["t:open"]);
  });
});
