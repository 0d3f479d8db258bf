import { and, desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db";
import { auditLog, settings as settingsTable } from "@/db/schema";
import { updateSettingsAction } from "@/lib/admin/actions";
import { settingsFormValues, settingsPatchFromForm } from "@/lib/admin/settings-form";
import type { AdminContext } from "@/lib/admin/auth";
import { getSettings, invalidateSettings, type Settings } from "@/lib/settings";
import { findOrCreateTelegramUser } from "@/lib/users";
import { adminContext, adminFingerprint } from "@/test/admins";
import { inviteStartParam, referralOfUser, referralReport } from ".";

let owner: AdminContext;
let viewer: AdminContext;
let saved: (typeof settingsTable.$inferSelect)[] = [];

beforeAll(async () => {
  owner = await adminContext("owner");
  viewer = await adminContext("viewer");
  const db = await getDb();
  saved = await db.select().from(settingsTable).where(eq(settingsTable.key, "referral"));
});
afterAll(async () => {
  const db = await getDb();
  await db.delete(settingsTable).where(eq(settingsTable.key, "referral"));
  if (saved.length) await db.insert(settingsTable).values(saved);
  invalidateSettings();
});

/** The console's settings form as submitted: every current value, with `over` typed in. */
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

describe("console: referral settings", () => {
  it("the settings form sets the commission and the period, audited", async () => {
    const current = await getSettings();
    const patch = settingsPatchFromForm(
      form(current, { referralCommissionBps: "750", referralWindowDays: "60" }),
      current,
    );
    expect(patch.referral).toEqual({ commissionBps: 750, windowDays: 60 });
    await updateSettingsAction(owner, { referral: patch.referral });
    expect((await getSettings()).referral).toEqual({ commissionBps: 750, windowDays: 60 });
    const db = await getDb();
    const [a] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.adminId, owner.admin.id)))
      .orderBy(desc(auditLog.id))
      .limit(1);
    expect(JSON.stringify(a.after)).toContain("750");
    // the form shows what was saved
    expect(settingsFormValues(await getSettings())).toMatchObject({
      referralCommissionBps: "750",
      referralWindowDays: "60",
    });
  });

  it("bad values get a field error and change nothing; a viewer may not change them", async () => {
    const before = await adminFingerprint();
    for (const referral of [
      { commissionBps: 5_001, windowDays: 0 },
      { commissionBps: -1, windowDays: 0 },
      { commissionBps: 100, windowDays: 3_651 },
      { commissionBps: 1.5, windowDays: 0 },
      { commissionBps: "10%", windowDays: 0 },
      { windowDays: 0 },
    ]) {
      const e = await updateSettingsAction(owner, { referral }).catch((x) => x);
      expect(e, JSON.stringify(referral)).toMatchObject({ code: "bad_request" });
      expect(
        Object.keys(e.fields ?? {}).some((k) => k.startsWith("referral")),
        JSON.stringify(referral),
      ).toBe(true);
    }
    const current = await getSettings();
    expect(() => settingsPatchFromForm(form(current, { referralCommissionBps: "ten" }), current)).toThrow(
      expect.objectContaining({ code: "bad_request", fields: { referralCommissionBps: expect.any(String) } }),
    );
    const denied = await updateSettingsAction(viewer, {
      referral: { commissionBps: 1, windowDays: 0 },
    }).catch((x) => x);
    expect(denied).toMatchObject({ code: "forbidden" });
    expect(await adminFingerprint()).toBe(before);
  });
});

describe("console: who referred whom", () => {
  it("a user's page names their referrer and counts their invitees; the report counts referred users", async () => {
    const id = 6_500_000_000 + Math.floor(Math.random() * 1e8);
    const { user: a } = await findOrCreateTelegramUser({ id, first_name: "Ann", username: "ann_ref" });
    const before = (await referralReport({ from: new Date(Date.now() - 86_400_000), to: new Date() })).totals
      .referred;
    const { user: b } = await findOrCreateTelegramUser(
      { id: id + 1, first_name: "Ben" },
      { startParam: inviteStartParam(a.referralCode) },
    );
    expect(await referralOfUser(b.id)).toEqual({
      referrer: { id: a.id, name: "Ann", username: "ann_ref" },
      invitees: 0,
      earnedSun: 0n,
    });
    expect(await referralOfUser(a.id)).toEqual({ referrer: null, invitees: 1, earnedSun: 0n });
    const after = await referralReport({ from: new Date(Date.now() - 86_400_000), to: new Date() });
    expect(after.totals.referred).toBe(before + 1);
  });
});
