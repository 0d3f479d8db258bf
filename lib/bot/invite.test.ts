import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { users } from "@/db/schema";
import { reloadEnv } from "@/lib/env";
import { translator } from "@/lib/i18n";
import { updateSettings } from "@/lib/settings";
import { resetBotUsername } from "./username";
import { buttonsOf, type Harness, newTgUser, startHarness } from "./testing/harness";
import type { TgUser } from "./testing/fake-bot-api";

let h: Harness;
const saved = process.env.TELEGRAM_BOT_USERNAME;
const en = translator("en");
const zh = translator("zh");

beforeAll(async () => {
  process.env.TELEGRAM_BOT_USERNAME = "tron_energy_helper_bot";
  reloadEnv();
  resetBotUsername();
  await updateSettings({ referral: { commissionBps: 1_000, windowDays: 30 } });
  h = await startHarness();
});
afterAll(async () => {
  if (saved === undefined) delete process.env.TELEGRAM_BOT_USERNAME;
  else process.env.TELEGRAM_BOT_USERNAME = saved;
  reloadEnv();
  resetBotUsername();
  await updateSettings({ referral: { commissionBps: 0, windowDays: 0 } });
  await h?.close();
});

async function userOf(from: TgUser) {
  const db = await getDb();
  const [u] = await db.select().from(users).where(eq(users.telegramId, from.id));
  return u;
}

/** Sends a text as the user; returns the one message the bot sent for it. */
async function say(from: TgUser, text: string) {
  h.api.clear();
  await h.text(from, text);
  const sent = h.api.of("sendMessage");
  expect(sent).toHaveLength(1);
  return sent[0].body;
}

describe("bot: invite links on /start", () => {
  it("a new user through a friend's link is referred, told so, and shown the menu in one message", async () => {
    const alice = newTgUser();
    await say(alice, "/start");
    const a = await userOf(alice);
    const bob = { ...newTgUser("zh-hans"), first_name: "Bob" };
    const msg = await say(bob, `/start ref_${a.referralCode}`);
    expect(msg.text.startsWith(zh("start-ref-welcome"))).toBe(true);
    expect(msg.text).toContain("余额");
    const b = await userOf(bob);
    expect(b.referredByUserId).toBe(a.id);
    // the referrer's invite screen counts Bob, masked
    h.api.clear();
    await h.tap(alice, "inv:open", 7);
    const [edit] = h.api.of("editMessageText");
    expect(edit.body.text).toContain("Friends invited: <b>1</b>");
    expect(edit.body.text).toContain("B•••");
    expect(edit.body.text).not.toContain("Bob");
  });

  it("an existing user is not re-referred by a link, and is told why", async () => {
    const alice = newTgUser();
    await say(alice, "/start");
    const carol = newTgUser();
    await say(carol, "/start");
    const a = await userOf(alice);
    const msg = await say(carol, `/start ref_${a.referralCode}`);
    expect(msg.text.startsWith(en("start-ref-existing"))).toBe(true);
    expect((await userOf(carol)).referredByUserId).toBeNull();
  });

  it("one's own link refers no one and says it is theirs", async () => {
    const dave = newTgUser();
    await say(dave, "/start");
    const d = await userOf(dave);
    const msg = await say(dave, `/start ref_${d.referralCode}`);
    expect(msg.text.startsWith(en("start-ref-self"))).toBe(true);
    expect((await userOf(dave)).referredByUserId).toBeNull();
  });

  it("a bad code is ignored politely: the account is made, unreferred, with the menu", async () => {
    for (const p of ["ref_doesNotExist9", "ref_", "ref_<b>x</b>", `ref_${"x".repeat(40)}`]) {
      const eve = newTgUser();
      const msg = await say(eve, `/start ${p}`);
      expect(msg.text.startsWith(en("start-ref-invalid")), p).toBe(true);
      expect(msg.text, p).toContain("Balance");
      const u = await userOf(eve);
      expect(u.referredByUserId, p).toBeNull();
    }
    // a /start that is not an invite says nothing about invites
    const fay = newTgUser();
    const plain = await say(fay, "/start login");
    expect(plain.text).not.toContain(en("start-ref-invalid"));
  });
});

describe("bot: the invite screen", () => {
  it("/invite shows both links, the terms, and a share button; the menu has the entry", async () => {
    const gus = newTgUser();
    const menu = await say(gus, "/start");
    expect(buttonsOf(menu).map(([, d]) => d)).toContain("inv:open");
    const g = await userOf(gus);
    const msg = await say(gus, "/invite");
    expect(msg.text).toContain(`https://t.me/tron_energy_helper_bot?start=ref_${g.referralCode}`);
    expect(msg.text).toContain(`/r/${g.referralCode}`);
    expect(msg.text).toContain(en("invite-terms", { rate: "10%" }));
    expect(msg.text).toContain(en("invite-terms-window", { days: "30" }));
    expect(msg.text).toContain(en("invite-none"));
    const kb = msg.reply_markup.inline_keyboard.flat();
    const share = kb.find((b: { url?: string }) => b.url?.startsWith("https://t.me/share/url?"));
    expect(decodeURIComponent(share.url)).toContain(`start=ref_${g.referralCode}`);
    expect(kb.map((b: { callback_data?: string }) => b.callback_data)).toContain("m:home");
  });

  it("with commissions off, the screen says so in Chinese too", async () => {
    await updateSettings({ referral: { commissionBps: 0, windowDays: 0 } });
    try {
      const hal = newTgUser("zh");
      await say(hal, "/start");
      const msg = await say(hal, "/invite");
      expect(msg.text).toContain(zh("invite-off"));
      expect(msg.text).toContain("邀请好友");
    } finally {
      await updateSettings({ referral: { commissionBps: 1_000, windowDays: 30 } });
    }
  });
});
