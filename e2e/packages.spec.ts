import { expect, test } from "@playwright/test";
import { translator } from "@/lib/i18n";
import { engineSend, ensurePool, kit, requestScan, userWithLink } from "./fixtures";

const en = translator("en");
const TRX = 1_000_000n;

/**
 * Per-transfer packages end to end against the production topology: buy one on the portal's
 * Packages page (a bad address shows its reason first, nothing charged) → the engine's check
 * supplies the address and delivers it → the address sends USDT → the scanner (run by the engine)
 * counts it → the page shows one transfer fewer left and the counted transfer.
 */

async function packages(userId: number) {
  const { listPackages } = await import("@/lib/packages");
  return listPackages(userId);
}

async function supplyStatuses(packageId: number) {
  const { getDb } = await import("@/db");
  const { orders } = await import("@/db/schema");
  const { eq } = await import("drizzle-orm");
  const db = await getDb();
  return (await db.select().from(orders).where(eq(orders.packageId, packageId))).map((o) => o.status);
}

const checkNow = () => engineSend([{ name: "watch/check.requested", data: { reason: "e2e" } }]);

test("buy a package → supplied → a USDT transfer is counted → one fewer left", async ({ page }) => {
  test.setTimeout(300_000);
  await ensurePool();
  const k = await kit();
  const { utils } = await import("tronweb");
  const acct = utils.accounts.generateAccount();
  const address = acct.address.base58;
  await k.ctl("fund", { address, trx: 50 });
  await k.ctl("fund-usdt", { address, amount: "100000000" });
  const { user, path } = await userWithLink({ balanceSun: 100n * TRX });
  await page.goto(path);
  await page.waitForURL("**/dashboard");
  await page.goto("/packages");
  await expect(page.getByRole("heading", { name: en("packages-title") })).toBeVisible();

  // a bad address: its reason shown, nothing bought
  const form = page.getByTestId("package-form");
  await form.getByLabel(en("packages-address")).fill("TnotAnAddress");
  await form.getByRole("button", { name: en("packages-buy") }).click();
  await expect(page.getByTestId("packages-error")).toBeVisible();
  expect(await packages(user.id)).toEqual([]);

  await page.getByTestId("package-form").getByLabel(en("packages-address")).fill(address);
  await page
    .getByTestId("package-form")
    .getByRole("button", { name: en("packages-buy") })
    .click();
  await expect(page.getByText(en("packages-bought"))).toBeVisible();
  const [p] = await packages(user.id);
  expect([p.address, p.transfers, p.status]).toEqual([address, 10, "active"]);
  await expect(page.getByTestId(`package-${p.id}-left`)).toHaveText("10 / 10");

  // the engine's check supplies it and delivers the supply
  await checkNow();
  await expect.poll(() => supplyStatuses(p.id), { timeout: 90_000 }).toEqual(["active"]);

  // the address sends USDT; the scanner counts it
  const to = utils.accounts.generateAccount().address.base58;
  await k.ctl("fund", { address: to, trx: 1 });
  await k.ctl("fund-usdt", { address: to, amount: "1" });
  await k.deposits.sendToken(k.client, to, 1_000_000n, { base58: address, privateKey: acct.privateKey });
  await expect
    .poll(
      async () => {
        await requestScan();
        return (await packages(user.id))[0].used;
      },
      { timeout: 150_000, intervals: [5_000] },
    )
    .toBe(1);
  await page.reload();
  await expect(page.getByTestId(`package-${p.id}-left`)).toHaveText("9 / 10");
  await expect(page.getByRole("list", { name: en("packages-uses") }).getByRole("listitem")).toHaveCount(1);
});
