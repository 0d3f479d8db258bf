import { expect, test } from "@playwright/test";
import { translator } from "@/lib/i18n";
import { userWithLink } from "./fixtures";

const en = translator("en");

/**
 * The supplier page end to end: a signed-in user opens it from the account page, saves their terms,
 * sees a bad payout address refused (nothing changes), asks for the permission to add for a wallet
 * and is shown the message to sign, and is refused a payout with nothing earned.
 */
test("a user becomes a supplier: terms saved, bad input refused, wallet setup shown, payout refused without earnings", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const { user, path } = await userWithLink({});
  await page.goto(path);
  await page.waitForURL("**/dashboard");
  await page.goto("/account");
  await page.getByTestId("account-supplier").click();
  await page.waitForURL("**/account/supplier");
  await expect(page.getByRole("heading", { name: en("supplier-title") })).toBeVisible();

  const profile = page.getByTestId("supplier-profile");
  await profile.locator('input[name="minPrice"]').fill("900");
  await profile.locator('input[name="energyCap"]').fill("500000");
  await profile.locator('input[name="payoutAddress"]').fill("TLa2f6VPqDgRE67v1736s7bJ8Ray5wYjU7");
  await profile.locator('input[name="available"]').check();
  await profile.getByRole("button", { name: en("supplier-save") }).click();
  await expect(page.getByTestId("supplier-done")).toHaveText(en("supplier-done-profile"));
  const { getSupplierProfile } = await import("@/lib/suppliers");
  expect(await getSupplierProfile(user.id)).toMatchObject({
    minPriceSunPerEnergyDay: 900n,
    available: true,
    energyCap: 500_000n,
    payoutAddress: "TLa2f6VPqDgRE67v1736s7bJ8Ray5wYjU7",
  });
  await page.screenshot({ path: "e2e-artifacts/supplier-saved.png", fullPage: true });

  // a bad payout address: refused, nothing changes
  await profile.locator('input[name="payoutAddress"]').fill("0x1234");
  await profile.getByRole("button", { name: en("supplier-save") }).click();
  await expect(page.getByTestId("supplier-error")).toBeVisible();
  expect((await getSupplierProfile(user.id))?.payoutAddress).toBe("TLa2f6VPqDgRE67v1736s7bJ8Ray5wYjU7");

  // the permission to add for a wallet, and the message to sign
  const { devnetAccount } = await import("@/devnet/genesis");
  const wallet = devnetAccount(3).base58;
  const wallets = page.getByTestId("supplier-wallets");
  await wallets.locator('input[name="address"]').first().fill(wallet);
  await wallets.getByRole("button", { name: en("supplier-showSetup") }).click();
  await expect(page.getByTestId("supplier-message")).toContainText(`${wallet} as user ${user.id}`);

  // nothing earned: a payout is refused and the balance is untouched
  const payouts = page.getByTestId("supplier-payouts");
  await payouts.locator('input[name="amount"]').fill("20");
  await payouts.getByRole("button", { name: en("supplier-requestPayout") }).click();
  await expect(page.getByTestId("supplier-error")).toBeVisible();
  const { listPayouts } = await import("@/lib/suppliers");
  expect(await listPayouts({ userId: user.id })).toEqual([]);
});
