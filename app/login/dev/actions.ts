"use server";

import { AuthError } from "next-auth";
import { signIn } from "@/lib/auth/auth";
import { devNameSchema, devSignInEnabled, issueDevLoginToken } from "@/lib/auth/dev-login";
import { invitedStartParam } from "@/lib/referrals/invite-cookie";

export type DevSignInState = { status: "idle" } | { status: "failed"; message: string };

/** /login/dev: signs in as the named test user (development on the devnet only). */
export async function devSignIn(_prev: DevSignInState, formData: FormData): Promise<DevSignInState> {
  if (!devSignInEnabled()) return { status: "failed", message: "Development sign-in is off." };
  const name = devNameSchema.safeParse(formData.get("name"));
  if (!name.success) return { status: "failed", message: name.error.issues[0]?.message ?? "Invalid name." };
  const token = await issueDevLoginToken(name.data, { startParam: await invitedStartParam() });
  try {
    await signIn("login-link", { token, redirectTo: "/dashboard" });
  } catch (e) {
    if (e instanceof AuthError) return { status: "failed", message: "Sign-in failed." };
    throw e; // the redirect to the dashboard
  }
  return { status: "idle" };
}
