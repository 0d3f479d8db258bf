"use server";

import { revalidatePath } from "next/cache";
import { portalContext } from "../_lib/context";
import { changeKeepFor, createKeepFor, type KeepFormState } from "./logic";

// The session's user (redirect when signed out), input parsed in logic.ts, ownership checked in
// lib/subscriptions; then the page is refreshed.

export async function createKeepAction(_prev: KeepFormState, form: FormData): Promise<KeepFormState> {
  const { user, t } = await portalContext();
  const r = await createKeepFor(user.id, form, t);
  if (r.status === "success") revalidatePath("/keep");
  return r;
}

export async function changeKeepAction(form: FormData): Promise<KeepFormState> {
  const { user, t } = await portalContext();
  const r = await changeKeepFor(user.id, form, t);
  if (r.status === "success") revalidatePath("/keep");
  return r;
}
