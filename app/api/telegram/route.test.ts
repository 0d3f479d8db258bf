import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { users } from "@/db/schema";
import { resetBot } from "@/lib/bot/bot";
import { callbackUpdate, type FakeBotApi, startFakeBotApi, textUpdate } from "@/lib/bot/testing/fake-bot-api";
import { trx } from "@/lib/format";
import { buttonsOf, newTgUser, TEST_TOKEN } from "@/lib/bot/testing/harness";
import { reloadEnv } from "@/lib/env";
import { credit, debit } from "@/lib/ledger";
import { shortAddress } from "@/lib/tron/address";
import { saveSupplierProfile } from "@/lib/suppliers";
import { addWallet } from "@/lib/wallets";
import { POST } from "./route";

const SECRET = "test-webhook-secret-0123456789";
let api: FakeBotApi;
const saved = { ...process.env };

function post(body: unknown, secret: string | null = SECRET, raw?: string) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (secret !== null) headers["x-telegram-bot-api-secret-token"] = secret;
  return POST(
    new Request("http://localhost/api/telegram", {
      method: "POST",
      headers,
      body: raw ?? JSON.stringify(body),
    }),
  );
}

beforeAll(async () => {
  api = await startFakeBotApi();
  process.env.TELEGRAM_BOT_TOKEN = TEST_TOKEN;
  process.env.TELEGRAM_WEBHOOK_SECRET = SECRET;
  process.env.TELEGRAM_API_ROOT = api.url;
  process.env.TELEGRAM_BOT_USERNAME = "tron_energy_helper_bot";
  reloadEnv();
  resetBot();
});
afterAll(async () => {
  process.env = { ...saved };
  reloadEnv();
  resetBot();
  await api.close();
});
afterEach(() => api.clear());

/** Callback answers: the one sent back in the webhook reply, then any the bot called the Bot API with. */
async function answersOf(res: Response): Promise<Record<string, any>[]> {
  const text = await res.text();
  const reply = text ? JSON.parse(text) : null;
  const inReply = reply?.method === "answerCallbackQuery" ? [reply] : [];
  return [...inReply, ...api.of("answerCallbackQuery").map((c) => c.body)];
}

describe("POST /api/telegram", () => {
  it("answers 503 when no bot token is configured", async () => {
    delete process.env.TELEGRAM_BOT_TOKEN;
    reloadEnv();
    resetBot();
    try {
      const res = await post(textUpdate(newTgUser(), "/start"));
      expect(res.status).toBe(503);
      expect(await res.text()).toBe("bot disabled");
    } finally {
      process.env.TELEGRAM_BOT_TOKEN = TEST_TOKEN;
      reloadEnv();
      resetBot();
    }
  });

  it("wrong or missing secret → 401, nothing processed, no Bot API call", async () => {
    const from = newTgUser();
    for (const secret of [null, "wrong-secret-wrong-secret", `${SECRET}x`, ""]) {
      const res = await post(textUpdate(from, "/start"), secret);
      expect(res.status).toBe(401);
    }
    expect(api.calls).toHaveLength(0);
    const db = await getDb();
    expect(await db.select().from(users).where(eq(users.telegramId, from.id))).toHaveLength(0);
  });

  it("malformed JSON → 400; JSON that is not an update → 400", async () => {
    expect((await post(null, SECRET, "{not json")).status).toBe(400);
    expect((await post({ hello: 1 })).status).toBe(400);
    expect((await post({ update_id: "x" })).status).toBe(400);
    expect(api.calls).toHaveLength(0);
  });

  it("/start creates the user (language from language_code, referral stored) and sends the menu", async () => {
    const from = newTgUser("zh-hans");
    const res = await post(textUpdate(from, "/start ref_abcdef"));
    expect(res.status).toBe(200);
    const sent = api.of("sendMessage");
    expect(sent).toHaveLength(1);
    expect(sent[0].body.chat_id).toBe(from.id);
    expect(sent[0].body.text).toContain("余额");
    expect(sent[0].body.parse_mode).toBe("HTML");
    const buttons = sent[0].body.reply_markup.inline_keyboard.flat();
    expect(buttons.map((b: any) => b.callback_data)).toContain("r:open");
    for (const b of buttons)
      if (b.callback_data) expect(Buffer.byteLength(b.callback_data)).toBeLessThanOrEqual(64);
    const db = await getDb();
    const [u] = await db.select().from(users).where(eq(users.telegramId, from.id));
    expect(u.language).toBe("zh");
    expect(u.startParam).toBe("ref_abcdef");
  });

  it("the same update twice has one effect", async () => {
    const from = newTgUser();
    const u = textUpdate(from, "/start");
    expect((await post(u)).status).toBe(200);
    const again = await post(u);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ duplicate: true });
    expect(api.of("sendMessage")).toHaveLength(1);
  });

  it("a menu tap is answered and edits the message in place", async () => {
    const from = newTgUser();
    await post(textUpdate(from, "/start"));
    api.clear();
    const res = await post(callbackUpdate(from, "m:help", { message_id: 55 }));
    expect(res.status).toBe(200);
    expect(await answersOf(res)).toHaveLength(1);
    const edits = api.of("editMessageText");
    expect(edits).toHaveLength(1);
    expect(edits[0].body.message_id).toBe(55);
    expect(edits[0].body.text).toContain("Help");
  });

  it("a stale or unknown button is answered with what changed, and the menu is shown", async () => {
    const from = newTgUser();
    for (const data of ["w:open:999999999", "nonsense", "r:pay:oldquote", "o:open:1"]) {
      api.clear();
      const res = await post(callbackUpdate(from, data, { message_id: 9 }));
      const answers = await answersOf(res);
      expect(answers, data).toHaveLength(1);
      expect(String(answers[0].text ?? "")).not.toBe("");
    }
  });

  it("a callback answer rides in the webhook reply (no Bot API call), sent after the edit", async () => {
    const from = newTgUser();
    await post(textUpdate(from, "/start"));
    api.clear();
    const update = callbackUpdate(from, "m:home", { message_id: 77 });
    const res = await post(update);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(res.headers.get("cache-control")).toContain("no-transform"); // not gzipped by Next
    expect(await res.json()).toEqual({
      method: "answerCallbackQuery",
      callback_query_id: update.callback_query.id,
    });
    expect(api.of("answerCallbackQuery")).toHaveLength(0);
    expect(api.of("editMessageText")).toHaveLength(1);
    expect(api.of("editMessageText")[0].body.text).toContain("Balance");
  });

  it("the menu shows the balance and default wallet as they are when the update arrives", async () => {
    const from = newTgUser();
    await post(textUpdate(from, "/start"));
    const db = await getDb();
    const [u] = await db.select().from(users).where(eq(users.telegramId, from.id));
    const menuText = async (update: unknown) => {
      api.clear();
      expect((await post(update)).status).toBe(200);
      const out = [...api.of("editMessageText"), ...api.of("sendMessage")];
      expect(out).toHaveLength(1);
      return String(out[0].body.text);
    };
    expect(await menuText(callbackUpdate(from, "m:home", { message_id: 5 }))).toContain("No saved wallet");
    // Changed between two updates: each update's menu reads them afresh with its claim.
    await credit({ userId: u.id, amountSun: 12_345_678n, idempotencyKey: `menu-test:${u.id}`, memo: "t" });
    const w = await addWallet({ userId: u.id, address: "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t" });
    const tapped = await menuText(callbackUpdate(from, "m:home", { message_id: 5 }));
    expect(tapped).toContain(trx(12_345_678n));
    expect(tapped).toContain(shortAddress(w.address));
    await debit({ userId: u.id, amountSun: 2_345_678n, idempotencyKey: `menu-test-d:${u.id}`, memo: "t" });
    expect(await menuText(textUpdate(from, "/menu"))).toContain(trx(10_000_000n));
  });

  it("the menu's supply entry appears once the user has a supplier profile (read with the claim)", async () => {
    const from = newTgUser();
    await post(textUpdate(from, "/start"));
    const db = await getDb();
    const [u] = await db.select().from(users).where(eq(users.telegramId, from.id));
    const menuButtons = async () => {
      api.clear();
      await post(callbackUpdate(from, "m:home", { message_id: 5 }));
      return buttonsOf(api.of("editMessageText")[0].body).map(([, d]) => d);
    };
    expect(await menuButtons()).not.toContain("sp:open");
    await saveSupplierProfile(u.id, {
      minPriceSunPerEnergyDay: 0n,
      available: false,
      energyCap: null,
      payoutAddress: null,
    });
    expect(await menuButtons()).toContain("sp:open");
  });

  it("a text update gets an empty 200 (nothing to reply with)", async () => {
    const from = newTgUser();
    const res = await post(textUpdate(from, "/start"));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
    expect(api.of("sendMessage")).toHaveLength(1);
  });

  it("session and profile read with the claim: a multi-step input and a renamed user work", async () => {
    const from = newTgUser();
    await post(textUpdate(from, "/start"));
    await post(callbackUpdate(from, "lk:ask", { message_id: 12 }));
    api.clear();
    // The step set by the tap is in the session the next update reads together with its claim.
    await post(textUpdate(from, "not-an-address"));
    const sent = api.of("sendMessage");
    expect(sent).toHaveLength(1);
    expect(sent[0].body.text).toMatch(/^⚠️ /);
    // A changed username is still written back (the prefetched row is compared with the profile).
    await post(textUpdate({ ...from, username: "renamed_user" }, "/menu"));
    const db = await getDb();
    const [u] = await db.select().from(users).where(eq(users.telegramId, from.id));
    expect(u.username).toBe("renamed_user");
  });

  it("banned users are refused politely", async () => {
    const from = newTgUser();
    await post(textUpdate(from, "/start"));
    const db = await getDb();
    await db.update(users).set({ status: "banned" }).where(eq(users.telegramId, from.id));
    api.clear();
    await post(textUpdate(from, "/start"));
    const sent = api.of("sendMessage");
    expect(sent).toHaveLength(1);
    expect(sent[0].body.text).toMatch(/can't use the bot/);
    expect(sent[0].body.reply_markup).toBeUndefined();
  });
});
