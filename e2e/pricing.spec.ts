import { expect as baseExpect, type Page, test } from "@playwright/test";
import { translator } from "@/lib/i18n";
import { makeAdmin, PASSWORD } from "./admin-fixtures";
import { activatedAddress, balanceOf, ensurePool, userWithLink } from "./fixtures";

const en = translator("en");
// a loaded machine renders the console's pages slowly: wait longer than the default 5 s
const expect = baseExpect.configure({ timeout: 30_000 });
const TRX = 1_000_000n;

/**
 * Smart pricing end to end: an owner sets a volume discount in the console's settings form → the
 * portal's quote shows it and the chain's burn price → the operator raises the 1h price while the
 * user looks at the quote → paying charges the price shown (the held quote) → the console's price
 * simulation replays the day. The settings are put back at the end for the other suites.
 */
test.describe.configure({ mode: "serial" });

async function signIn(page: Page, email: string) {
  await page.goto("/admin/sign-in");
  await page.getByLabel(/email/i).fill(email);
  await page.getByLabel(/password/i).fill(PASSWORD);
  await page.getByRole("button", { name: /sign in|登录/i }).click();
  await expect(page.getByTestId("whoami")).toHaveText(email);
}

async function saveSettings(page: Page, values: Record<string, string>) {
  await page.goto("/admin/settings");
  const form = page.getByTestId("settings-form");
  for (const [name, value] of Object.entries(values)) await form.locator(`input[name="${name}"]`).fill(value);
  await form.getByRole("button", { name: /save|保存/i }).click();
  await expect(form.getByRole("status")).toContainText("Saved");
}

test("discount set in the console → portal quote shows it → a price rise after the quote → paid at the quote", async ({
  browser,
}) => {
  test.setTimeout(300_000);
  await ensurePool();
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, await makeAdmin("owner"));
  try {
    await saveSettings(admin, { pricingVolumeDiscounts: "60000:10" });

    const { user, path } = await userWithLink({ balanceSun: 20n * TRX });
    const page = await (await browser.newContext()).newPage();
    await page.goto(path);
    await page.waitForURL("**/dashboard");
    await page.goto("/rent");
    await page.getByLabel(en("wallets-address")).fill(await activatedAddress());
    await page.getByText("65,000 energy", { exact: true }).click();
    await page.getByText("1h", { exact: true }).click();
    // 65,000 × 45 sun = 2.925 TRX, less 10%
    await expect(page.getByTestId("quote-price")).toHaveText("2.6325 TRX");
    await expect(page.getByTestId("quote-discount")).toHaveText("−0.2925 TRX");
    await expect(page.getByText(en("rent-burnLive"))).toBeVisible();
    await expect(page.getByTestId("pay-button")).toBeEnabled();
    await page.screenshot({ path: "e2e-artifacts/pricing-quote.png", fullPage: true });

    // The operator raises the 1h price while the user looks at the quote.
    await saveSettings(admin, { price_1h: "90" });
    await page.getByTestId("pay-button").click();
    await page.waitForURL(/\/orders\/\d+$/);
    expect(await balanceOf(user.id)).toBe(20n * TRX - 2_632_500n);

    // The console's simulation of today with the settings as they are now.
    const today = new Date().toISOString().slice(0, 10);
    await admin.goto(`/admin/settings/simulate?day=${today}`);
    await expect(admin.getByTestId("simulation-result")).toBeVisible();
    await expect(admin.getByTestId("sim-orders")).toBeVisible();
    await admin.screenshot({ path: "e2e-artifacts/pricing-simulation.png", fullPage: true });
  } finally {
    // put the defaults back, so the other browser suites see them
    await saveSettings(admin, { pricingVolumeDiscounts: "", price_1h: "45" });
  }
});
