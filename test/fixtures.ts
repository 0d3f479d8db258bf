import { test as base } from "vitest";
import { eq } from "drizzle-orm";
import { getDb } from "@/db";
import { users } from "@/db/schema";
import { createApiKey } from "@/lib/api/keys";
import { type Harness, newTgUser } from "@/lib/bot/testing/harness";
import { creditOpeningBalance, fundedUser } from "@/lib/orders/testing";

/**
 * The bootstrap the suites share, as vitest fixtures (`test.extend`): a test names what it needs
 * in its context (`test("…", async ({ apiCustomer }) => …)`) instead of each file keeping its own
 * copy of the set-up. Each fixture is a factory, so a test makes as many as it needs.
 *
 * - `apiCustomer(opts)`: a user with a balance (10,000 TRX unless told) and an API key of their own
 *   (`rateLimitPerMinute` as given): `{ userId, key, keyId, secret }` (secret: the callback secret).
 * - `telegramUser(bot, opts)`: a new Telegram user (language `lang`, "en" unless told) who has sent
 *   /start to the bot harness `bot`, so the app has their account, credited `balanceSun` if given:
 *   `{ from, userId }` (`from`: the Telegram user to send updates as).
 */
export type ApiCustomer = { userId: number; key: string; keyId: number; secret: string };

const TRX = 1_000_000n;

export type TelegramUser = { from: ReturnType<typeof newTgUser>; userId: number };
export type MakeTelegramUser = (
  bot: Harness,
  opts?: { lang?: string; balanceSun?: bigint },
) => Promise<TelegramUser>;

export const test = base.extend<{
  apiCustomer: (opts?: { balanceSun?: bigint; rateLimitPerMinute?: number }) => Promise<ApiCustomer>;
  telegramUser: MakeTelegramUser;
}>({
  // biome-ignore lint/correctness/noEmptyPattern: vitest reads the fixtures a fixture needs from this pattern
  apiCustomer: async ({}, use) => {
    await use(async ({ balanceSun = 10_000n * TRX, rateLimitPerMinute } = {}) => {
      const userId = await fundedUser(balanceSun);
      const k = await createApiKey({ userId, name: "test", rateLimitPerMinute });
      return { userId, key: k.key, keyId: k.apiKey.id, secret: k.callbackSecret };
    });
  },
  // biome-ignore lint/correctness/noEmptyPattern: as above
  telegramUser: async ({}, use) => {
    await use(async (bot, { lang = "en", balanceSun = 0n } = {}) => {
      const from = newTgUser(lang);
      await bot.text(from, "/start");
      const db = await getDb();
      const [u] = await db.select({ id: users.id }).from(users).where(eq(users.telegramId, from.id));
      if (!u) throw new Error(`/start made no account for Telegram user ${from.id}`);
      await creditOpeningBalance(u.id, balanceSun);
      return { from, userId: u.id };
    });
  },
});
