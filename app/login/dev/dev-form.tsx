"use client";

import { useActionState } from "react";
import { useT } from "@/app/_components/i18n-provider";
import { type DevSignInState, devSignIn } from "./actions";

export function DevSignInForm() {
  const t = useT("login");
  const [state, action, pending] = useActionState<DevSignInState, FormData>(devSignIn, { status: "idle" });
  return (
    <form action={action} className="space-y-3">
      <label className="block space-y-1 text-sm font-medium">
        <span>{t("login-dev-name")}</span>
        <input
          name="name"
          defaultValue="Dev User"
          maxLength={32}
          required
          className="block min-h-11 w-full rounded-md border border-slate-300 px-3"
        />
      </label>
      {state.status === "failed" && (
        <p role="alert" className="text-sm text-rose-700">
          {state.message}
        </p>
      )}
      <button
        type="submit"
        disabled={pending}
        className="inline-flex min-h-11 w-full items-center justify-center rounded-md bg-(--p-btn) px-4 font-semibold text-(--p-btn-text) disabled:opacity-60"
      >
        {pending ? t("login-link-signingIn") : t("login-dev-submit")}
      </button>
    </form>
  );
}
