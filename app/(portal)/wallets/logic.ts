import { z } from "zod";
import type { Translate } from "@/lib/i18n";
import { addWallet, removeWallet, renameWallet, setDefaultWallet } from "@/lib/wallets";
import { localizeError } from "../_lib/errors";

/**
 * The wallet actions' work, for a given user (actions.ts resolves the user from the session first).
 * Every call is scoped to `userId` by lib/wallets: another user's wallet id is "not found", nothing changes.
 */
export type WalletFormState =
  | { status: "idle" }
  | { status: "success"; message: string; walletId?: number }
  | { status: "invalid_data"; fields: Record<string, string>; values: Record<string, string> }
  | { status: "failed"; message: string; values?: Record<string, string> };

const idSchema = z.coerce.number().int().positive().max(2_147_483_647);
const text = (v: FormDataEntryValue | null) => (typeof v === "string" ? v : "");

/** A refused change: its field errors (with the values typed, to fill the form again), or its sentence. */
function failedWith(e: unknown, t: Translate, values: Record<string, string>): WalletFormState {
  const l = localizeError(e, t);
  if (Object.keys(l.fields).length) return { status: "invalid_data", fields: l.fields, values };
  return { status: "failed", message: l.message, values };
}

export async function addWalletFor(userId: number, form: FormData, t: Translate): Promise<WalletFormState> {
  const values = {
    address: text(form.get("address")).slice(0, 200),
    label: text(form.get("label")).slice(0, 200),
  };
  if (values.address.trim() === "")
    return { status: "invalid_data", fields: { address: t("address-empty") }, values };
  try {
    const w = await addWallet({ userId, address: values.address, label: values.label });
    return { status: "success", message: t("wallets-added"), walletId: w.id };
  } catch (e) {
    return failedWith(e, t, values);
  }
}

export async function renameWalletFor(
  userId: number,
  form: FormData,
  t: Translate,
): Promise<WalletFormState> {
  const id = idSchema.safeParse(form.get("walletId"));
  const values = { label: text(form.get("label")).slice(0, 200) };
  if (!id.success) return { status: "failed", message: t("error-not_found") };
  try {
    await renameWallet({ userId, walletId: id.data, label: values.label });
    return { status: "success", message: t("wallets-renamed"), walletId: id.data };
  } catch (e) {
    return failedWith(e, t, values);
  }
}

export async function setDefaultWalletFor(
  userId: number,
  form: FormData,
  t: Translate,
): Promise<WalletFormState> {
  const id = idSchema.safeParse(form.get("walletId"));
  if (!id.success) return { status: "failed", message: t("error-not_found") };
  try {
    await setDefaultWallet({ userId, walletId: id.data });
    return { status: "success", message: t("wallets-defaultSet"), walletId: id.data };
  } catch (e) {
    return { status: "failed", message: localizeError(e, t).message };
  }
}

export type RemovedWallet = { address: string; label: string | null };

export async function removeWalletFor(
  userId: number,
  form: FormData,
  t: Translate,
): Promise<WalletFormState & { removed?: RemovedWallet }> {
  const id = idSchema.safeParse(form.get("walletId"));
  if (!id.success) return { status: "failed", message: t("error-not_found") };
  try {
    const w = await removeWallet({ userId, walletId: id.data });
    return {
      status: "success",
      message: t("wallets-removed"),
      removed: { address: w.address, label: w.label },
    };
  } catch (e) {
    return { status: "failed", message: localizeError(e, t).message };
  }
}
