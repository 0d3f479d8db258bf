"use server";

import { AuthError } from "next-auth";
import { z } from "zod";
import { signIn } from "@/lib/auth/auth";
import {
  consumeLoginNonce,
  issueLoginNonce,
  loginTokenOwner,
  otherAccountSignedIn,
} from "@/lib/auth/sign-in-guard";
import { TelegramAuthError, verifyInitData, verifyLoginWidget } from "@/lib/auth/telegram";
import { env } from "@/lib/env";
import { failureCode, type SignInFailureCode, safeNext } from "./_next";

/**
 * Portal sign-in, only by these server actions (same-origin POSTs): the Telegram Login Widget's
 * signed profile and the Mini App's initData each need this browser's pre-login nonce; none of
 * them switches a signed-in browser to another account unless the person chose to
 * (`switchAccount`). See lib/auth/sign-in-guard.
 */

export type SignInResult =
  | { ok: true; to: string }
  | { ok: false; reason: SignInFailureCode }
  | { ok: false; reason: "other_account"; current: string };

function reasonOf(e: unknown): SignInFailureCode | null {
  if (e instanceof AuthError) return failureCode((e as AuthError & { code?: string }).code);
  return null;
}

/** A fresh pre-login nonce for this browser (the sign-in page asks for one when it opens). */
export async function beginSignIn(): Promise<string> {
  return issueLoginNonce();
}

async function run(
  provider: string,
  credentials: Record<string, string>,
  next: string,
): Promise<SignInResult> {
  const to = safeNext(next);
  try {
    await signIn(provider, { ...credentials, redirect: false, redirectTo: to });
  } catch (e) {
    const reason = reasonOf(e);
    if (reason) return { ok: false, reason };
    throw e;
  }
  return { ok: true, to };
}

const widgetInput = z.object({
  fields: z.record(z.string().max(32), z.union([z.string().max(2048), z.number()])),
  nonce: z.string().max(100),
  next: z.string().max(600).default("/dashboard"),
  switchAccount: z.boolean().default(false),
});

/**
 * What both Telegram sign-ins go through: this browser's nonce, Telegram's proof verified for the
 * person's id, no switch away from another signed-in account unless chosen, then Auth.js.
 */
async function signInWithTelegramProof(
  data: { nonce: string; next: string; switchAccount: boolean },
  provider: "telegram-widget" | "telegram-miniapp",
  verify: () => { id: number },
  credentials: Record<string, string>,
): Promise<SignInResult> {
  if (!(await consumeLoginNonce(data.nonce))) return { ok: false, reason: "invalid" };
  let telegramId: number;
  try {
    telegramId = verify().id;
  } catch (e) {
    if (e instanceof TelegramAuthError)
      return {
        ok: false,
        reason: e.reason === "missing_token" ? "unavailable" : e.reason === "stale" ? "stale" : "invalid",
      };
    throw e;
  }
  const other = await otherAccountSignedIn({ telegramId });
  if (other && !data.switchAccount) return { ok: false, reason: "other_account", current: other.current };
  return run(provider, credentials, data.next);
}

/** The Login Widget's profile (from Telegram.Login.auth's callback on the sign-in page). */
export async function signInWithWidget(input: z.input<typeof widgetInput>): Promise<SignInResult> {
  const p = widgetInput.safeParse(input);
  if (!p.success) return { ok: false, reason: "invalid" };
  const fields = Object.fromEntries(Object.entries(p.data.fields).map(([k, v]) => [k, String(v)]));
  return signInWithTelegramProof(
    p.data,
    "telegram-widget",
    () => verifyLoginWidget(fields, { botToken: env.TELEGRAM_BOT_TOKEN }),
    fields,
  );
}

const miniInput = z.object({
  initData: z.string().min(1).max(8192),
  nonce: z.string().max(100),
  next: z.string().max(600).default("/dashboard"),
  switchAccount: z.boolean().default(false),
});

/** Mini App: initData from Telegram.WebApp inside Telegram (verified on the server). */
export async function signInMiniApp(input: z.input<typeof miniInput>): Promise<SignInResult> {
  const p = miniInput.safeParse(input);
  if (!p.success) return { ok: false, reason: "invalid" };
  return signInWithTelegramProof(
    p.data,
    "telegram-miniapp",
    () => verifyInitData(p.data.initData, { botToken: env.TELEGRAM_BOT_TOKEN }),
    { initData: p.data.initData },
  );
}

export type LinkSignInState =
  | { status: "idle" }
  | { status: "failed"; reason: SignInFailureCode }
  | { status: "other_account"; current: string };

/** /login/link: uses the one-time token (server-verified, single use) and opens the dashboard. */
export async function signInWithLink(_prev: LinkSignInState, formData: FormData): Promise<LinkSignInState> {
  const token = z.string().min(1).max(200).safeParse(formData.get("token"));
  if (!token.success) return { status: "failed", reason: "invalid" };
  if (formData.get("switch") !== "1") {
    const owner = await loginTokenOwner(token.data);
    const other = owner === null ? null : await otherAccountSignedIn({ userId: owner });
    if (other) return { status: "other_account", current: other.current };
  }
  try {
    await signIn("login-link", { token: token.data, redirectTo: "/dashboard" });
  } catch (e) {
    const reason = reasonOf(e);
    if (reason) return { status: "failed", reason };
    throw e; // the redirect to the dashboard, or a real failure
  }
  return { status: "idle" };
}
