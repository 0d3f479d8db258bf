import { expect, test } from "@playwright/test";
import { translator } from "@/lib/i18n";
import { activatedAddress, balanceOf, ensurePool, userWithLink } from "./fixtures";

const en = translator("en");
const TRX = 1_000_000n;

/**
 * Batch order end to end against the production topology: Orders → Batch order → paste a CSV (and
 * load one from a file) → preview with per-line quotes and errors → confirm → the batch page, whose
 * lines move to Active by themselves as the engine delivers each order.
 */
test.describe.configure({ mode: "serial" });

test("paste CSV → preview → confirm → the batch view updates each line to Active", async ({ page }) => {
  test.setTimeout(180_000);
  await ensurePool();
  const { user, path } = await userWithLink({ balanceSun: 20n * TRX });
  const a = await activatedAddress();
  const b = await activatedAddress();

  await page.goto(path);
  await page.waitForURL("**/dashboard");
  await page.goto("/orders");
  await page.getByRole("link", { name: en("batch-link") }).click();
  await page.waitForURL("**/batch");

  // a file fills the list
  await page.getByTestId("batch-file").setInputFiles({
    name: "receivers.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(`address,energy,duration\n${a},65000,1h\n`),
  });
  await expect(page.getByTestId("batch-list")).toHaveValue(`address,energy,duration\n${a},65000,1h\n`);

  // pasted: one full line, one address alone (the defaults below), one bad line
  await page
    .getByTestId("batch-list")
    .fill(`address,energy,duration\n${a}, 65000, 1h\n${b}\nnot-an-address, 65000, 1h`);
  await page.getByTestId("batch-energy").fill("65000");
  await page.getByTestId("batch-duration").selectOption("1h");
  await page.getByTestId("batch-preview").click();
  const review = page.getByTestId("batch-review-line");
  await expect(review).toHaveCount(3);
  await expect(review.nth(0)).toHaveAttribute("data-status", "ok");
  await expect(review.nth(1)).toHaveAttribute("data-status", "ok");
  await expect(review.nth(2)).toHaveAttribute("data-status", "rejected");
  await expect(review.nth(2)).toContainText(en("address-bad_characters"));
  await expect(page.getByTestId("batch-total")).toContainText("5.85 TRX");
  expect(await balanceOf(user.id)).toBe(20n * TRX); // a preview charges nothing
  await page.screenshot({ path: "e2e-artifacts/batch-preview-1280.png", fullPage: true });

  await page.getByTestId("batch-confirm").click();
  await page.waitForURL(/\/batch\/\d+$/);
  const lines = page.getByTestId("batch-line");
  await expect(lines).toHaveCount(3);
  await expect(lines.nth(2)).toHaveAttribute("data-status", "rejected");
  await expect(lines.nth(0)).toHaveAttribute("data-status", "active", { timeout: 60_000 });
  await expect(lines.nth(1)).toHaveAttribute("data-status", "active", { timeout: 60_000 });
  await expect(page.getByTestId("batch-counts")).toHaveText(
    en("batch-counts", { ordered: "2", rejected: "1" }),
  );
  expect(await balanceOf(user.id)).toBe(20n * TRX - 2n * 2_925_000n);
  await page.setViewportSize({ width: 375, height: 800 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  expect(overflow).toBe(false);
  await page.screenshot({ path: "e2e-artifacts/batch-view-375.png", fullPage: true });

  // the batch is listed on the batch page
  await page.goto("/batch");
  await expect(page.getByTestId("batch-recent").locator("li")).toHaveCount(1);
});
