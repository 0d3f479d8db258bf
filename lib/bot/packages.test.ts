import { afterAll, beforeAll, beforeEach, describe, expect } from "vitest";
import { setScanCursor } from "@/lib/deposits";
import { getBalance } from "@/lib/ledger";
import { packageEnded } from "@/inngest/events";
import { capturedEvents } from "@/lib/events";
import { announceEndedPackages, expirePackages, listPackages } from "@/lib/packages";
import { scanAll, sendUsdt, usdtSender } from "@/lib/packages/testing";
import { test } from "@/test/fixtures";
import { orderKitWithPoolOnce } from "@/test/order-kit";
import { tr } from "./i18n";
import { notifyPackageEnded } from "./packages";
import { buttonsOf, type Harness, startHarness } from "./testing/harness";

/** /packages through real-shaped updates and the fake Bot API, on the devnet. */

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

describe("bot: transfer packages", () => {
  test("buy a size, send the address, the card shows what is left and each counted transfer", async ({
    telegramUser,
  }) => {
    const { from, userId } = await telegramUser(h, { balanceSun: 100_000_000n });
    await h.text(from, "/start");
    expect(buttonsOf(last().body).map(([, d]) => d)).toContain("pk:list");
    await h.tap(from, "pk:list");
    expect(String(last().body.text)).toContain("Packages of USDT transfers");
    await h.tap(from, "pk:buy");
    expect(buttonsOf(last().body).map(([, d]) => d)).toEqual(
      expect.arrayContaining(["pk:size:10", "pk:size:50", "pk:size:100"]),
    );
    await h.tap(from, "pk:size:10");
    expect(String(last().body.text)).toContain("10 transfers for 30");

    // bad input: a clear error, nothing bought, nothing charged
    for (const bad of ["hello", "Tnot-an-address"]) {
      h.api.clear();
      await h.text(from, bad);
      expect(String(last().body.text)).toContain("⚠️");
    }
    expect(await listPackages(userId)).toEqual([]);
    expect(await getBalance(userId)).toBe(100_000_000n);

    const acct = await usdtSender(kit);
    await setScanCursor(null);
    await scanAll(kit);
    await h.text(from, acct.base58);
    const [p] = await listPackages(userId);
    expect([p.address, p.transfers, p.source]).toEqual([acct.base58, 10, "bot"]);
    expect(await getBalance(userId)).toBe(70_000_000n);
    expect(String(last().body.text)).toContain(`Package #${p.id}`);
    expect(String(last().body.text)).toContain("Transfers left: 10 of 10");

    const txid = await sendUsdt(kit, acct);
    await scanAll(kit);
    await h.tap(from, `pk:open:${p.id}`);
    const card = String(last().body.text);
    expect(card).toContain("Transfers left: 9 of 10");
    expect(card).toContain(txid);

    // the list, in Chinese too
    await h.text(from, "/packages");
    expect(String(last().body.text)).toContain(`#${p.id}`);
    expect(tr("zh", "bot-pkg-card-left", { left: "9", total: "10" })).toBe("剩余笔数：9/10");
  });

  test("the end of a package is told once, in the user's language, with its refund", async ({
    telegramUser,
  }) => {
    const { from, userId } = await telegramUser(h, { lang: "zh-CN", balanceSun: 100_000_000n });
    const acct = await usdtSender(kit);
    await h.tap(from, "pk:size:10");
    await h.text(from, acct.base58);
    const [p] = await listPackages(userId);
    await expirePackages(new Date(Date.now() + 400 * 86_400_000));
    capturedEvents.length = 0;
    expect(await announceEndedPackages()).toBeGreaterThanOrEqual(1);
    expect(await announceEndedPackages()).toBe(0);
    const sent = capturedEvents.filter((e) => e.name === packageEnded.name && e.data.packageId === p.id);
    expect(sent).toEqual([
      expect.objectContaining({
        id: `package-ended-${p.id}`,
        data: { packageId: p.id, userId, status: "expired" },
      }),
    ]);
    h.api.clear();
    await notifyPackageEnded(p.id);
    const [m] = h.api.of("sendMessage");
    expect(m.body.chat_id).toBe(from.id);
    expect(String(m.body.text)).toContain(`套餐 #${p.id}`);
    expect(String(m.body.text)).toContain("15"); // 50 % of the 30 TRX, all ten unused
    expect(buttonsOf(m.body).map(([, d]) => d)).toEqual([`pk:open:${p.id}`, "pk:buy"]);
  });

  test("someone else's package is not shown", async ({ telegramUser }) => {
    const a = await telegramUser(h, { balanceSun: 100_000_000n });
    const b = await telegramUser(h);
    const acct = await usdtSender(kit);
    await h.tap(a.from, "pk:size:10");
    await h.text(a.from, acct.base58);
    const [p] = await listPackages(a.userId);
    h.api.clear();
    await h.tap(b.from, `pk:open:${p.id}`);
    expect(h.api.of("editMessageText")).toHaveLength(0);
  });
});
