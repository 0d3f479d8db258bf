import { randomInt } from "node:crypto";
import { expect, test } from "@playwright/test";
import { signLoginWidget } from "@/lib/auth/telegram";
import { translator } from "@/lib/i18n";
import { activatedAddress, balanceOf, ensurePool, orderStatus, userWithLink } from "./fixtures";
import { BOT_TOKEN } from "./ports";

const en = translator("en");
const TRX = 1_000_000n;

/**
 * Referrals end to end: a user's invite page gives a web link; a visitor who opens it and signs in
 * with Telegram (the Login Widget, its script stubbed with a profile signed by the run's bot token)
 * gets a new account referred by that user; the invitee's rental is delivered by the engine, whose
 * referral-commission function credits the referrer, and the referrer's invite page shows it.
 */
test.describe.configure({ mode: "serial" });

/** What the first test made, for the console's checks. */
const made: { referrerId?: number; inviteeId?: number } = {};

test.afterAll(async () => {
  const { updateSettings } = await import("@/lib/settings");
  await updateSettings({ referral: { commissionBps: 0, windowDays: 0 } });
});

test("invite link → new account referred → its delivered order credits the referrer", async ({
  browser,
  page,
}) => {
  test.setTimeout(180_000);
  await ensurePool();
  const { updateSettings } = await import("@/lib/settings");
  await updateSettings({ referral: { commissionBps: 1_000, windowDays: 30 } });

  // 1. the referrer's invite page
  const { user: referrer, path } = await userWithLink({});
  await page.goto(path);
  await page.waitForURL("**/dashboard");
  await page.goto("/account");
  await page.getByTestId("account-invite").click();
  await page.waitForURL("**/account/invite");
  await expect(page.getByTestId("invite-terms")).toContainText(en("referral-intro", { rate: "10%" }));
  await expect(page.getByTestId("invite-count")).toHaveText("0");
  const portalLink = ((await page.getByTestId("invite-link-portal").textContent()) ?? "").trim();
  expect(portalLink).toMatch(new RegExp(`/r/${referrer.referralCode}$`));
  await page.screenshot({ path: "e2e-artifacts/referral-invite-empty.png", fullPage: true });

  // 2. a visitor opens the link and signs in with Telegram for the first time
  const visitor = await browser.newContext();
  const v = await visitor.newPage();
  const profile = {
    id: 910_000_000 + randomInt(1, 80_000_000),
    first_name: "Quinn",
    auth_date: Math.floor(Date.now() / 1000),
  };
  const signed = { ...profile, hash: signLoginWidget(profile, BOT_TOKEN) };
  await visitor.route("https://telegram.org/**", (route) =>
    route.fulfill({
      contentType: "application/javascript",
      body: `window.Telegram = { Login: { auth: (_o, cb) => cb(${JSON.stringify(signed)}) } };`,
    }),
  );
  await v.goto(new URL(portalLink).pathname);
  await v.waitForURL("**/login");
  await expect(v.getByTestId("login-invited")).toHaveText(en("login-invited"));
  await v.getByRole("button", { name: en("login-widgetButton") }).click();
  await v.waitForURL("**/dashboard");
  const { getDb } = await import("@/db");
  const { users } = await import("@/db/schema");
  const { eq } = await import("drizzle-orm");
  const db = await getDb();
  const [invitee] = await db.select().from(users).where(eq(users.telegramId, profile.id));
  expect(invitee.referredByUserId).toBe(referrer.id);
  Object.assign(made, { referrerId: referrer.id, inviteeId: invitee.id });

  // 3. the invitee rents; the engine delivers it and credits the referrer
  const { credit } = await import("@/lib/ledger");
  const { addWallet } = await import("@/lib/wallets");
  await credit({ userId: invitee.id, amountSun: 20n * TRX, idempotencyKey: `e2e-credit:${invitee.id}` });
  await addWallet({ userId: invitee.id, address: await activatedAddress(), label: "Mine" });
  await v.goto("/rent");
  await v.getByText("65,000 energy", { exact: true }).click();
  await v.getByText("1h", { exact: true }).click();
  await expect(v.getByTestId("quote-price")).toHaveText("2.925 TRX");
  await v.getByTestId("pay-button").click();
  await v.waitForURL(/\/orders\/\d+$/);
  const orderId = Number(v.url().split("/").pop());
  await expect(v.getByTestId("order-status")).toHaveAttribute("data-status", "active", { timeout: 60_000 });
  expect(await orderStatus(orderId)).toBe("active");
  // 10 % of 2.925 TRX
  await expect.poll(() => balanceOf(referrer.id), { timeout: 30_000, intervals: [500] }).toBe(292_500n);
  await visitor.close();

  // 4. the referrer sees the invitee (masked) and the earnings
  await page.reload();
  await expect(page.getByTestId("invite-count")).toHaveText("1");
  await expect(page.getByTestId("invite-earned")).toHaveText("0.2925 TRX");
  await expect(page.getByTestId("invite-recent")).toContainText("Q•••");
  await expect(page.getByTestId("invite-recent")).not.toContainText("Quinn");
  await page.screenshot({ path: "e2e-artifacts/referral-invite-earned.png", fullPage: true });
});

test("the console reports the referral cost and who referred whom", async ({ page }) => {
  test.skip(!made.referrerId, "needs the first test's referral");
  const { makeAdmin, PASSWORD } = await import("./admin-fixtures");
  const email = await makeAdmin("viewer");
  await page.goto("/admin/sign-in");
  await page.getByLabel(/email/i).fill(email);
  await page.getByLabel(/password/i).fill(PASSWORD);
  await page.getByRole("button", { name: /sign in|登录/i }).click();
  await expect(page.getByTestId("whoami")).toHaveText(email);
  await page.getByRole("link", { name: "Referrals" }).click();
  await page.waitForURL("**/admin/referrals");
  await expect(page.getByTestId("referral-terms")).toContainText("Commission: 10% · period: 30 days");
  await expect(page.getByTestId("referral-net")).toHaveText("0.2925 TRX");
  await expect(
    page.getByTestId("referral-top").locator(`a[href="/admin/users/${made.referrerId}"]`),
  ).toBeVisible();
  await page.screenshot({ path: "e2e-artifacts/referral-admin.png", fullPage: true });
  await page.goto(`/admin/users/${made.inviteeId}`);
  await expect(page.getByTestId("user-referred-by")).toContainText(`#${made.referrerId}`);
  await page.goto(`/admin/users/${made.referrerId}`);
  await expect(page.getByTestId("user-invitees")).toContainText("1");
});
