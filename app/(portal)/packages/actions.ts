"use server";

import { redirect } from "next/navigation";
import { portalContext } from "../_lib/context";
import { buyPackageFor } from "./logic";

// The session's user (redirect when signed out), input parsed in logic.ts; the page shows the outcome.

export async function buyPackageAction(form: FormData): Promise<void> {
  const { user, t } = await portalContext();
  const r = await buyPackageFor(user.id, form, t);
  if (r.status === "success") redirect(`/packages?bought=${r.packageId}`);
  redirect(`/packages?error=${encodeURIComponent(r.message)}`);
}
