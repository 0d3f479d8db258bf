import { expect, test } from "@playwright/test";
import { translator } from "@/lib/i18n";
import { engineSend, ensurePool, kit, requestScan, userWithLink } from "./fixtures";

const en = translator("en");
const TRX = 1_000_000n;

/**
 * Keep-energy subscriptions end to end against the production topology: start one on the portal's
 * Keep energy page (a bad address shows its field error first) → the engine's check tops the address
 * up and delivers it → the address spends the energy on a USDT transfer → the scanner (run by the
 * engine) marks it → the next check tops it up again → pause and cancel from the page.
 */

async function subscription(userId: number) {
  const { listSubscriptions } = await import("@/lib/subscriptions");
  const [s] = await listSubscriptions(userId);
  return s;
}

async function topups(userId: number, id: number) {
  const { subscriptionTopups } = await import("@/lib/subscriptions");
  return subscriptionTopups(userId, id);
}

const checkNow = () => engineSend([{ name: "watch/check.requested", data: { reason: "e2e" } }]);

test("start a subscription → topped up → USDT transfer spends it → topped up again → pause → cancel", async ({
  page,
}) => {
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
  await page.goto("/keep");
  await expect(page.getByRole("heading", { name: en("keep-title") })).toBeVisible();

  // a bad address: its reason under the field, nothing created
  const form = page.getByTestId("keep-form");
  await form.getByLabel(en("keep-address")).fill("TnotAnAddress");
  await form.getByRole("button", { name: en("keep-start") }).click();
  await expect(page.locator("#k-address-err")).toBeVisible();
  expect(await subscription(user.id)).toBeUndefined();

  await form.getByLabel(en("keep-address")).fill(address);
  await form.getByLabel(en("keep-budget")).fill("20");
  await form.getByRole("button", { name: en("keep-start") }).click();
  await expect(page.getByText(en("keep-created"))).toBeVisible();
  const s = await subscription(user.id);
  expect([s.address, s.status]).toEqual([address, "active"]);

  // the engine's check tops it up; the engine delivers the order
  await checkNow();
  await expect
    .poll(async () => (await topups(user.id, s.id)).map((o) => o.status), { timeout: 90_000 })
    .toEqual(["active"]);
  await page.reload();
  await expect(page.getByTestId(`keep-${s.id}`)).toContainText(en("keep-status-active"));
  await expect(page.getByTestId(`keep-${s.id}`).getByRole("link")).toHaveCount(1);

  // the address spends it on a USDT transfer; the scanner marks it, the check tops up again
  const to = utils.accounts.generateAccount().address.base58;
  await k.ctl("fund", { address: to, trx: 1 });
  await k.ctl("fund-usdt", { address: to, amount: "1" });
  await k.deposits.sendToken(k.client, to, 1_000_000n, { base58: address, privateKey: acct.privateKey });
  await expect
    .poll(
      async () => {
        await requestScan();
        await checkNow();
        return (await topups(user.id, s.id)).length;
      },
      { timeout: 150_000, intervals: [5_000] },
    )
    .toBe(2);
  await page.reload();
  await page.screenshot({ path: "e2e-artifacts/keep-1280.png", fullPage: true });

  // pause, then cancel after confirming
  const card = page.getByTestId(`keep-${s.id}`);
  await card.getByRole("button", { name: en("keep-pause") }).click();
  await expect(card).toContainText(en("keep-status-paused"));
  await card.getByRole("button", { name: en("keep-cancel") }).click();
  await page
    .getByRole("alertdialog")
    .getByRole("button", { name: en("keep-cancel") })
    .click();
  await expect(card).toContainText(en("keep-status-cancelled"));
  expect((await subscription(user.id)).status).toBe("cancelled");
});
