import { expect, type Page, test } from "@playwright/test";
import { type MessageKey, translator } from "@/lib/i18n";
import { getCatalog } from "@/lib/i18n/catalog";
import {
  activatedAddress,
  balanceOf,
  ensurePool,
  orderStatus,
  otherUsersData,
  requestScan,
  sendTrxTo,
  userWithLink,
  walletRow,
} from "./fixtures";

const en = translator("en");
const zh = translator("zh");

/**
 * The portal end to end against `next start`, real PostgreSQL and the devnet: sign in by a one-time
 * link → add a wallet (a bad address shows the reason) → rent → the order page reaches Active once
 * the engine has run the fulfil function → top up by a devnet transfer → the balance rises after
 * solidification, once the scanner (run by the engine) sees it. Plus IDOR, signed-out and language
 * checks.
 */
const TRX = 1_000_000n;

async function noHorizontalScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  expect(overflow).toBe(false);
}

async function shots(page: Page, name: string) {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: `e2e-artifacts/portal-${name}-1280.png`, fullPage: true });
  await page.setViewportSize({ width: 375, height: 800 });
  await noHorizontalScroll(page);
  await page.screenshot({ path: `e2e-artifacts/portal-${name}-375.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
}

test.describe.configure({ mode: "serial" });

test("sign in by link → wallet → rent → active → top up → balance rises", async ({ page }) => {
  test.setTimeout(180_000);
  await ensurePool();
  const { user, path } = await userWithLink({ balanceSun: 20n * TRX });

  // 1. one-time link → dashboard
  await page.goto(path);
  await page.waitForURL("**/dashboard");
  await expect(page.getByTestId("balance")).toHaveText("20 TRX");
  await shots(page, "dashboard");

  // the same link again → a clear page
  await page.context().clearCookies();
  await page.goto(path);
  await expect(page.getByTestId("link-failure")).toHaveAttribute("data-reason", "used");
  await expect(page.getByTestId("link-failure")).toHaveText(en("login-error-used"));
  const { freshLinkPath } = await import("./fixtures");
  await page.goto(await freshLinkPath(user.id));
  await page.waitForURL("**/dashboard");

  // 2. wallets: a bad address shows the reason and keeps what was typed
  await page.goto("/wallets");
  const bad = "TLa2f6VPqDgRE67v1736s7bJ8Ray5wYjU8";
  await page.getByLabel(en("wallets-address")).fill(bad);
  await page.getByLabel(en("wallets-label")).fill("Payouts");
  await page.getByRole("button", { name: en("wallets-add") }).click();
  await expect(page.getByText(en("address-bad_checksum"))).toBeVisible();
  await expect(page.getByLabel(en("wallets-address"))).toHaveValue(bad);
  await expect(page.getByLabel(en("wallets-label"))).toHaveValue("Payouts");
  const receiver = await activatedAddress();
  await page.getByLabel(en("wallets-address")).fill(receiver);
  await page.getByRole("button", { name: en("wallets-add") }).click();
  await expect(page.getByTestId("wallet-card")).toHaveCount(1);
  await expect(page.getByTestId("wallet-card")).toContainText("Payouts");
  await shots(page, "wallets");

  // 3. rent: saved wallet, 65,000 energy, 1h → live quote → pay → order page
  await page.goto("/rent");
  await page.getByText("65,000 energy", { exact: true }).click();
  await page.getByText("1h", { exact: true }).click();
  await expect(page.getByTestId("quote-price")).toHaveText("2.925 TRX");
  await expect(page.getByText(/You save/)).toBeVisible();
  await expect(page.getByTestId("pay-button")).toBeEnabled();
  await shots(page, "rent");
  await page.getByTestId("pay-button").click();
  await page.waitForURL(/\/orders\/\d+$/);
  const orderId = Number(page.url().split("/").pop());
  await expect(page.getByTestId("order-status")).toHaveAttribute("data-status", /paid|delegating/);

  // 4. the engine runs the fulfil function → the page updates by itself to Active
  await expect(page.getByTestId("order-status")).toHaveAttribute("data-status", "active", {
    timeout: 60_000,
  });
  expect(await orderStatus(orderId)).toBe("active");
  await expect(page.getByTestId("countdown")).toBeVisible();
  await expect(page.getByTestId("order-txs")).toBeVisible();
  await shots(page, "order");
  expect(await balanceOf(user.id)).toBe(20n * TRX - 2_925_000n);

  // 5. top-up by a devnet transfer → confirmations → credited → balance rises
  await page.goto("/topup");
  const depositAddress = (await page.getByTestId("deposit-address").innerText()).trim();
  await sendTrxTo(depositAddress, 5n * TRX);
  const before = await balanceOf(user.id);
  await expect
    .poll(
      async () => {
        await requestScan();
        return balanceOf(user.id);
      },
      { timeout: 60_000, intervals: [1000] },
    )
    .toBe(before + 5n * TRX);
  await expect(page.locator('[data-testid="deposits"] li[data-status="credited"]')).toHaveCount(1, {
    timeout: 15_000,
  });
  await expect(page.getByTestId("topup-balance")).toHaveText("22.075 TRX");
  await expect(page.getByTestId("topup-accepted")).toContainText("TRX sent by a contract");
  await expect(page.getByTestId("topup-not-accepted")).toContainText("TRC10 tokens, other TRC20 tokens");
  await shots(page, "topup");
  await page.goto("/dashboard");
  await expect(page.getByTestId("balance")).toHaveText("22.075 TRX");
  await page.goto("/orders");
  await shots(page, "orders");
});

test("IDOR: signed in as A, B's order, wallet and deposit stay invisible and unchanged", async ({ page }) => {
  const b = await otherUsersData();
  const a = await userWithLink();
  await page.goto(a.path);
  await page.waitForURL("**/dashboard");

  const orderPage = await page.goto(`/orders/${b.order.id}`);
  expect(orderPage?.status()).toBe(404);
  await expect(page.getByTestId("order-not-found")).toBeVisible();

  const api = await page.request.get(`/api/portal/orders/${b.order.id}`);
  expect(api.status()).toBe(404);
  expect(await api.text()).not.toContain(b.order.receiverAddress);

  const deps = await page.request.get("/api/portal/deposits");
  expect(deps.status()).toBe(200);
  expect(await deps.text()).not.toContain(b.deposit.txid);

  await page.goto("/wallets");
  await expect(page.getByText("B-secret-label")).toHaveCount(0);
  await page.goto(`/rent?receiver=${b.wallet.address}`);
  await expect(page.getByText("B-secret-label")).toHaveCount(0);

  // B's rows are untouched
  expect(await orderStatus(b.order.id)).toBe("cancelled");
  expect(await walletRow(b.wallet.id)).toMatchObject({ label: "B-secret-label", userId: b.user.id });
});

test("signed out: portal pages redirect to sign-in, routes answer 401, no data", async ({ page }) => {
  for (const p of ["/dashboard", "/orders/10001", "/wallets", "/topup", "/rent", "/account"]) {
    await page.goto(p);
    await expect(page).toHaveURL(/\/login/);
    await expect(page.getByTestId("balance")).toHaveCount(0);
  }
  for (const p of [
    "/api/portal/deposits",
    "/api/portal/orders/10001",
    "/api/portal/quote?energy=65000&duration=1h",
  ]) {
    const r = await page.request.get(p);
    expect(r.status()).toBe(401);
  }
});

test("language switch changes every visible string on the dashboard", async ({ page }) => {
  const a = await userWithLink({ balanceSun: 3n * TRX });
  await page.goto(a.path);
  await page.waitForURL("**/dashboard");
  await page.setViewportSize({ width: 1280, height: 900 });
  await expect(page.getByRole("link", { name: en("nav-orders") }).first()).toBeVisible();
  await page
    .getByRole("button", { name: zh("lang-zh") })
    .first()
    .click();
  await expect(page.getByRole("link", { name: zh("nav-orders") }).first()).toBeVisible();
  const text = await page.locator("body").innerText();
  // No English catalog string (other than those spelled the same in both) is left on the page.
  const portalIds = [...getCatalog().en.entries.values()]
    .filter((e) => e.surface === "portal")
    .map((e) => e.id);
  const leftovers = portalIds
    .map((k) => [k, en(k as MessageKey)] as const)
    .filter(([k, v]) => v !== zh(k as MessageKey) && !v.includes("{") && v.length > 3 && k !== "lang-en")
    .filter(([, v]) => text.includes(v))
    .map(([k]) => k);
  expect(leftovers).toEqual([]);
  for (const k of [
    "dash-balance",
    "dash-topUp",
    "dash-rent",
    "dash-wallets",
    "dash-lastOrders",
    "nav-rent",
  ] as const)
    await expect(page.getByText(zh(k), { exact: true }).first()).toBeVisible();
  await page.screenshot({ path: "e2e-artifacts/portal-dashboard-zh-1280.png", fullPage: true });
});

test("the session rolls from the browser once a day; a tampered cookie is sent to sign-in", async ({
  page,
}) => {
  const a = await userWithLink({ balanceSun: TRX });
  const renewals: string[] = [];
  page.on("response", async (r) => {
    if (new URL(r.url()).pathname === "/api/auth/session" && r.ok())
      renewals.push((await r.allHeaders())["set-cookie"] ?? "");
  });
  await page.goto(a.path);
  await page.waitForURL("**/dashboard");
  await expect.poll(() => renewals.length).toBe(1);
  // Auth.js re-issued the session cookie, valid for 30 days from now.
  expect(renewals[0]).toContain("authjs.session-token=");
  const session = (await page.context().cookies()).find((c) => c.name === "authjs.session-token");
  expect(session!.expires * 1000 - Date.now()).toBeGreaterThan(29 * 86_400_000);
  // Within the day: no second renewal.
  await page.reload();
  await expect(page.getByTestId("balance")).toBeVisible();
  await page.waitForLoadState("networkidle");
  expect(renewals).toHaveLength(1);
  // A day later: renewed again.
  await page.evaluate(() =>
    localStorage.setItem("teh.session-rolled-at", String(Date.now() - 2 * 86_400_000)),
  );
  await page.reload();
  await expect.poll(() => renewals.length).toBe(2);

  await page
    .context()
    .addCookies([
      { name: "authjs.session-token", value: `${session!.value.slice(0, -4)}abcd`, url: page.url() },
    ]);
  await page.goto("/orders");
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByTestId("balance")).toHaveCount(0);
});
