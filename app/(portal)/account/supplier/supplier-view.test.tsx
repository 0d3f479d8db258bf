import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { translator } from "@/lib/i18n";
import type { Locale } from "@/lib/locale";
import { type SupplierDashboard, saveSupplierProfile, supplierDashboard } from "@/lib/suppliers";
import { findOrCreateTelegramUser } from "@/lib/users";
import { SupplierView } from "./supplier-view";

let tgId = 7_400_000_000 + Math.floor(Math.random() * 100_000_000);

const render = (
  d: SupplierDashboard,
  locale: Locale,
  extra: Partial<Parameters<typeof SupplierView>[0]> = {},
) =>
  renderToStaticMarkup(
    <SupplierView
      d={d}
      t={translator(locale)}
      locale={locale}
      tz="UTC"
      setup={null}
      message={null}
      {...extra}
    />,
  );

describe("portal supplier page", () => {
  it("before a profile: only the terms form; after: wallets, earnings and payouts, in both languages", async () => {
    const { user } = await findOrCreateTelegramUser({ id: ++tgId, first_name: "Sue" });
    const none = render(await supplierDashboard(user.id), "en");
    expect(none).toContain(translator("en")("supplier-profile"));
    expect(none).not.toContain('data-testid="supplier-wallets"');
    await saveSupplierProfile(user.id, {
      minPriceSunPerEnergyDay: 900n,
      available: true,
      energyCap: 500_000n,
      payoutAddress: "TLa2f6VPqDgRE67v1736s7bJ8Ray5wYjU7",
    });
    const d = await supplierDashboard(user.id);
    const en = render(d, "en", { done: "profile" });
    expect(en).toContain('value="900"');
    expect(en).toContain('value="500000"');
    expect(en).toContain("TLa2f6VPqDgRE67v1736s7bJ8Ray5wYjU7");
    expect(en).toContain(translator("en")("supplier-noWallets"));
    expect(en).toContain('data-testid="supplier-withdrawable">You can be paid 0 TRX now.<');
    expect(en).toContain(translator("en")("supplier-done-profile"));
    const zh = render(d, "zh", { error: "insufficient_balance" });
    expect(zh).toContain("提供能量");
    expect(zh).toContain('data-testid="supplier-error"');
  });

  it("the wallet setup: the permission in words, the transaction with TronLink's sign-and-send, and the message with TronLink's sign", async () => {
    const { user } = await findOrCreateTelegramUser({ id: ++tgId, first_name: "Sid" });
    await saveSupplierProfile(user.id, {
      minPriceSunPerEnergyDay: 0n,
      available: false,
      energyCap: null,
      payoutAddress: null,
    });
    const owner = "TLa2f6VPqDgRE67v1736s7bJ8Ray5wYjU7";
    const operator = "TJRabPrwbZy45sbavfcjinPJC18kjpRTv8";
    const setup = {
      owner,
      operator,
      permission: {
        name: "energy-helper",
        threshold: 1,
        operations: "00",
        operationIds: [57, 58],
        operationNames: ["DelegateResourceContract", "UnDelegateResourceContract"],
        keys: [{ address: operator, weight: 1 }],
      },
      kept: [],
      feeSun: 100_000_000n,
      transaction: { txID: "ab", raw_data: { expiration: Date.UTC(2030, 0, 1) } },
      granted: false,
    } as unknown as NonNullable<Parameters<typeof SupplierView>[0]["setup"]>;
    const d = await supplierDashboard(user.id);
    for (const locale of ["en", "zh"] as const) {
      const t = translator(locale);
      const html = render(d, locale, { setup, message: `TRON Energy Helper: I supply energy from ${owner}` });
      expect(html).toContain(t("supplier-permissionSign"));
      expect(html).toContain(t("supplier-tronlink-sign"));
      expect(html).toContain('name="signature"');
      expect(html).toContain("DelegateResourceContract (57), UnDelegateResourceContract (58)");
      expect(html).toContain('data-testid="supplier-permission-tx"');
    }
    // once granted: nothing to sign on chain, only the message
    const granted = render(d, "en", { setup: { ...setup, granted: true }, message: "m" });
    expect(granted).not.toContain(translator("en")("supplier-permissionSign"));
    expect(granted).toContain(translator("en")("supplier-tronlink-sign"));
  });
  it("each wallet's daily limits: shown as stored and sent back with the wallet's id", async () => {
    const { user } = await findOrCreateTelegramUser({ id: ++tgId, first_name: "Cap" });
    await saveSupplierProfile(user.id, {
      minPriceSunPerEnergyDay: 0n,
      available: true,
      energyCap: null,
      payoutAddress: null,
    });
    const d = await supplierDashboard(user.id);
    const wallet = {
      id: 4242,
      address: "TLa2f6VPqDgRE67v1736s7bJ8Ray5wYjU7",
      status: "enabled",
      permissionError: null,
      utilisationBps: 2_500,
      dailyBandwidthCap: 900n,
      dailyTrxCapSun: 2_500_000n,
    } as unknown as SupplierDashboard["wallets"][number];
    const html = render({ ...d, wallets: [wallet] }, "en", { done: "caps" });
    expect(html).toContain('name="walletId" value="4242"');
    expect(html).toContain('name="bandwidthCap" value="900"');
    expect(html).toContain('value="2.5"');
    expect(html).toContain(translator("en")("supplier-done-caps"));
  });

  it("a wallet out of selection for what pays its transactions says why, in both languages", async () => {
    const { user } = await findOrCreateTelegramUser({ id: ++tgId, first_name: "Sid" });
    await saveSupplierProfile(user.id, {
      minPriceSunPerEnergyDay: 900n,
      available: true,
      energyCap: null,
      payoutAddress: null,
    });
    const d = await supplierDashboard(user.id);
    const wallet = {
      id: 1,
      address: "TLa2f6VPqDgRE67v1736s7bJ8Ray5wYjU7",
      status: "enabled",
      permissionError: null,
      utilisationBps: 0,
      dailyBandwidthCap: 1_500n,
      dailyTrxCapSun: 5_000_000n,
    } as unknown as SupplierDashboard["wallets"][number];
    for (const shortOf of ["bandwidth_cap", "trx_cap", "trx_balance"] as const)
      for (const locale of ["en", "zh"] as const) {
        const html = render({ ...d, wallets: [{ ...wallet, shortOf }] }, locale);
        expect(html).toContain('data-testid="supplier-wallet-short"');
        expect(html).toContain(translator(locale)(`supplier-short-${shortOf}`).replaceAll("'", "&#x27;"));
      }
    expect(render({ ...d, wallets: [{ ...wallet, shortOf: null }] }, "en")).not.toContain(
      'data-testid="supplier-wallet-short"',
    );
  });
});
