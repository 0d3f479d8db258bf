import fs from "node:fs";
import { expect, type Page, test } from "@playwright/test";
import { devnetWallet, failedOrder, makeAdmin, PASSWORD } from "./admin-fixtures";

const shot = (page: Page, name: string) =>
  page.screenshot({ path: `e2e-artifacts/admin-${name}.png`, fullPage: true });

async function signIn(page: Page, email: string) {
  await page.goto("/admin/sign-in");
  await page.getByLabel(/email/i).fill(email);
  await page.getByLabel(/password/i).fill(PASSWORD);
  await page.getByRole("button", { name: /sign in|登录/i }).click();
  await expect(page.getByTestId("whoami")).toHaveText(email);
}

test("an owner imports a wallet, changes a price, refunds a failed order and exports CSV", async ({
  page,
  request,
}) => {
  const email = await makeAdmin("owner");
  const { orderId } = await failedOrder();
  const wallet = await devnetWallet(2);

  await signIn(page, email);
  await expect(page.getByTestId("window-today")).toBeVisible();
  // The dashboard names every failing health check (engine, scanner, chain), and only those. Its
  // banner shows a reading at most 10 s old (lib/health recentHealth) while the checks still change
  // as the stack starts (the scanner fails until the worker's first scan): within that bound the
  // page must come to show exactly what a fresh /api/health reports.
  const failingNow = async () => {
    const h = await (await request.get("/api/health")).json();
    return Object.entries(h.checks as Record<string, string>)
      .filter(([, r]) => r !== "ok")
      .map(([name]) => name)
      .sort();
  };
  const shown = async () =>
    (
      await page
        .locator('[data-testid^="health-"]:not([data-testid="health-banner"])')
        .evaluateAll((els) => els.map((e) => (e.getAttribute("data-testid") ?? "").slice("health-".length)))
    ).sort();
  let failing: string[] = [];
  let onPage: string[] = [];
  for (let i = 0; i < 15; i++) {
    await page.reload();
    await expect(page.getByTestId("window-today")).toBeVisible();
    onPage = await shown();
    failing = await failingNow();
    if (JSON.stringify(onPage) === JSON.stringify(failing)) break;
    await page.waitForTimeout(1000);
  }
  expect(onPage).toEqual(failing);
  for (const name of failing) await expect(page.getByTestId(`health-${name}`)).toBeVisible();
  if (!failing.length) await expect(page.getByTestId("health-banner")).toHaveCount(0);
  await shot(page, "dashboard");

  await page.goto("/admin/pool");
  const form = page.getByTestId("import-form");
  await form.locator('input[name="address"]').fill(wallet.address);
  await form.locator('input[name="privateKey"]').fill(wallet.privateKey);
  await form.locator('input[name="label"]').fill("e2e-pool-2");
  await form.getByRole("button").click();
  await expect(form.getByRole("status")).toContainText("Imported");
  await page.reload();
  await expect(page.getByTestId("wallet-row").filter({ hasText: wallet.address })).toBeVisible();
  // The devnet's 180e9 / 19e9 energy per TRX, with its decimals (not rounded to 9).
  await expect(page.getByTestId("energy-per-trx")).toHaveText(/^Energy per staked TRX now: 9\.4\d$/);
  expect(await page.content()).not.toContain(wallet.privateKey);
  await shot(page, "pool");

  await page.goto("/admin/settings");
  const settings = page.getByTestId("settings-form");
  await settings.locator('input[name="price_1h"]').fill("51");
  await settings.getByRole("button", { name: /save|保存/i }).click();
  await expect(settings.getByRole("status")).toContainText("Saved");
  const price = await (await request.get("/api/v1/price?energy=65000&duration=1h")).json();
  expect(JSON.stringify(price)).toContain(String(65_000 * 51));
  await shot(page, "settings");
  // put the default price back, so the other browser suites see the defaults
  await page.goto("/admin/settings");
  await settings.locator('input[name="price_1h"]').fill("45");
  await settings.getByRole("button", { name: /save|保存/i }).click();
  await expect(settings.getByRole("status")).toContainText("Saved");
  await expect
    .poll(async () => (await (await request.get("/api/v1/price?energy=65000&duration=1h")).json()).price_sun)
    .toBe(String(65_000 * 45));

  await page.goto(`/admin/orders/${orderId}`);
  await expect(page.getByTestId("order-status")).toHaveText("failed");
  const refund = page.getByTestId("refund-form");
  await refund.locator('input[name="reason"]').fill("delivery failed on chain");
  await refund.getByRole("button").click();
  // the page re-renders with the new status (the refund form is gone: refunds happen once)
  await expect(page.getByTestId("order-status")).toHaveText("refunded");
  await expect(page.getByTestId("refund-form")).toHaveCount(0);
  await shot(page, "order-refunded");

  await page.goto("/admin/finance");
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByTestId("export-csv").click(),
  ]);
  const csv = fs.readFileSync((await download.path())!, "utf8");
  expect(csv.split("\r\n")[0]).toBe(
    "date,payments_trx,refunds_trx,revenue_trx,chain_cost_trx,opportunity_cost_trx,profit_trx,paid_not_delivered_trx,delivered_orders,packages_trx,supplier_cost_trx,referral_cost_trx",
  );
  expect(csv.split("\r\n").length).toBeGreaterThan(2);
  // the supplier cost per order: the refunded order is listed with its costs
  await expect(page.getByTestId("order-costs")).toBeVisible();
  await expect(page.getByTestId("order-cost-row").filter({ hasText: String(orderId) })).toBeVisible();
  await shot(page, "finance");

  await page.goto("/admin/reconcile");
  const check = page.getByTestId("reconcile-now");
  await check.getByRole("button").click();
  await expect(check.getByRole("status")).toContainText(/Checked \d+ wallets/);
  await page.reload();
  await expect(page.getByTestId("reconcile-last-run")).toContainText("Last check");
  await shot(page, "reconcile");

  await page.goto("/admin/audit");
  await expect(page.getByTestId("audit-row").filter({ hasText: "order.refund" }).first()).toBeVisible();
});

test("a viewer sees everything and can change nothing", async ({ page }) => {
  const email = await makeAdmin("viewer");
  const { orderId } = await failedOrder();
  await signIn(page, email);
  for (const path of [
    "/admin",
    "/admin/orders",
    "/admin/pool",
    "/admin/users",
    "/admin/finance",
    "/admin/reconcile",
    "/admin/alerts",
  ]) {
    await page.goto(path);
    await expect(page.locator("h1")).toBeVisible();
  }
  await page.goto("/admin/pool");
  await expect(page.getByTestId("import-form")).toHaveCount(0);
  await page.goto("/admin/reconcile");
  await expect(page.getByTestId("reconcile-now")).toHaveCount(0);
  await page.goto("/admin/settings");
  await expect(page.locator('input[name="price_1h"]')).toBeDisabled();
  await page.goto(`/admin/orders/${orderId}`);
  await expect(page.getByTestId("refund-form")).toHaveCount(0);
  await expect(page.getByText(/read-only|只读/i)).toBeVisible();
  await shot(page, "viewer-order");
  await page.goto("/admin/audit");
  await expect(page.getByTestId("forbidden")).toBeVisible();
});

test("an owner changes an operator's role, then disables them: their open session ends", async ({
  page,
  browser,
}) => {
  const ownerEmail = await makeAdmin("owner");
  const opEmail = await makeAdmin("operator");
  const { orderId } = await failedOrder();
  const opContext = await browser.newContext();
  const opPage = await opContext.newPage();
  await signIn(opPage, opEmail);
  await opPage.goto(`/admin/orders/${orderId}`);
  await expect(opPage.getByTestId("refund-form")).toBeVisible(); // operators may refund

  await signIn(page, ownerEmail);
  await page.goto("/admin/admins");
  // no controls on one's own row
  await expect(page.getByTestId("admin-row").filter({ hasText: ownerEmail }).getByRole("button")).toHaveCount(
    0,
  );
  const row = page.getByTestId("admin-row").filter({ hasText: opEmail });
  await row.locator('select[name="role"]').selectOption("viewer");
  await row.getByRole("button", { name: /change role|修改角色/i }).click();
  await expect(row.getByRole("status")).toContainText("is now viewer");

  // the operator's open session has the viewer role at once: the refund form is gone
  await opPage.reload();
  await expect(opPage.getByTestId("order-status")).toHaveText("failed");
  await expect(opPage.getByTestId("refund-form")).toHaveCount(0);

  // Disabling asks first, in the console's confirm dialog.
  await row.getByRole("button", { name: /^disable$|^停用$/i }).click();
  await page
    .getByRole("alertdialog")
    .getByRole("button", { name: /^disable$|^停用$/i })
    .click();
  await expect(row.getByRole("status").filter({ hasText: "disabled and signed out" })).toBeVisible();
  await shot(page, "admins");

  await opPage.goto("/admin");
  await expect(opPage).toHaveURL(/\/admin\/sign-in/);
  await opContext.close();

  await page.reload();
  await page
    .getByTestId("admin-row")
    .filter({ hasText: opEmail })
    .getByRole("button", { name: /re-enable|重新启用/i })
    .click();
  await expect(page.getByTestId("admin-row").filter({ hasText: opEmail }).getByRole("status")).toContainText(
    "can sign in again",
  );
});
