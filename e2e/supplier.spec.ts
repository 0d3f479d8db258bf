import { expect, test } from "@playwright/test";
import { TronWeb } from "tronweb";
import { translator } from "@/lib/i18n";
import { devnetUrl, userWithLink } from "./fixtures";

const en = translator("en");

async function devnet(path: string, body: Record<string, unknown>) {
  const r = await fetch(`${devnetUrl}/_devnet/${path}`, { method: "POST", body: JSON.stringify(body) });
  expect(r.status).toBe(200);
  return r.json();
}

/**
 * The supplier page end to end: a signed-in user opens it from the account page, saves their terms,
 * sees a bad payout address refused (nothing changes), asks for the permission to add for a wallet,
 * signs and sends it with TronLink (another selected account refused first), signs the message
 * with TronLink and registers the wallet, and is refused a payout with nothing earned.
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

  // a wallet: the permission to add, signed and sent in "TronLink", then the message signed in it
  // and the wallet registered. TronLink here is a stand-in injected into the page that signs with
  // the owner's key in the test runner (DEVNET ONLY key): the key never reaches the app.
  const { devnetAccount } = await import("@/devnet/genesis");
  const owner = devnetAccount(32);
  const other = devnetAccount(33).base58;
  await devnet("fund", { address: owner.base58, trx: 20_000 });
  await devnet("stake", {
    address: owner.base58,
    sun: 10_000_000_000,
    resource: "ENERGY",
    fromBalance: true,
  });
  {
    // an earlier run's registration of this address is history: this run's user registers it afresh
    const { getDb } = await import("@/db");
    const { supplierWallets } = await import("@/db/schema");
    const { eq } = await import("drizzle-orm");
    const db = await getDb();
    await db
      .update(supplierWallets)
      .set({ removedAt: new Date() })
      .where(eq(supplierWallets.address, owner.base58));
  }
  const tw = new TronWeb({ fullHost: devnetUrl });
  await page.exposeFunction("e2eOwnerSign", (tx: unknown) => tw.trx.sign(tx as never, owner.privateKey));
  await page.exposeFunction("e2eOwnerSend", (tx: unknown) => tw.trx.sendRawTransaction(tx as never));
  await page.exposeFunction("e2eOwnerSignMessage", (m: string) => tw.trx.signMessageV2(m, owner.privateKey));
  await page.addInitScript((address: string) => {
    const w = window as unknown as Record<string, (x: unknown) => Promise<unknown>> & { tronLink?: unknown };
    w.tronLink = {
      request: async () => ({ code: 200, message: "ok" }),
      tronWeb: {
        defaultAddress: { base58: address },
        trx: {
          sign: (tx: unknown) => w.e2eOwnerSign(tx),
          sendRawTransaction: (tx: unknown) => w.e2eOwnerSend(tx),
          signMessageV2: (m: unknown) => w.e2eOwnerSignMessage(m),
        },
      },
    };
  }, owner.base58);
  await page.reload();

  const wallets = page.getByTestId("supplier-wallets");
  await wallets.locator('input[name="address"]').first().fill(owner.base58);
  await wallets.getByRole("button", { name: en("supplier-showSetup") }).click();
  const setup = page.getByTestId("supplier-setup");
  await expect(setup).toContainText("DelegateResourceContract (57), UnDelegateResourceContract (58) only");
  await expect(page.getByTestId("supplier-message")).toContainText(`${owner.base58} as user ${user.id}`);
  const tx = JSON.parse(await page.getByTestId("supplier-permission-tx").inputValue());
  expect(tx.raw_data.contract[0].type).toBe("AccountPermissionUpdateContract");

  // another account selected in TronLink: refused before anything is signed
  await page.evaluate((address) => {
    (
      window as unknown as { tronLink: { tronWeb: { defaultAddress: { base58: string } } } }
    ).tronLink.tronWeb.defaultAddress.base58 = address;
  }, other);
  await setup.getByRole("button", { name: en("supplier-tronlink-sign") }).click();
  await expect(page.getByTestId("sign-message-note")).toHaveText(
    en("supplier-tronlink-wrongAccount", { selected: other, address: owner.base58 }),
  );
  await expect(setup.locator('input[name="signature"]')).toHaveValue("");
  await page.evaluate((address) => {
    (
      window as unknown as { tronLink: { tronWeb: { defaultAddress: { base58: string } } } }
    ).tronLink.tronWeb.defaultAddress.base58 = address;
  }, owner.base58);

  await setup.getByRole("button", { name: en("supplier-permissionSign") }).click();
  await expect(page.getByTestId("sign-note")).toContainText("Sent:");
  await devnet("mine", { blocks: 1 });
  await page.reload();
  const setup2 = page.getByTestId("supplier-setup");
  await expect(setup2).toContainText(en("supplier-granted"));
  await setup2.getByRole("button", { name: en("supplier-tronlink-sign") }).click();
  await expect(page.getByTestId("sign-message-note")).toHaveText(en("supplier-tronlink-signed"));
  await expect(setup2.locator('input[name="signature"]')).toHaveValue(/^0x[0-9a-f]{130}$/);
  await page.screenshot({ path: "e2e-artifacts/supplier-tronlink-signed.png", fullPage: true });
  // what the platform may spend of the wallet per day, set at registration
  await setup2.locator('input[name="bandwidthCap"]').fill("1200");
  await setup2.locator('input[name="trxCap"]').fill("3.5");
  await setup2.getByRole("button", { name: en("supplier-register") }).click();
  await expect(page.getByTestId("supplier-done")).toHaveText(en("supplier-done-wallet"));
  const { listSupplierWallets } = await import("@/lib/suppliers");
  expect(
    (await listSupplierWallets(user.id)).map((w) => [
      w.address,
      w.mode,
      w.dailyBandwidthCap,
      w.dailyTrxCapSun,
    ]),
  ).toEqual([[owner.base58, "permission", 1_200n, 3_500_000n]]);
  await expect(page.getByTestId("supplier-wallets")).toContainText(owner.base58);
  expect(await page.content()).not.toContain(owner.privateKey);

  // and changed later; a bad value is refused and changes nothing
  const caps = page.getByTestId("supplier-caps-form");
  await expect(caps.locator('input[name="trxCap"]')).toHaveValue("3.5");
  await caps.locator('input[name="bandwidthCap"]').fill("-5");
  await caps.getByRole("button", { name: en("supplier-cap-save") }).click();
  await expect(page.getByTestId("supplier-error")).toBeVisible();
  await page.getByTestId("supplier-caps-form").locator('input[name="bandwidthCap"]').fill("2000");
  await page.getByTestId("supplier-caps-form").locator('input[name="trxCap"]').fill("1");
  await page
    .getByTestId("supplier-caps-form")
    .getByRole("button", { name: en("supplier-cap-save") })
    .click();
  await expect(page.getByTestId("supplier-done")).toHaveText(en("supplier-done-caps"));
  expect((await listSupplierWallets(user.id)).map((w) => [w.dailyBandwidthCap, w.dailyTrxCapSun])).toEqual([
    [2_000n, 1_000_000n],
  ]);

  // nothing earned: a payout is refused and the balance is untouched
  const payouts = page.getByTestId("supplier-payouts");
  await payouts.locator('input[name="amount"]').fill("20");
  await payouts.getByRole("button", { name: en("supplier-requestPayout") }).click();
  await expect(page.getByTestId("supplier-error")).toBeVisible();
  const { listPayouts } = await import("@/lib/suppliers");
  expect(await listPayouts({ userId: user.id })).toEqual([]);
});
