import { z } from "zod";
import { isAppError } from "@/lib/errors";
import type { Translate } from "@/lib/i18n";
import { parseTrx } from "@/lib/money";
import { changeSubscription, createSubscription } from "@/lib/subscriptions";
import { localizeError } from "../_lib/errors";

/**
 * The keep-energy page's actions, for a given user (actions.ts resolves the user from the session
 * first). lib/subscriptions scopes every change to `userId`: someone else's subscription is "not
 * found" and nothing changes.
 */
export type KeepFormState =
  | { status: "idle" }
  | { status: "success"; message: string; subscriptionId?: number }
  | { status: "invalid_data"; fields: Record<string, string>; values: Record<string, string> }
  | { status: "failed"; message: string; values?: Record<string, string> };

const text = (v: FormDataEntryValue | null) => (typeof v === "string" ? v.trim() : "");
const idSchema = z.coerce.number().int().positive().max(2_147_483_647);
const FIELD_ALIAS = { minEnergy: "energy", budget: "budget", address: "address", days: "days" };

export async function createKeepFor(userId: number, form: FormData, t: Translate): Promise<KeepFormState> {
  const values = {
    address: text(form.get("address")).slice(0, 200),
    energy: text(form.get("energy")).slice(0, 20),
    days: text(form.get("days")).slice(0, 6),
    budget: text(form.get("budget")).slice(0, 30),
    token: text(form.get("token")).slice(0, 100),
  };
  const fields: Record<string, string> = {};
  if (!values.address) fields.address = t("address-empty");
  if (!/^\d{1,9}$/.test(values.energy.replace(/[,\s]/g, ""))) fields.energy = t("keep-error-energy");
  if (!/^\d{1,4}$/.test(values.days) || Number(values.days) < 1) fields.days = t("keep-error-days");
  let budgetSun = 0n;
  try {
    budgetSun = parseTrx(values.budget, { field: "budget" });
  } catch {
    fields.budget = t("keep-error-budget");
  }
  if (!/^[\x21-\x7e]{1,100}$/.test(values.token))
    return { status: "failed", message: t("error-generic"), values };
  if (Object.keys(fields).length) return { status: "invalid_data", fields, values };
  try {
    const { subscription } = await createSubscription({
      userId,
      address: values.address,
      minEnergy: values.energy.replace(/[,\s]/g, ""),
      days: Number(values.days),
      budgetSun,
      source: "portal",
      idempotencyKey: `web:${values.token}`,
    });
    return { status: "success", message: t("keep-created"), subscriptionId: subscription.id };
  } catch (e) {
    const l = localizeError(e, t, FIELD_ALIAS);
    // the refused fields carry the localized sentence (some codes' messages name no field)
    const named = isAppError(e)
      ? Object.keys(e.fields ?? {}).map((f) => FIELD_ALIAS[f as keyof typeof FIELD_ALIAS] ?? f)
      : [];
    const fields = Object.keys(l.fields).length
      ? l.fields
      : Object.fromEntries(named.map((f) => [f, l.message]));
    if (Object.keys(fields).length) return { status: "invalid_data", fields, values };
    return { status: "failed", message: l.message, values };
  }
}

const actionSchema = z.enum(["pause", "resume", "cancel"]);

export async function changeKeepFor(userId: number, form: FormData, t: Translate): Promise<KeepFormState> {
  const id = idSchema.safeParse(form.get("subscriptionId"));
  const action = actionSchema.safeParse(form.get("action"));
  if (!id.success || !action.success) return { status: "failed", message: t("error-not_found") };
  try {
    await changeSubscription(userId, id.data, action.data);
    return { status: "success", message: t(`keep-done-${action.data}`), subscriptionId: id.data };
  } catch (e) {
    return { status: "failed", message: localizeError(e, t).message };
  }
}
