import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { env } from "@/lib/env";
import { getSettings, invalidateSettings, resetSettings, updateSettings } from "./index";

describe("settings cache", () => {
  afterEach(() => resetSettings(["quoteTtlSeconds"]));

  it("a read that started before an invalidation does not fill the cache with what it read", async () => {
    await resetSettings(["quoteTtlSeconds"]);
    const inFlight = getSettings(); // a cache miss: reading the table now
    invalidateSettings(); // meanwhile a write elsewhere in this process invalidates
    expect((await inFlight).quoteTtlSeconds).toBe(300);
    // The stored value changes (as that write did); the next read must see it, not the old read.
    const db = await getDb();
    await db.execute(sql`insert into settings (key, value) values ('quoteTtlSeconds', '123'::jsonb)`);
    expect((await getSettings()).quoteTtlSeconds).toBe(123);
  });
});

describe("pay-by-transfer offers against the energy range", () => {
  afterEach(() => resetSettings(["energyMin", "energyMax", "presets", "transfer"]));

  it("while on, an offer outside the range is refused and nothing changes; while off, it holds nothing back", async () => {
    await resetSettings(["energyMin", "energyMax", "presets", "transfer"]); // on, with the default offers
    const before = await getSettings();
    expect(before.transfer.enabled).toBe(true);
    const narrow = { energyMin: 100_000, energyMax: 140_000, presets: [131_000] };
    await expect(updateSettings(narrow)).rejects.toMatchObject({
      code: "bad_request",
      fields: { "transfer.offers": "Transfer offers must lie between the minimum and maximum energy." },
    });
    expect((await getSettings()).energyMin).toBe(before.energyMin);
    const t = before.transfer;
    const off = {
      enabled: false,
      offers: t.offers.map((o) => ({ ...o, amountSun: o.amountSun.toString() })),
      riskCapSun: t.riskCapSun.toString(),
      refundFeeSun: t.refundFeeSun.toString(),
    };
    await updateSettings({ ...narrow, transfer: off });
    expect((await getSettings()).energyMin).toBe(100_000);
    // turning it back on checks the offers again
    await expect(updateSettings({ transfer: { ...off, enabled: true } })).rejects.toMatchObject({
      code: "bad_request",
    });
    expect((await getSettings()).transfer.enabled).toBe(false);
  });
});

describe("features that need the block scanner", () => {
  const mode = env.DEPOSIT_SCAN_MODE;
  afterEach(async () => {
    (env as { DEPOSIT_SCAN_MODE: string }).DEPOSIT_SCAN_MODE = mode;
    await resetSettings(["transfer", "packages"]);
  });

  it("in the account-endpoint scan mode, turning on pay by transfer or package sales is refused and changes nothing; turning them off is not", async () => {
    await resetSettings(["transfer", "packages"]);
    const s = await getSettings();
    const t = s.transfer;
    const transfer = (enabled: boolean) => ({
      enabled,
      offers: t.offers.map((o) => ({ ...o, amountSun: o.amountSun.toString() })),
      riskCapSun: t.riskCapSun.toString(),
      refundFeeSun: t.refundFeeSun.toString(),
    });
    const packages = (offers: { transfers: number; priceSun: bigint }[]) => ({
      ...s.packages,
      offers: offers.map((o) => ({ ...o, priceSun: o.priceSun.toString() })),
    });
    const sold = s.packages.offers.length ? s.packages.offers : [{ transfers: 10, priceSun: 30_000_000n }];
    (env as { DEPOSIT_SCAN_MODE: string }).DEPOSIT_SCAN_MODE = "accounts";
    await updateSettings({ transfer: transfer(false), packages: packages([]) } as never);
    await expect(updateSettings({ transfer: transfer(true) } as never)).rejects.toMatchObject({
      code: "bad_request",
      fields: { "transfer.enabled": expect.stringContaining("DEPOSIT_SCAN_MODE=blocks") },
    });
    await expect(updateSettings({ packages: packages(sold) } as never)).rejects.toMatchObject({
      code: "bad_request",
      fields: { "packages.offers": expect.stringContaining("DEPOSIT_SCAN_MODE=blocks") },
    });
    const after = await getSettings();
    expect([after.transfer.enabled, after.packages.offers]).toEqual([false, []]);
    // other settings still save; in blocks mode both turn on
    await updateSettings({ quoteTtlSeconds: 301 });
    (env as { DEPOSIT_SCAN_MODE: string }).DEPOSIT_SCAN_MODE = "blocks";
    await updateSettings({ transfer: transfer(true), packages: packages(sold) } as never);
    expect((await getSettings()).transfer.enabled).toBe(true);
    await resetSettings(["quoteTtlSeconds"]);
  });
});
