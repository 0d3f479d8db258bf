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
    } as SupplierDashboard["wallets"][number];
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
