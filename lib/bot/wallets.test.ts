import { eq } from "drizzle-orm";
import { utils } from "tronweb";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { users, userWallets } from "@/db/schema";
import type { BotKey } from "@/lib/i18n";
import { addWallet, listWallets, MAX_WALLETS } from "@/lib/wallets";
import { test } from "@/test/fixtures";
import { tr } from "./i18n";
import { buttonsOf, type Harness, newTgUser, startHarness } from "./testing/harness";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(() => h.api.clear());

const addr = () => utils.accounts.generateAccount().address.base58;

const lastText = () => {
  const m = [...h.api.calls]
    .reverse()
    .find((c) => c.method === "sendMessage" || c.method === "editMessageText");
  return String(m?.body.text ?? "");
};

describe("bot wallets", () => {
  test("each kind of bad address gets its reason in the user's language and saves nothing", async ({
    telegramUser,
  }) => {
    const { from, userId: uid } = await telegramUser(h, { lang: "en" });
    await h.tap(from, "w:add");
    const valid = addr();
    const badChecksum = valid.slice(0, -1) + (valid.endsWith("A") ? "B" : "A");
    const cases: [string, BotKey][] = [
      ["0x742d35Cc6634C0532925a3b844Bc454e4438f44e", "addr-evm-format"],
      ["742d35cc6634c0532925a3b844bc454e4438f44e", "addr-evm-format"],
      [badChecksum, "addr-bad-checksum"],
      ["TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj0O", "addr-bad-characters"],
      ["bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", "addr-other-chain"],
      ["TR7NHqjeKQxGTCi8q8ZY4", "addr-bad-length"],
      ["abc", "addr-bad-prefix"],
    ];
    for (const [input, key] of cases) {
      h.api.clear();
      await h.text(from, input);
      const sent = h.api.of("sendMessage");
      expect(sent, input).toHaveLength(1);
      expect(sent[0].body.text, input).toContain(tr("en", key));
    }
    // zh user: same refusal in Chinese
    const { from: zh, userId: zhId } = await telegramUser(h, { lang: "zh-CN" });
    await h.tap(zh, "w:add");
    h.api.clear();
    await h.text(zh, badChecksum);
    expect(h.api.of("sendMessage")[0].body.text).toContain(tr("zh", "addr-bad-checksum"));
    expect(await listWallets(uid)).toHaveLength(0);
    expect(await listWallets(zhId)).toHaveLength(0);
  });

  test("a valid address is saved (first one is default), then an optional label", async ({
    telegramUser,
  }) => {
    const { from, userId: uid } = await telegramUser(h);
    await h.tap(from, "w:add");
    const a = addr();
    await h.text(from, a);
    let ws = await listWallets(uid);
    expect(ws).toHaveLength(1);
    expect(ws[0].address).toBe(a);
    expect(ws[0].isDefault).toBe(true);
    expect(lastText()).toContain(a);
    await h.text(from, "Exchange <b>");
    ws = await listWallets(uid);
    expect(ws[0].label).toBe("Exchange <b>");
    // the list escapes nothing in button labels (plain text) and shows the star
    h.api.clear();
    await h.tap(from, "w:list");
    const kb = h.api.of("editMessageText")[0].body.reply_markup.inline_keyboard.flat();
    expect(kb[0].text).toContain("⭐ Exchange <b>");
    // address + label in one message; duplicate refused
    await h.tap(from, "w:add");
    const b = addr();
    await h.text(from, `${b} Cold storage`);
    expect((await listWallets(uid)).find((w) => w.address === b)?.label).toBe("Cold storage");
    await h.tap(from, "w:add");
    h.api.clear();
    await h.text(from, b);
    expect(lastText()).toContain(tr("en", "wallet-duplicate"));
    expect(await listWallets(uid)).toHaveLength(2);
  });

  test("set default, delete with confirmation; a deleted wallet's buttons are answered as stale", async ({
    telegramUser,
  }) => {
    const { from, userId: uid } = await telegramUser(h);
    const w1 = await addWallet({ userId: uid, address: addr() });
    const w2 = await addWallet({ userId: uid, address: addr(), label: "two" });
    await h.tap(from, `w:def:${w2.id}`);
    let ws = await listWallets(uid);
    expect(ws.find((w) => w.isDefault)?.id).toBe(w2.id);
    h.api.clear();
    await h.tap(from, `w:rm:${w2.id}`);
    expect(lastText()).toContain(w2.address);
    // The tap is answered and the question offers yes (remove) and cancel (back to the card).
    expect(h.api.of("answerCallbackQuery")).toHaveLength(1);
    const asked = h.api.of("editMessageText").at(-1)!.body;
    expect(buttonsOf(asked)).toEqual([
      [tr("en", "btn-remove-yes"), `w:rmy:${w2.id}`],
      [tr("en", "btn-cancel"), `w:open:${w2.id}`],
    ]);
    expect(await listWallets(uid)).toHaveLength(2); // only asked
    await h.tap(from, `w:rmy:${w2.id}`);
    ws = await listWallets(uid);
    expect(ws.map((w) => w.id)).toEqual([w1.id]);
    expect(ws[0].isDefault).toBe(true); // the remaining one took over
    h.api.clear();
    await h.tap(from, `w:rmy:${w2.id}`);
    await h.tap(from, `w:open:${w2.id}`);
    const answers = h.api.of("answerCallbackQuery");
    expect(answers).toHaveLength(2);
    for (const a of answers) expect(a.body.text).toBe(tr("en", "toast-wallet-gone"));
  });

  test("at most 20 wallets per user", async ({ telegramUser }) => {
    const { from, userId: uid } = await telegramUser(h);
    for (let i = 0; i < MAX_WALLETS; i++) await addWallet({ userId: uid, address: addr() });
    await expect(addWallet({ userId: uid, address: addr() })).rejects.toMatchObject({
      code: "conflict",
      details: { reason: "limit" },
    });
    h.api.clear();
    await h.tap(from, "w:add");
    const ans = h.api.of("answerCallbackQuery");
    expect(ans[0].body.show_alert).toBe(true);
    expect(ans[0].body.text).toContain("20");
    const db = await getDb();
    expect(await db.select().from(userWallets).where(eq(userWallets.userId, uid))).toHaveLength(MAX_WALLETS);
  });

  test("another user's wallet id is not found (lib/wallets ownership)", async ({ telegramUser }) => {
    const { userId: aId } = await telegramUser(h);
    const { userId: other } = await telegramUser(h);
    const w = await addWallet({ userId: aId, address: addr() });
    const { removeWallet, renameWallet, setDefaultWallet } = await import("@/lib/wallets");
    for (const f of [
      () => removeWallet({ userId: other, walletId: w.id }),
      () => setDefaultWallet({ userId: other, walletId: w.id }),
      () => renameWallet({ userId: other, walletId: w.id, label: "x" }),
    ])
      await expect(f()).rejects.toMatchObject({ code: "not_found" });
    expect(await listWallets(aId)).toHaveLength(1);
  });
});

describe("bot conventions", () => {
  test("unknown text gets a friendly answer and the menu; language switch re-renders in Chinese", async ({
    telegramUser,
  }) => {
    const { from } = await telegramUser(h, { lang: "en" });
    h.api.clear();
    await h.text(from, "hello there");
    const sent = h.api.of("sendMessage");
    expect(sent[0].body.text).toBe(tr("en", "unknown-input"));
    expect(sent[1].body.reply_markup.inline_keyboard.flat().length).toBeGreaterThan(3);
    h.api.clear();
    await h.tap(from, "lang:set:zh");
    expect(h.api.of("editMessageText")[0].body.text).toContain("余额");
    expect(h.api.of("answerCallbackQuery")[0].body.text).toBe(tr("zh", "toast-language"));
    const db = await getDb();
    const [u] = await db.select().from(users).where(eq(users.telegramId, from.id));
    expect(u.language).toBe("zh");
  });

  test("'message is not modified' counts as success", async ({ telegramUser }) => {
    const { from } = await telegramUser(h);
    h.api.clear();
    h.api.failNext(
      "editMessageText",
      "Bad Request: message is not modified: specified new message content and reply markup are exactly the same",
    );
    await h.tap(from, "m:help");
    expect(h.api.of("answerCallbackQuery")).toHaveLength(1);
    expect(h.api.of("sendMessage")).toHaveLength(0); // no error message
  });

  test("errors are caught: the user gets a localized message with a ref, never a stack; the tap is answered", async ({
    telegramUser,
  }) => {
    const { from } = await telegramUser(h, { lang: "zh" });
    h.api.clear();
    h.api.failNext("editMessageText", "Bad Request: something unexpected", 400);
    await h.tap(from, "m:help");
    expect(h.api.of("answerCallbackQuery")).toHaveLength(1);
    const sent = h.api.of("sendMessage");
    expect(sent).toHaveLength(1);
    expect(sent[0].body.text).toMatch(/我们这边出了问题.*编号 [0-9A-F]{4}/);
    expect(JSON.stringify(h.api.calls)).not.toMatch(/at .*\.ts:\d+|GrammyError/);
  });

  it("per-user rate limit answers politely", async () => {
    const limited = await startHarness({ rateLimit: { limit: 2, timeFrame: 60_000 } });
    try {
      const from = newTgUser();
      await limited.text(from, "/start");
      await limited.text(from, "/start");
      limited.api.clear();
      await limited.text(from, "/start");
      const sent = limited.api.of("sendMessage");
      expect(sent).toHaveLength(1);
      expect(sent[0].body.text).toBe(tr("en", "rate-limited"));
    } finally {
      await limited.close();
    }
  });

  test("session survives a restart: a new bot instance continues the add-wallet step", async ({
    telegramUser,
  }) => {
    const { from, userId: uid } = await telegramUser(h);
    await h.tap(from, "w:add");
    const other = await startHarness();
    try {
      const a = addr();
      await other.text(from, a);
      expect((await listWallets(uid)).map((w) => w.address)).toEqual([a]);
    } finally {
      await other.close();
    }
  });

  test("portal link: a one-time login link valid 10 minutes", async ({ telegramUser }) => {
    const { from, userId: uid } = await telegramUser(h);
    h.api.clear();
    await h.tap(from, "p:link");
    const sent = h.api.of("sendMessage");
    const btn = sent[0].body.reply_markup.inline_keyboard.flat().find((b: any) => b.url);
    expect(btn.url).toMatch(/\/login\/link\?token=[A-Za-z0-9_-]{20,}/);
    const { consumeLoginToken } = await import("@/lib/auth/login-link");
    const token = new URL(btn.url).searchParams.get("token")!;
    expect(await consumeLoginToken(token)).toBe(uid);
    await expect(consumeLoginToken(token)).rejects.toMatchObject({ code: "unauthorized" });
  });
});
