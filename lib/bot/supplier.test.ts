import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect } from "vitest";
import { getDb } from "@/db";
import { ledgerEntries, supplierProfiles, supplierWallets } from "@/db/schema";
import { devnetAccount } from "@/devnet/genesis";
import { trx } from "@/lib/format";
import { translator } from "@/lib/i18n";
import { getBalance } from "@/lib/ledger";
import { createOrder } from "@/lib/orders";
import { creditOpeningBalance, freshReceiver, fundedUser, runFulfil } from "@/lib/orders/testing";
import { permissionSetup } from "@/lib/pool";
import { updateSettings } from "@/lib/settings";
import {
  getSupplierProfile,
  listPayouts,
  ownershipMessage,
  registerSupplierWallet,
  saveSupplierProfile,
  settleSupplierEarnings,
  supplierShareOf,
} from "@/lib/suppliers";
import { test } from "@/test/fixtures";
import { freshOrderKitPerTest } from "@/test/order-kit";
import { createBot } from "./bot";
import { textUpdate } from "./testing/fake-bot-api";
import { buttonsOf, type Harness, startHarness, TEST_TOKEN } from "./testing/harness";

/**
 * /supplier through real-shaped updates and the fake Bot API: a supplier's view of their supply,
 * the availability toggle, a payout of everything withdrawable (earned on the devnet by a real
 * delivered order from their permission-mode wallet, devnet account 3), and what a non-supplier
 * and bad buttons get.
 */

const TRX = 1_000_000n;
const en = translator("en");
const zh = translator("zh");
const kit = freshOrderKitPerTest();
const owner = devnetAccount(3);
const payTo = devnetAccount(4).base58;

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
beforeEach(async () => {
  h.api.clear();
  // the wallet is registered afresh by this suite's supplier (the chain is fresh too)
  const db = await getDb();
  await db
    .update(supplierWallets)
    .set({ removedAt: new Date() })
    .where(eq(supplierWallets.address, owner.base58));
});
afterAll(async () => {
  await updateSettings({
    suppliers: {
      selection: "own_first",
      commissionBps: 2_000,
      payoutAutoMaxSun: "0",
      payoutAutoAboveSun: "0",
      payoutMinSun: "10000000",
    },
  } as never);
  const db = await getDb();
  await db
    .update(supplierWallets)
    .set({ supplierUserId: null })
    .where(eq(supplierWallets.address, owner.base58));
  await h?.close();
});

const last = () =>
  [...h.api.calls].reverse().find((c) => c.method === "sendMessage" || c.method === "editMessageText")!;
const lastText = () => String(last().body.text);
const lastButtons = () => buttonsOf(last().body).map(([, d]) => d);
const answers = () => h.api.of("answerCallbackQuery").map((c) => String(c.body.text ?? ""));

async function profileOf(userId: number) {
  const db = await getDb();
  const [p] = await db.select().from(supplierProfiles).where(eq(supplierProfiles.userId, userId));
  return p ?? null;
}

const terms = {
  minPriceSunPerEnergyDay: 900n,
  available: true,
  energyCap: 500_000n,
  payoutAddress: payTo,
};

describe("bot: a supplier's own supply", () => {
  test("the profile view, in both languages; the menu offers it only to suppliers", async ({
    telegramUser,
  }) => {
    const plain = await telegramUser(h);
    await h.text(plain.from, "/start");
    expect(lastButtons()).not.toContain("sp:open");

    const { from, userId } = await telegramUser(h);
    await saveSupplierProfile(userId, terms);
    await h.text(from, "/start");
    expect(lastButtons()).toContain("sp:open");
    await h.tap(from, "sp:open");
    const text = lastText();
    expect(text).toContain(en("bot-sup-on"));
    expect(text).toContain("Minimum price: <b>900</b>");
    expect(text).toContain("Energy cap: <b>500,000</b>");
    expect(text).toContain(en("bot-sup-wallets-none"));
    expect(text).toContain(`<code>${payTo}</code>`);
    expect(text).toContain("You can be paid: <b>0 TRX</b>");
    // nothing to pay out: no payout button; the toggle, refresh, portal and menu are
    const kb = buttonsOf(last().body);
    expect(kb.map(([, d]) => d)).toEqual(["sp:av:0", "sp:open", undefined, "m:home"]);
    const portal = (last().body.reply_markup as { inline_keyboard: { url?: string }[][] }).inline_keyboard
      .flat()
      .find((b) => b.url);
    expect(portal?.url).toBe("http://localhost:3000/account/supplier");

    const zhUser = await telegramUser(h, { lang: "zh-CN" });
    await saveSupplierProfile(zhUser.userId, { ...terms, energyCap: null, available: false });
    h.api.clear();
    await h.text(zhUser.from, "/supplier");
    const zt = lastText();
    expect(zt).toContain(zh("bot-sup-off"));
    expect(zt).toContain(zh("bot-sup-cap-none"));
    expect(lastButtons()[0]).toBe("sp:av:1");
  });

  test("the toggle persists, and a repeated tap changes nothing", async ({ telegramUser }) => {
    const { from, userId } = await telegramUser(h);
    await saveSupplierProfile(userId, terms);
    await h.text(from, "/supplier");
    await h.tap(from, "sp:av:0");
    expect((await profileOf(userId))?.available).toBe(false);
    expect(lastText()).toContain(en("bot-sup-off"));
    expect(lastButtons()[0]).toBe("sp:av:1");
    expect(answers()).toContain(en("toast-sup-off"));
    // the same (stale) button again: still off
    await h.tap(from, "sp:av:0");
    expect((await profileOf(userId))?.available).toBe(false);
    await h.tap(from, "sp:av:1");
    expect((await profileOf(userId))?.available).toBe(true);
    expect(lastText()).toContain(en("bot-sup-on"));
    // the other terms are untouched
    expect(await getSupplierProfile(userId)).toMatchObject({
      minPriceSunPerEnergyDay: 900n,
      energyCap: 500_000n,
      payoutAddress: payTo,
    });
  });

  test("a payout of everything withdrawable, after a confirmation: debited once, a second tap pays nothing", async ({
    telegramUser,
  }) => {
    await updateSettings({
      suppliers: {
        selection: "suppliers_first",
        commissionBps: 2_000,
        payoutAutoMaxSun: "0",
        payoutAutoAboveSun: "0",
        payoutMinSun: "1000000",
      },
    } as never);
    const { from, userId } = await telegramUser(h);
    await saveSupplierProfile(userId, { ...terms, energyCap: null, minPriceSunPerEnergyDay: 0n });
    // the wallet: the permission added on chain, the message signed with its key, registered
    const tw = kit.client.tronWeb;
    const setup = await permissionSetup(owner.base58);
    const r = await tw.trx.sendRawTransaction(
      await tw.trx.sign(setup.transaction as never, owner.privateKey),
    );
    expect(r.result, JSON.stringify(r)).toBe(true);
    await kit.mine();
    const signature = tw.trx.signMessageV2(ownershipMessage(userId, owner.base58), owner.privateKey);
    const w = await registerSupplierWallet(userId, { address: owner.base58, signature });
    const db = await getDb();
    await db.update(supplierWallets).set({ status: "enabled" }).where(eq(supplierWallets.id, w.id));
    // a delivered order from it earns the supplier their share
    const buyer = await fundedUser(1_000n * TRX);
    const { order } = await createOrder({
      userId: buyer,
      receiver: await freshReceiver(kit),
      energy: 65_001,
      duration: "1h",
      source: "portal",
      idempotencyKey: `bot-sup-${Math.random()}`,
    });
    expect((await runFulfil(kit, order.id)).error).toBeUndefined();
    await settleSupplierEarnings(order.id);
    const earned = supplierShareOf(2_925_045n, 2_000);
    // what can be paid: the earning, and the TRX the delegate burned from their wallet (repaid to them)
    const db0 = await getDb();
    const repaid = (await db0.select().from(ledgerEntries).where(eq(ledgerEntries.userId, userId)))
      .filter((e) => e.type === "supplier_fee_refund")
      .reduce((a, e) => a + e.amountSun, 0n);
    const payable = earned + repaid;
    // their own deposit is never paid out
    await creditOpeningBalance(userId, 100n * TRX);
    const before = await getBalance(userId);

    await h.text(from, "/supplier");
    const view = lastText();
    expect(view).toContain(`<code>${owner.base58.slice(0, 6)}`);
    expect(view).toContain(en("bot-sup-in-selection"));
    expect(view).toContain(en("bot-sup-grant-ok"));
    expect(view).toContain(`Earned today: <b>${trx(earned)}</b> · last 7 days: <b>${trx(earned)}</b>`);
    expect(view).toContain(`You can be paid: <b>${trx(payable)}</b>`);
    expect(lastButtons()).toContain("sp:pay");

    await h.tap(from, "sp:pay");
    expect(lastText()).toContain(`Pay out <b>${trx(payable)}</b>`);
    expect(lastButtons()).toEqual(["sp:payy", "sp:open"]);
    expect(await getBalance(userId)).toBe(before); // asking is not paying

    await h.tap(from, "sp:payy");
    const paid = await listPayouts({ userId });
    expect(paid.map((p) => [p.amountSun, p.status, p.toAddress])).toEqual([[payable, "pending", payTo]]);
    expect(await getBalance(userId)).toBe(before - payable);
    expect(lastText()).toContain(`Payout #${paid[0].id} of ${trx(payable)}: ${en("bot-sup-payout-pending")}`);
    expect(lastButtons()).not.toContain("sp:pay");

    // the confirm button again, and the whole flow again: nothing more is paid
    h.api.clear();
    await h.tap(from, "sp:payy");
    expect(answers()).toEqual([en("toast-outdated")]);
    await h.tap(from, "sp:pay");
    expect(answers()[1]).toBe(en("bot-sup-pay-nothing", { amount: "0 TRX", min: "1 TRX" }));
    expect(await listPayouts({ userId })).toHaveLength(1);
    expect(await getBalance(userId)).toBe(before - payable);
    const debits = (await db.select().from(ledgerEntries).where(eq(ledgerEntries.userId, userId))).filter(
      (e) => e.type === "supplier_payout",
    );
    expect(debits).toHaveLength(1);
  });

  test("a user without a profile: what supplying is and the portal page; supplier buttons change nothing", async ({
    telegramUser,
  }) => {
    const { from, userId } = await telegramUser(h);
    await h.text(from, "/supplier");
    expect(lastText()).toBe(en("bot-sup-none"));
    const kb = (last().body.reply_markup as { inline_keyboard: { url?: string }[][] }).inline_keyboard.flat();
    expect(kb.find((b) => b.url)?.url).toBe("http://localhost:3000/account/supplier");
    for (const data of ["sp:av:1", "sp:pay", "sp:payy"]) {
      h.api.clear();
      await h.tap(from, data);
      expect(h.api.of("answerCallbackQuery"), data).toHaveLength(1);
      expect(lastText(), data).toBe(en("bot-sup-none"));
    }
    expect(await profileOf(userId)).toBeNull();
    expect(await listPayouts({ userId })).toEqual([]);
    expect(await getBalance(userId)).toBe(0n);
  });

  test("with the Mini App configured, the portal page also opens as a web app", async ({ telegramUser }) => {
    const bot = createBot({
      token: TEST_TOKEN,
      apiRoot: h.api.url,
      deps: {
        appUrl: "http://localhost:3000",
        miniAppUrl: "https://mini.example/dashboard",
        supportUrl: null,
      },
      registerNotifier: false,
    });
    const { from, userId } = await telegramUser(h);
    for (const withProfile of [false, true]) {
      if (withProfile) await saveSupplierProfile(userId, terms);
      h.api.clear();
      await bot.handleUpdate(textUpdate(from, "/supplier") as never);
      const kb = (
        last().body.reply_markup as { inline_keyboard: { web_app?: { url: string } }[][] }
      ).inline_keyboard.flat();
      expect(kb.find((b) => b.web_app)?.web_app?.url).toBe("https://mini.example/account/supplier");
    }
  });

  test("bad callback data is refused cleanly: answered, nothing changes", async ({ telegramUser }) => {
    const { from, userId } = await telegramUser(h);
    await saveSupplierProfile(userId, terms);
    for (const data of ["sp:av:2", "sp:av:", "sp:av:on", "sp:av:1:1", "sp:pay:5000000", "sp:payy:1"]) {
      h.api.clear();
      await h.tap(from, data);
      expect(h.api.of("answerCallbackQuery"), data).toHaveLength(1);
      expect(answers()[0], data).toBe(en("toast-outdated"));
      expect(
        h.api.calls.some((c) => String(c.body.text ?? "").includes("Something went wrong")),
        data,
      ).toBe(false);
    }
    expect((await profileOf(userId))?.available).toBe(true);
    expect(await listPayouts({ userId })).toEqual([]);
  });
});
