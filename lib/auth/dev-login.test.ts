import { afterEach, describe, expect, it } from "vitest";
import { env } from "@/lib/env";
import { getUserById } from "@/lib/users";
import { DEV_TELEGRAM_ID_BASE, devSignInEnabled, devTelegramId, issueDevLoginToken } from "./dev-login";
import { consumeLoginToken } from "./login-link";

const saved = { NODE_ENV: env.NODE_ENV, TRON_NETWORK: env.TRON_NETWORK };
afterEach(() => Object.assign(env, saved));

describe("development sign-in", () => {
  it("issues a one-time token for the named test user; the same name is the same user", async () => {
    const t1 = await issueDevLoginToken("Alice Dev");
    const id1 = await consumeLoginToken(t1);
    const t2 = await issueDevLoginToken("  alice dev ");
    const id2 = await consumeLoginToken(t2);
    expect(id2).toBe(id1);
    const u = await getUserById(id1);
    expect(u.telegramId).toBe(devTelegramId("Alice Dev"));
    expect(u.telegramId).toBeGreaterThanOrEqual(DEV_TELEGRAM_ID_BASE);
    await expect(consumeLoginToken(t1)).rejects.toMatchObject({ code: "unauthorized" });
  });

  it("refuses a bad name and changes nothing", async () => {
    await expect(issueDevLoginToken("")).rejects.toThrow(/name/i);
    await expect(issueDevLoginToken("<script>")).rejects.toThrow(/Letters/);
    await expect(issueDevLoginToken("x".repeat(33))).rejects.toThrow(/32/);
  });

  it("does not exist in production or on a public network", async () => {
    expect(devSignInEnabled()).toBe(true);
    Object.assign(env, { NODE_ENV: "production" });
    expect(devSignInEnabled()).toBe(false);
    await expect(issueDevLoginToken("Mallory")).rejects.toMatchObject({ code: "forbidden" });
    Object.assign(env, { NODE_ENV: "development", TRON_NETWORK: "mainnet" });
    expect(devSignInEnabled()).toBe(false);
    await expect(issueDevLoginToken("Mallory")).rejects.toMatchObject({ code: "forbidden" });
  });
});
