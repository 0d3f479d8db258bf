import { expect, type Page, test } from "@playwright/test";
import { makeAdmin, PASSWORD } from "./admin-fixtures";
import { ensurePool, kit, requestScan } from "./fixtures";

/**
 * Pay by transfer, end to end on the production topology: the landing page shows the rental address
 * and the offers; a plain devnet transfer of an offer's amount is seen by the scanner (run by the
 * engine), delivered to the sender and listed on the console's Transfers page.
 */

async function rentalAddress(): Promise<string> {
  const { rentalAddress } = await import("@/lib/transfers");
  return rentalAddress();
}

async function signIn(page: Page, email: string) {
  await page.goto("/admin/sign-in");
  await page.getByLabel(/email/i).fill(email);
  await page.getByLabel(/password/i).fill(PASSWORD);
  await page.getByRole("button", { name: /sign in|登录/i }).click();
  // password hashing is slow on a loaded machine
  await expect(page.getByTestId("whoami")).toHaveText(email, { timeout: 30_000 });
}

test("the landing page shows the rental address and the offers, in English and Chinese", async ({ page }) => {
  await page.goto("/");
  const box = page.getByTestId("transfer-offers");
  await expect(box).toBeVisible();
  await expect(page.getByTestId("rental-address")).toHaveText(await rentalAddress());
  await expect(box.getByRole("row", { name: /4 TRX/ })).toContainText("65,000 energy");
  await expect(box.getByRole("img", { name: "QR code of the rental address" })).toBeVisible();
  await page.screenshot({ path: "e2e-artifacts/transfer-landing.png", fullPage: true });
  await page.getByRole("button", { name: "中文" }).click();
  await expect(box.getByRole("heading", { name: /转账即租/ })).toBeVisible();
});

test("a transfer of an offer's amount is delivered to the sender and listed on the console", async ({ page }) => {
  test.setTimeout(180_000);
  await ensurePool();
  const k = await kit();
  const { utils } = await import("tronweb");
  const a = utils.accounts.generateAccount();
  await k.ctl("fund", { address: a.address.base58, trx: 50 });
  const txid = await k.deposits.sendTrx(k.client, await rentalAddress(), 4_000_000n, {
    base58: a.address.base58,
    privateKey: a.privateKey,
  });
  const { getDb } = await import("@/db");
  const { rentalTransfers } = await import("@/db/schema");
  const { eq } = await import("drizzle-orm");
  const db = await getDb();
  await expect
    .poll(
      async () => {
        await requestScan();
        const [r] = await db.select().from(rentalTransfers).where(eq(rentalTransfers.txid, txid));
        return r?.status ?? "unseen";
      },
      { timeout: 150_000, intervals: [2_000] },
    )
    .toBe("delivered");
  expect((await k.client.getAccountResources(a.address.base58)).energyLimit).toBeGreaterThanOrEqual(65_000n);

  await signIn(page, await makeAdmin("viewer"));
  await page.goto("/admin/transfers");
  await expect(page.getByTestId("admin-rental-address")).toHaveText(await rentalAddress());
  const row = page.getByTestId("rental-transfer-row").filter({ hasText: a.address.base58 });
  await expect(row).toHaveAttribute("data-status", "delivered");
  await expect(row).toContainText("4 TRX");
  await expect(row.getByRole("link", { name: /Order #/ })).toBeVisible();
  await page.screenshot({ path: "e2e-artifacts/transfer-console.png", fullPage: true });
});
