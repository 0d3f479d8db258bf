"use server";

import { AuthError } from "next-auth";
import { z } from "zod";
import { signIn } from "@/lib/auth/auth";
import { failureCode, type SignInFailureCode, safeNext } from "./_next";

export type LinkSignInState = { status: "idle" } | { status: "failed"; reason: SignInFailureCode };

function reasonOf(e: unknown): SignInFailureCode | null {
  if (e instanceof AuthError) return failureCode((e as AuthError & { code?: string }).code);
  return null;
}

/** /login/link: uses the one-time token (server-verified, single use) and opens the dashboard. */
export async function signInWithLink(_prev: LinkSignInState, formData: FormData): Promise<LinkSignInState> {
  const token = z.string().min(1).max(200).safeParse(formData.get("token"));
  if (!token.success) return { status: "failed", reason: "invalid" };
  try {
    await signIn("login-link", { token: token.data, redirectTo: "/dashboard" });
  } catch (e) {
    const reason = reasonOf(e);
    if (reason) return { status: "failed", reason };
    throw e; // the redirect to the dashboard, or a real failure
  }
  return { status: "idle" };
}

export type MiniAppSignInResult = { ok: true; to: string } | { ok: false; reason: SignInFailureCode };

/** Mini App: signs in from Telegram's initData (verified on the server), without a click. */
export async function signInMiniApp(initData: string, next: string): Promise<MiniAppSignInResult> {
  const parsed = z.string().min(1).max(8192).safeParse(initData);
  if (!parsed.success) return { ok: false, reason: "invalid" };
  const to = safeNext(next);
  try {
    await signIn("telegram-miniapp", { initData: parsed.data, redirect: false, redirectTo: to });
  } catch (e) {
    const reason = reasonOf(e);
    if (reason) return { ok: false, reason };
    throw e;
  }
  return { ok: true, to };
}
