import { randomUUID } from "node:crypto";
import { readdirSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { adminActions } from "@/lib/admin/actions";
import { ADMIN_COOKIE } from "@/lib/admin/auth";
import { can, type Permission, ROLES } from "@/lib/admin/permissions";
import { settingsFormValues } from "@/lib/admin/settings-form";
import { getDb } from "@/db";
import { settings as settingsTable } from "@/db/schema";
import { getSettings, invalidateSettings } from "@/lib/settings";
import { createUser } from "@/lib/users";
import { adminFingerprint, adminSessionToken, newAdmin } from "@/test/admins";
import { inRequest } from "@/test/request-scope";

// Server actions read the session cookie and headers of their request: this suite gives them one.
vi.mock("next/headers", async (next) => (await import("@/test/request-scope")).headersIn(await next()));
vi.mock("next/cache", async (next) => (await import("@/test/request-scope")).cacheIn(await next()));

/**
 * Every server action of the console (each exported function of every app/admin/**\/actions.ts),
 * called as a browser could call it: without a session, and signed in with each role that lacks its
 * permission. Each must refuse and change nothing. The permission each action needs is stated
 * below; an action missing from the table fails the suite until it is given one.
 */
const needs: Record<string, Permission | "public"> = {
  signInAction: "public", // the way in: refuses a form without valid credentials
  signOutAction: "self.update",
  changePasswordAction: "self.update",
  enableTotpAction: "self.update",
  disableTotpAction: "self.update",
  retryOrderFormAction: adminActions.retryOrder.permission,
  refundOrderFormAction: adminActions.refundOrder.permission,
  cancelOrderFormAction: adminActions.cancelOrder.permission,
  reclaimOrderFormAction: adminActions.reclaimOrder.permission,
  importWalletFormAction: adminActions.importWallet.permission,
  setWalletStatusFormAction: adminActions.setWalletStatus.permission,
  setWalletPriorityFormAction: adminActions.setWalletPriority.permission,
  refreshWalletFormAction: adminActions.refreshWallet.permission,
  reconcileNowFormAction: adminActions.reconcileNow.permission,
  removeWalletFormAction: adminActions.removeWallet.permission,
  importPermissionWalletFormAction: adminActions.importPermissionWallet.permission,
  setWalletCapsFormAction: adminActions.setWalletCaps.permission,
  rescanDepositsFormAction: adminActions.rescanDeposits.permission,
  restartScannerFormAction: adminActions.restartScanner.permission,
  adjustBalanceFormAction: adminActions.adjustBalance.permission,
  setUserStatusFormAction: adminActions.setUserStatus.permission,
  updateSettingsFormAction: adminActions.updateSettings.permission,
  resolveAlertFormAction: adminActions.resolveAlert.permission,
  createAdminFormAction: adminActions.createAdmin.permission,
  setAdminRoleFormAction: adminActions.setAdminRole.permission,
  setAdminStatusFormAction: adminActions.setAdminStatus.permission,
  decideSupplierPayoutFormAction: adminActions.decideSupplierPayout.permission,
};

type ServerAction = (state: unknown, fd: FormData) => Promise<unknown>;

function actionFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((f) => {
    const p = path.join(dir, f.name);
    return f.isDirectory() ? actionFiles(p) : f.name === "actions.ts" ? [p] : [];
  });
}

const files = actionFiles(path.join(process.cwd(), "app", "admin"));
const actions: { name: string; run: ServerAction }[] = [];
const sessions: Record<string, string> = {};
/** Forms that would change something if the action ran: real rows, new values. */
let forms: Record<string, Record<string, string>> = {};

beforeAll(async () => {
  for (const f of files) {
    const mod = (await import(f)) as Record<string, unknown>;
    for (const [name, v] of Object.entries(mod))
      if (typeof v === "function") actions.push({ name, run: v as ServerAction });
  }
  for (const role of ROLES) sessions[role] = await adminSessionToken(await newAdmin(role));
  const user = await createUser({ firstName: "guarded" });
  const target = await newAdmin("operator");
  const s = await getSettings();
  forms = {
    signInAction: { email: "", password: "" },
    changePasswordAction: { current: "correct horse battery staple", next: "another horse battery staple" },
    adjustBalanceFormAction: { userId: String(user.id), amountTrx: "5", reason: "guard test" },
    setUserStatusFormAction: { userId: String(user.id), status: "banned" },
    updateSettingsFormAction: {
      ...settingsFormValues(s),
      ...Object.fromEntries(s.durations.map((d) => [`price_${d.key}`, String(d.unitPriceSun)])),
      poolLowEnergy: String(s.alerts.poolLowEnergy + 1),
      ...Object.fromEntries(s.durations.filter((d) => d.enabled).map((d) => [`enabled_${d.key}`, "on"])),
      ...(s.maintenance.enabled ? { maintenanceEnabled: "on" } : {}),
    },
    createAdminFormAction: { email: `guard-${randomUUID()}@test.example`, role: "owner" },
    setAdminRoleFormAction: { adminId: String(target.id), role: "owner" },
    setAdminStatusFormAction: { adminId: String(target.id), status: "disabled" },
    restartScannerFormAction: { fromBlock: "1", reason: "guard test" },
    rescanDepositsFormAction: { userId: String(user.id), fromBlock: "1", toBlock: "2" },
  };
});

const formOf = (name: string) => {
  const fd = new FormData();
  for (const [k, v] of Object.entries(forms[name] ?? {})) fd.set(k, v);
  return fd;
};

/** What the action answered (its state, or what it threw: an error or Next's redirect). */
async function call(action: ServerAction, name: string, cookies: Record<string, string>): Promise<unknown> {
  return inRequest({ cookies, headers: { "x-forwarded-for": "203.0.113.9" } }, () =>
    action({ status: "idle" }, formOf(name)).catch((e: unknown) => e),
  );
}

/** A refusal: the form's failed state or an error with that code, or a redirect to the sign-in page. */
function refusedWith(answer: unknown): string | null {
  const a = answer as { status?: unknown; code?: unknown; digest?: unknown } | null;
  if (a && a.status === "failed") return String(a.code);
  if (a && (a.status === 401 || a.status === 403)) return String(a.code);
  if (
    a &&
    typeof a.digest === "string" &&
    a.digest.startsWith("NEXT_REDIRECT") &&
    a.digest.includes("/admin/sign-in")
  )
    return "unauthorized";
  return null;
}

describe("every server action in app/admin refuses a caller without the right", () => {
  it("finds the console's actions, and each one's permission is stated", () => {
    expect(files.length).toBeGreaterThan(0);
    expect(actions.map((a) => a.name).sort()).toEqual(Object.keys(needs).sort());
  });

  it("without a session: refused, nothing changes", async () => {
    for (const { name, run } of actions) {
      const before = await adminFingerprint();
      const answer = await call(run, name, {});
      expect(refusedWith(answer), `${name} answered ${JSON.stringify(answer)}`).toBe("unauthorized");
      expect(await adminFingerprint(), name).toBe(before);
    }
  });

  it("with a forged or ended session cookie: refused, nothing changes", async () => {
    for (const { name, run } of actions) {
      const before = await adminFingerprint();
      const answer = await call(run, name, { [ADMIN_COOKIE]: `${sessions.owner}x` });
      expect(refusedWith(answer), `${name} answered ${JSON.stringify(answer)}`).toBe("unauthorized");
      expect(await adminFingerprint(), name).toBe(before);
    }
  });

  it("signed in with a role below the action's permission: forbidden, nothing changes", async () => {
    let checked = 0;
    for (const { name, run } of actions) {
      const permission = needs[name];
      if (permission === "public") continue;
      for (const role of ROLES) {
        if (can(role, permission)) continue;
        const before = await adminFingerprint();
        const answer = await call(run, name, { [ADMIN_COOKIE]: sessions[role] });
        expect(refusedWith(answer), `${role} ${name} answered ${JSON.stringify(answer)}`).toBe("forbidden");
        expect(await adminFingerprint(), `${role} ${name}`).toBe(before);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  it("the same forms, sent by an owner, do change things (so the refusals above are what kept them out)", async () => {
    const db = await getDb();
    const saved = await db.select().from(settingsTable); // the stored rows, put back as they were
    try {
      for (const name of ["adjustBalanceFormAction", "updateSettingsFormAction", "createAdminFormAction"]) {
        const action = actions.find((a) => a.name === name);
        const before = await adminFingerprint();
        const answer = await call(action!.run, name, { [ADMIN_COOKIE]: sessions.owner });
        expect(answer, name).toMatchObject({ status: "success" });
        expect(await adminFingerprint(), name).not.toBe(before);
      }
    } finally {
      await db.delete(settingsTable);
      if (saved.length) await db.insert(settingsTable).values(saved);
      invalidateSettings();
    }
  });
});

describe("the settings form: transfer offers and packages against the pricing floor", () => {
  it("refuses an offer below the floor with the floor price, nothing stored; its tick saves it", async () => {
    const db = await getDb();
    const saved = await db.select().from(settingsTable);
    const owner = { [ADMIN_COOKIE]: sessions.owner };
    const action = actions.find((a) => a.name === "updateSettingsFormAction")!.run;
    const submit = (extra: Record<string, string>, ticks: [string, string][] = []) =>
      inRequest({ cookies: owner, headers: { "x-forwarded-for": "203.0.113.9" } }, () => {
        const fd = new FormData();
        for (const [k, v] of Object.entries({ ...forms.updateSettingsFormAction, ...extra })) fd.set(k, v);
        for (const [k, v] of ticks) fd.append(k, v);
        return action({ status: "idle" }, fd);
      });
    try {
      const before = await adminFingerprint();
      const offers = { transferEnabled: "on", transferOffers: "4 = 65000 / 1h; 0.5 = 131000 / 1d" };
      // Without the node the floor is its bandwidth part: 2 × 300 bytes × 1,000 sun = 0.6 TRX.
      const refused = await submit(offers);
      expect(refused).toMatchObject({
        status: "failed",
        code: "bad_request",
        fields: { transferOffers: expect.stringContaining("below the floor price of 0.6 TRX") },
      });
      expect(await adminFingerprint()).toBe(before);

      const pkg = await submit({ packageOffers: "10 = 30; 100 = 50" });
      expect(pkg).toMatchObject({
        status: "failed",
        fields: {
          packageOffers: expect.stringMatching(
            /^The package of 100 transfers at 50 TRX is below the floor price of 60 TRX/,
          ),
        },
      });
      expect(await adminFingerprint()).toBe(before);

      const ok = await submit({ ...offers, packageOffers: "10 = 30; 100 = 50" }, [
        ["transferBelowFloor", "0.5"],
        ["packageBelowFloor", "100"],
      ]);
      expect(ok).toMatchObject({ status: "success" });
      invalidateSettings();
      const s = await getSettings();
      expect(s.transfer.offers.map((o) => [o.amountSun, !!o.belowFloor])).toEqual([
        [4_000_000n, false],
        [500_000n, true],
      ]);
      expect(s.packages.offers.map((o) => [o.transfers, !!o.belowFloor])).toEqual([
        [10, false],
        [100, true],
      ]);
    } finally {
      await db.delete(settingsTable);
      if (saved.length) await db.insert(settingsTable).values(saved);
      invalidateSettings();
    }
  });
});
