import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { settings as settingsTable } from "@/db/schema";
import { decideSupplierPayoutAction, updateSettingsAction } from "@/lib/admin/actions";
import type { AdminContext } from "@/lib/admin/auth";
import { settingsFormValues, settingsPatchFromForm } from "@/lib/admin/settings-form";
import { AppError } from "@/lib/errors";
import { getSettings, invalidateSettings, type Settings } from "@/lib/settings";
import { adminContext, adminFingerprint } from "@/test/admins";

let owner: AdminContext;
let operator: AdminContext;
let saved: (typeof settingsTable.$inferSelect)[] = [];

beforeAll(async () => {
  owner = await adminContext("owner");
  operator = await adminContext("operator");
  const db = await getDb();
  saved = await db.select().from(settingsTable).where(eq(settingsTable.key, "suppliers"));
});
afterAll(async () => {
  const db = await getDb();
  await db.delete(settingsTable).where(eq(settingsTable.key, "suppliers"));
  if (saved.length) await db.insert(settingsTable).values(saved);
  invalidateSettings();
});

const form = (current: Settings, over: Record<string, string>) => {
  const f = new FormData();
  const values = {
    ...settingsFormValues(current),
    ...Object.fromEntries(current.durations.map((d) => [`price_${d.key}`, String(d.unitPriceSun)])),
    ...over,
  };
  for (const [k, v] of Object.entries(values)) f.set(k, v);
  return f;
};

describe("console: suppliers", () => {
  it("the settings form sets the selection rule, the commission and the payout limits", async () => {
    const current = await getSettings();
    const patch = settingsPatchFromForm(
      form(current, {
        supplierSelection: "cheapest",
        supplierCommissionBps: "1500",
        supplierPayoutAutoMaxTrx: "50",
        supplierPayoutAutoAboveTrx: "0",
        supplierPayoutMinTrx: "5",
      }),
      current,
    );
    await updateSettingsAction(owner, { suppliers: patch.suppliers });
    invalidateSettings();
    expect((await getSettings()).suppliers).toEqual({
      selection: "cheapest",
      commissionBps: 1_500,
      payoutAutoMaxSun: 50_000_000n,
      payoutAutoAboveSun: 0n,
      payoutMinSun: 5_000_000n,
    });
  });

  it("a rule or commission out of range is refused and nothing changes", async () => {
    const before = (await getSettings()).suppliers;
    const bads: Record<string, string>[] = [
      { supplierSelection: "random" },
      { supplierCommissionBps: "10001" },
      { supplierCommissionBps: "-1" },
    ];
    for (const bad of bads) {
      const current = await getSettings();
      const e = await (async () => {
        const patch = settingsPatchFromForm(form(current, bad), current);
        await updateSettingsAction(owner, { suppliers: patch.suppliers });
      })().then(
        () => null,
        (x) => x,
      );
      expect(e).toBeInstanceOf(AppError);
      invalidateSettings();
      expect((await getSettings()).suppliers).toEqual(before);
    }
  });

  it("only the owner decides payouts; an unknown payout is not_found and nothing changes", async () => {
    const before = await adminFingerprint();
    const e1 = await decideSupplierPayoutAction(operator, { payoutId: 1, decision: "approve" }).catch(
      (x) => x,
    );
    expect(e1.status).toBe(403);
    const e2 = await decideSupplierPayoutAction(owner, {
      payoutId: 2_000_000_000,
      decision: "approve",
    }).catch((x) => x);
    expect(e2.code).toBe("not_found");
    const e3 = await decideSupplierPayoutAction(owner, { payoutId: 1, decision: "maybe" }).catch((x) => x);
    expect(e3.code).toBe("bad_request");
    expect(await adminFingerprint()).toBe(before);
  });
});
