import { z } from "zod";
import { getDb } from "@/db";
import { resolveAlert } from "@/lib/alerts";
import { writeAudit } from "@/lib/audit";
import { checkOfferFloors } from "@/lib/pricing/offer-floors";
import { type SettingsInput, updateSettings } from "@/lib/settings";
import { setAdminDisabled, setAdminRole } from "../admins";
import { createAdmin } from "../auth";
import { defineAction, id } from "./define";

/** The console's own settings, its alerts and its admins. */

// ---------------------------------------------------------------------------------- settings

/**
 * A partial settings change (top-level keys); lib/settings validates and audits it. Transfer offers
 * and packages saved below the pricing floor without their "sell below the floor" tick are refused
 * (lib/pricing/offer-floors), nothing saved.
 */
export const updateSettingsAction = defineAction(
  "settings.update",
  z.record(z.string(), z.unknown()),
  async (ctx, patch) => {
    const keys = Object.keys(patch);
    await updateSettings(
      patch as Partial<SettingsInput>,
      { adminId: ctx.admin.id, ip: ctx.ip },
      { check: (next) => checkOfferFloors(next, keys) },
    );
    return { keys: Object.keys(patch) };
  },
);

// ------------------------------------------------------------------------------------ alerts

export const resolveAlertAction = defineAction(
  "alerts.resolve",
  z.object({ dedupeKey: z.string().min(1).max(300) }),
  async (ctx, i) => {
    const resolved = await resolveAlert(i.dedupeKey);
    await writeAudit(await getDb(), {
      adminId: ctx.admin.id,
      action: "alert.resolve",
      targetType: "alert",
      targetId: i.dedupeKey,
      after: { resolved },
      ip: ctx.ip,
    });
    return { resolved };
  },
);

// ------------------------------------------------------------------------------------ admins

export const createAdminAction = defineAction(
  "admins.manage",
  z.object({ email: z.email().max(254), role: z.enum(["owner", "operator", "viewer"]) }),
  async (ctx, i) => {
    const r = await createAdmin({ email: i.email, role: i.role }, { adminId: ctx.admin.id, ip: ctx.ip });
    return { adminId: r.admin.id, email: r.admin.email, oneTimePassword: r.password };
  },
);

/** An owner changes another admin's role (never their own; never the last active owner away). */
export const setAdminRoleAction = defineAction(
  "admins.manage",
  z.object({ adminId: id, role: z.enum(["owner", "operator", "viewer"]) }),
  async (ctx, i) => setAdminRole(ctx, i),
);

/** An owner disables or re-enables another admin; disabling ends their sessions. */
export const setAdminStatusAction = defineAction(
  "admins.manage",
  z.object({ adminId: id, status: z.enum(["active", "disabled"]) }),
  async (ctx, i) => setAdminDisabled(ctx, { adminId: i.adminId, disabled: i.status === "disabled" }),
);
