import { expect, test } from "@playwright/test";

test.describe("landing page", () => {
  test("shows the live price table and switches language", async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto("/");
    const table = page.getByTestId("price-table");
    await expect(table).toBeVisible();
    // 131,000 energy for 1h at the default 45 sun/energy, and what it would burn
    await expect(table.getByRole("columnheader", { name: "131,000 energy" })).toBeVisible();
    await expect(table.getByRole("row", { name: /^1 h / })).toContainText("5.895 TRX");
    await expect(table.getByRole("row", { name: /Burned without energy/ })).toContainText("13.1 TRX");
    await page.screenshot({ path: "e2e-artifacts/landing-1280.png", fullPage: true });

    await page.getByRole("button", { name: "中文" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("TRON 能量助手");
    await expect(table.getByRole("columnheader", { name: "131,000 能量" })).toBeVisible();
    await expect(table.getByRole("row", { name: /^1 小时/ })).toContainText("5.895 TRX");
    await page.setViewportSize({ width: 375, height: 800 });
    await page.screenshot({ path: "e2e-artifacts/landing-375.png", fullPage: true });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    expect(overflow).toBe(false);
  });

  test("Chinese first for zh browsers", async ({ browser }) => {
    const ctx = await browser.newContext({
      locale: "zh-CN",
      extraHTTPHeaders: { "accept-language": "zh-CN,zh;q=0.9" },
    });
    const page = await ctx.newPage();
    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("TRON 能量助手");
    await ctx.close();
  });
});
