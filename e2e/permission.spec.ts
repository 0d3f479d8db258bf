import { expect, type Page, test } from "@playwright/test";
import { TronWeb } from "tronweb";
import { devnetUrl, makeAdmin, PASSWORD } from "./admin-fixtures";

/**
 * The console's permission-mode import: the owner of a wallet (a fresh devnet account with staked
 * TRX, DEVNET ONLY key) sees the permission to add and the node-built transaction, signs it with
 * "TronLink" (an injected wallet that signs with the owner's key in the test runner: the key never
 * reaches the app), and the wallet is imported by address alone.
 */

async function devnet(path: string, body: Record<string, unknown>) {
  const r = await fetch(`${devnetUrl}/_devnet/${path}`, { method: "POST", body: JSON.stringify(body) });
  expect(r.status).toBe(200);
  return r.json();
}

async function signIn(page: Page, email: string) {
  await page.goto("/admin/sign-in");
  await page.getByLabel(/email/i).fill(email);
  await page.getByLabel(/password/i).fill(PASSWORD);
  await page.getByRole("button", { name: /sign in|登录/i }).click();
  await expect(page.getByTestId("whoami")).toHaveText(email, { timeout: 30_000 });
}

test("an owner adds a wallet in permission mode: the permission in words, signed in the owner's wallet, imported by address", async ({
  page,
}) => {
  const { devnetAccount } = await import("@/devnet/genesis");
  const owner = devnetAccount(31);
  await devnet("fund", { address: owner.base58, trx: 20_000 });
  await devnet("stake", {
    address: owner.base58,
    sun: 10_000_000_000,
    resource: "ENERGY",
    fromBalance: true,
  });
  const tw = new TronWeb({ fullHost: devnetUrl });
  // the owner's wallet, as TronLink injects it (window.tronWeb)
  await page.exposeFunction("e2eOwnerSign", (tx: unknown) => tw.trx.sign(tx as never, owner.privateKey));
  await page.exposeFunction("e2eOwnerSend", (tx: unknown) => tw.trx.sendRawTransaction(tx as never));
  await page.addInitScript(() => {
    const w = window as unknown as Record<string, (tx: unknown) => Promise<unknown>> & { tronWeb?: unknown };
    w.tronWeb = {
      trx: {
        sign: (tx: unknown) => w.e2eOwnerSign(tx),
        sendRawTransaction: (tx: unknown) => w.e2eOwnerSend(tx),
      },
    };
  });

  await signIn(page, await makeAdmin("owner"));
  await page.goto("/admin/pool");
  const operator = (await page.getByTestId("operator-address").textContent())?.match(
    /T[1-9A-HJ-NP-Za-km-z]{33}/,
  )?.[0];
  expect(operator).toBeTruthy();

  await page.getByTestId("permission-lookup").locator('input[name="permission"]').fill(owner.base58);
  await page.getByTestId("permission-lookup").getByRole("button").click();
  const setup = page.getByTestId("permission-setup");
  await expect(setup).toContainText("DelegateResourceContract (57), UnDelegateResourceContract (58) only");
  await expect(setup).toContainText(`Key: ${operator} with weight 1; threshold 1`);
  await expect(setup).toContainText("100 TRX");
  const tx = JSON.parse(await page.getByTestId("permission-tx").inputValue());
  expect(tx.raw_data.contract[0].type).toBe("AccountPermissionUpdateContract");
  await page.screenshot({ path: "e2e-artifacts/admin-permission-setup.png", fullPage: true });

  // importing before the owner has signed is refused with the reason, nothing stored
  const form = page.getByTestId("import-permission-form");
  await form.getByRole("button").click();
  await expect(form.getByRole("alert")).toContainText(
    "No Active permission of this account names the operator",
  );

  await setup.getByRole("button", { name: /TronLink/ }).click();
  await expect(page.getByTestId("sign-note")).toContainText("Sent:");
  await devnet("mine", { blocks: 1 });

  await page.reload();
  await expect(page.getByTestId("permission-setup")).toContainText("already grants the permission");
  const form2 = page.getByTestId("import-permission-form");
  await form2.locator('input[name="label"]').fill("e2e-permission");
  await form2.locator('input[name="dailyBandwidthCap"]').fill("900");
  await form2.locator('input[name="dailyTrxCap"]').fill("2");
  await form2.getByRole("button").click();
  await expect(form2.getByRole("status")).toContainText("in permission mode (permission id 3)");
  await page.goto("/admin/pool");
  const row = page.getByTestId("wallet-row").filter({ hasText: owner.base58 });
  await expect(row.getByTestId("wallet-mode")).toContainText("permission #3");
  await expect(row.getByTestId("wallet-costs")).toContainText("/900 B");
  expect(await page.content()).not.toContain(owner.privateKey);
  await page.screenshot({ path: "e2e-artifacts/admin-permission-pool.png", fullPage: true });
});
