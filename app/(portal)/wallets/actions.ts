"use server";

import { revalidatePath } from "next/cache";
import { portalContext } from "../_lib/context";
import {
  addWalletFor,
  type RemovedWallet,
  removeWalletFor,
  renameWalletFor,
  setDefaultWalletFor,
  type WalletFormState,
} from "./logic";

// Each action: the session's user (redirect when signed out), zod-validated input, ownership checked
// in lib/wallets, then the pages that show wallets are refreshed.

function refresh() {
  revalidatePath("/wallets");
  revalidatePath("/dashboard");
  revalidatePath("/rent");
}

export async function addWalletAction(_prev: WalletFormState, form: FormData): Promise<WalletFormState> {
  const { user, t } = await portalContext();
  const r = await addWalletFor(user.id, form, t);
  if (r.status === "success") refresh();
  return r;
}

export async function renameWalletAction(_prev: WalletFormState, form: FormData): Promise<WalletFormState> {
  const { user, t } = await portalContext();
  const r = await renameWalletFor(user.id, form, t);
  if (r.status === "success") refresh();
  return r;
}

export async function setDefaultWalletAction(form: FormData): Promise<WalletFormState> {
  const { user, t } = await portalContext();
  const r = await setDefaultWalletFor(user.id, form, t);
  if (r.status === "success") refresh();
  return r;
}

export async function removeWalletAction(
  form: FormData,
): Promise<WalletFormState & { removed?: RemovedWallet }> {
  const { user, t } = await portalContext();
  const r = await removeWalletFor(user.id, form, t);
  if (r.status === "success") refresh();
  return r;
}
